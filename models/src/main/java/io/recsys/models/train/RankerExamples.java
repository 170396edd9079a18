package io.recsys.models.train;

import io.recsys.common.candidates.MergedCandidates;
import io.recsys.common.features.HistoryEncoder;
import io.recsys.common.features.Interaction;
import io.recsys.common.features.RankerFeatures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Ranker training examples drawn the way the ranker is used: for a point in a user's history, the
 * candidates are what the served sources would have merged then ({@link OfflineCandidates}); the
 * item the user really went to next is the positive, and {@code negativesPerPositive} other merged
 * candidates, drawn at random, are its negatives. An example is a group of rows, the positive
 * first. Points whose next item no source retrieved are skipped: the ranker never sees such
 * candidates when serving.
 *
 * @param groups examples; each is {@code groupSize} consecutive rows
 * @param labels 1 for each group's first row, 0 for the others
 */
public record RankerExamples(int groups, int groupSize, int[] sparse, float[] dense, float[] labels) {

  public int rows() {
    return groups * groupSize;
  }

  /** These examples followed by the other's (same group size). */
  public RankerExamples plus(RankerExamples o) {
    int[] s = Arrays.copyOf(sparse, sparse.length + o.sparse.length);
    System.arraycopy(o.sparse, 0, s, sparse.length, o.sparse.length);
    float[] d = Arrays.copyOf(dense, dense.length + o.dense.length);
    System.arraycopy(o.dense, 0, d, dense.length, o.dense.length);
    float[] l = Arrays.copyOf(labels, labels.length + o.labels.length);
    System.arraycopy(o.labels, 0, l, labels.length, o.labels.length);
    return new RankerExamples(groups + o.groups, groupSize, s, d, l);
  }

  /**
   * @param model the user tower that gives the two-tower source its query vectors
   * @param sources the served sources, over that tower's item vectors and the matching popularity
   */
  public static RankerExamples build(List<List<Interaction>> train, TwoTowerModel model, OfflineCandidates sources,
                                     RankerFeatures features, RankerConfig cfg) {
    Random rnd = new Random(cfg.seed());
    int l = model.config().historyLength();
    HistoryEncoder enc = new HistoryEncoder(l);
    // the queries: (user, position) pairs
    List<int[]> queries = new ArrayList<>();
    for (int u = 0; u < train.size(); u++) {
      List<Interaction> h = train.get(u);
      for (int t = Math.max(1, h.size() - cfg.positionsPerUser()); t < h.size(); t++) {
        if (HistoryEncoder.typeWeight(h.get(t).type(), h.get(t).value()) > 0) {
          queries.add(new int[] {u, t});
        }
      }
    }
    int fs = RankerFeatures.SPARSE.size();
    int fd = RankerFeatures.DENSE.size();
    int g = cfg.groupSize();
    Groups out = new Groups(g * fs, g * fd);
    int[] groupS = new int[g * fs];
    float[] groupD = new float[g * fd];
    int batch = 1024;
    for (int start = 0; start < queries.size(); start += batch) {
      int n = Math.min(batch, queries.size() - start);
      int[] us = new int[n];
      int[] hi = new int[n * l];
      float[] hw = new float[n * l];
      for (int j = 0; j < n; j++) {
        int[] q = queries.get(start + j);
        us[j] = q[0] + 1;
        enc.encode(train.get(q[0]).subList(0, q[1]), hi, hw, j * l);
      }
      float[] vecs = model.userEmbeddings(us, hi, hw);
      int dim = vecs.length / n;
      int first = start;
      // candidates and rows in parallel; the negatives are drawn in query order, so the examples do
      // not depend on the number of cores
      Built[] built = IntStream.range(0, n).parallel().mapToObj(j -> Built.of(train, queries.get(first + j),
          Arrays.copyOfRange(vecs, j * dim, (j + 1) * dim), sources, features, g)).toArray(Built[]::new);
      for (Built b : built) {
        if (b == null) {
          continue;
        }
        int[] chosen = chosen(b.positive(), b.candidates(), g, rnd);
        for (int r = 0; r < g; r++) {
          System.arraycopy(b.sparse(), b.rowOf()[chosen[r]] * fs, groupS, r * fs, fs);
          System.arraycopy(b.dense(), b.rowOf()[chosen[r]] * fd, groupD, r * fd, fd);
        }
        out.add(groupS, groupD);
      }
    }
    return out.toExamples(g);
  }

  /** One query's merged candidates as feature rows, and where its positive is among them. */
  private record Built(int positive, int candidates, int[] rowOf, int[] sparse, float[] dense) {

    /** Null when the query gives no example: a repeat, or a next item no source retrieved. */
    static Built of(List<List<Interaction>> train, int[] q, float[] userVector, OfflineCandidates sources,
                    RankerFeatures features, int groupSize) {
      List<Interaction> prefix = train.get(q[0]).subList(0, q[1]);
      Interaction next = train.get(q[0]).get(q[1]);
      Set<Integer> seen = new HashSet<>();
      for (Interaction e : prefix) {
        seen.add(e.itemIndex());
      }
      if (seen.contains(next.itemIndex())) {
        return null;
      }
      MergedCandidates cands = sources.candidates(prefix, userVector, seen);
      int positive = -1;
      for (int c = 0; c < cands.size(); c++) {
        if (cands.itemIndex(c) == next.itemIndex()) {
          positive = c;
        }
      }
      if (positive < 0 || cands.size() < groupSize) {
        return null;
      }
      int[] rowOf = new int[cands.size()];
      int[] s = new int[cands.size() * RankerFeatures.SPARSE.size()];
      float[] d = new float[cands.size() * RankerFeatures.DENSE.size()];
      features.rows(features.profile(prefix, next.timestampMs()), cands, s, d, rowOf);
      return new Built(positive, cands.size(), rowOf, s, d);
    }
  }

  /** The positive, then g - 1 other candidates drawn without replacement. */
  private static int[] chosen(int positive, int candidates, int g, Random rnd) {
    int[] pool = new int[candidates - 1];
    for (int c = 0, k = 0; c < candidates; c++) {
      if (c != positive) {
        pool[k++] = c;
      }
    }
    int[] out = new int[g];
    out[0] = positive;
    for (int r = 1; r < g; r++) {
      int pick = r - 1 + rnd.nextInt(pool.length - (r - 1));
      int t = pool[r - 1];
      pool[r - 1] = pool[pick];
      pool[pick] = t;
      out[r] = pool[r - 1];
    }
    return out;
  }

  /** Growing storage of example groups (sparse ints + dense floats), row-major. */
  private static final class Groups {
    private final int sparseWidth;
    private final int denseWidth;
    private int[] sparse = new int[0];
    private float[] dense = new float[0];
    private int count;

    Groups(int sparseWidth, int denseWidth) {
      this.sparseWidth = sparseWidth;
      this.denseWidth = denseWidth;
    }

    void add(int[] sparseGroup, float[] denseGroup) {
      if (count * sparseWidth == sparse.length) {
        int capacity = Math.max(256, count * 2);
        sparse = Arrays.copyOf(sparse, capacity * sparseWidth);
        dense = Arrays.copyOf(dense, capacity * denseWidth);
      }
      System.arraycopy(sparseGroup, 0, sparse, count * sparseWidth, sparseWidth);
      System.arraycopy(denseGroup, 0, dense, count * denseWidth, denseWidth);
      count++;
    }

    RankerExamples toExamples(int groupSize) {
      float[] labels = new float[count * groupSize];
      for (int e = 0; e < count; e++) {
        labels[e * groupSize] = 1f;
      }
      return new RankerExamples(count, groupSize, Arrays.copyOf(sparse, count * sparseWidth),
          Arrays.copyOf(dense, count * denseWidth), labels);
    }
  }
}
