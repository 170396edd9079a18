package io.recsys.models.train;

import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.bundle.Popularity;
import io.recsys.common.features.CandidateSources;
import io.recsys.common.features.HistoryEncoder;
import io.recsys.common.features.Interaction;
import io.recsys.common.features.RankerFeatures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Ranker training rows drawn the way the ranker is used: for a point in a user's history, the
 * candidates are what the sources would retrieve then (two-tower top N by the trained model,
 * popular top N, both without already-seen items); the item the user really went to next is the
 * positive, other retrieved candidates are the negatives. Examples whose next item no source
 * retrieved are skipped: the ranker never sees such candidates when serving.
 */
public record RankerExamples(int count, int[] sparse, float[] dense, float[] labels) {

  public static RankerExamples build(List<List<Interaction>> train, TwoTowerModel model,
                                     EmbeddingMatrix items, Popularity popularity,
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
    Rows out = new Rows(fs, fd);
    int batch = 1024;
    int[] rowS = new int[fs];
    float[] rowD = new float[fd];
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
      for (int j = 0; j < n; j++) {
        int[] q = queries.get(start + j);
        List<Interaction> prefix = train.get(q[0]).subList(0, q[1]);
        Interaction next = train.get(q[0]).get(q[1]);
        Set<Integer> seen = new HashSet<>();
        for (Interaction e : prefix) {
          seen.add(e.itemIndex());
        }
        if (seen.contains(next.itemIndex())) {
          continue;
        }
        float[] qv = new float[items.dim()];
        System.arraycopy(vecs, j * items.dim(), qv, 0, items.dim());
        Map<Integer, Map<String, Float>> cands = new HashMap<>();
        for (int item : topByDot(items, qv, seen, cfg.candidatesPerSource())) {
          cands.computeIfAbsent(item, x -> new HashMap<>()).put(CandidateSources.TWO_TOWER, items.dot(item, qv));
        }
        int taken = 0;
        for (int item : popularity.ranked()) {
          if (taken == cfg.candidatesPerSource()) {
            break;
          }
          if (!seen.contains(item)) {
            cands.computeIfAbsent(item, x -> new HashMap<>()).put(CandidateSources.POPULAR, popularity.score(item));
            taken++;
          }
        }
        if (!cands.containsKey(next.itemIndex())) {
          continue;
        }
        RankerFeatures.UserProfile profile = features.profile(q[0] + 1, prefix, next.timestampMs());
        List<Integer> negatives = new ArrayList<>(cands.keySet());
        negatives.remove(Integer.valueOf(next.itemIndex()));
        java.util.Collections.sort(negatives);
        java.util.Collections.shuffle(negatives, rnd);
        List<Integer> chosen = new ArrayList<>();
        chosen.add(next.itemIndex());
        chosen.addAll(negatives.subList(0, Math.min(cfg.negativesPerPositive(), negatives.size())));
        for (int c = 0; c < chosen.size(); c++) {
          int item = chosen.get(c);
          features.row(profile, item, cands.get(item), rowS, 0, rowD, 0);
          out.add(rowS, rowD, c == 0 ? 1f : 0f);
        }
      }
    }
    return out.toExamples();
  }

  /** Exact top n by dot product, without the excluded items. */
  static int[] topByDot(EmbeddingMatrix items, float[] q, Set<Integer> exclude, int n) {
    java.util.PriorityQueue<float[]> heap = new java.util.PriorityQueue<>(n + 1, (a, b) -> Float.compare(a[1], b[1]));
    for (int i = 0; i < items.rows(); i++) {
      if (exclude.contains(i)) {
        continue;
      }
      float s = items.dot(i, q);
      if (heap.size() < n) {
        heap.add(new float[] {i, s});
      } else if (s > heap.peek()[1]) {
        heap.poll();
        heap.add(new float[] {i, s});
      }
    }
    int[] out = new int[heap.size()];
    for (int k = out.length - 1; k >= 0; k--) {
      out[k] = (int) heap.poll()[0];
    }
    return out;
  }

  /** Growing storage of labelled feature rows (sparse ints + dense floats), row-major. */
  private static final class Rows {
    private final int sparseWidth;
    private final int denseWidth;
    private int[] sparse = new int[0];
    private float[] dense = new float[0];
    private float[] labels = new float[0];
    private int count;

    Rows(int sparseWidth, int denseWidth) {
      this.sparseWidth = sparseWidth;
      this.denseWidth = denseWidth;
    }

    void add(int[] sparseRow, float[] denseRow, float label) {
      if (count == labels.length) {
        int capacity = Math.max(1024, count * 2);
        sparse = java.util.Arrays.copyOf(sparse, capacity * sparseWidth);
        dense = java.util.Arrays.copyOf(dense, capacity * denseWidth);
        labels = java.util.Arrays.copyOf(labels, capacity);
      }
      System.arraycopy(sparseRow, 0, sparse, count * sparseWidth, sparseWidth);
      System.arraycopy(denseRow, 0, dense, count * denseWidth, denseWidth);
      labels[count++] = label;
    }

    RankerExamples toExamples() {
      return new RankerExamples(count, java.util.Arrays.copyOf(sparse, count * sparseWidth),
          java.util.Arrays.copyOf(dense, count * denseWidth), java.util.Arrays.copyOf(labels, count));
    }
  }
}
