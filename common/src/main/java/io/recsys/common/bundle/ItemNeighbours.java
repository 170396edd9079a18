package io.recsys.common.bundle;

import io.recsys.common.features.Interaction;
import io.recsys.common.index.ScoredItems;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.function.IntPredicate;

/**
 * Each item's most similar items with their weights (item-kNN cosine over co-visitation, or the
 * positive weights of an EASE row: see the models' {@code Item2ItemLists}), and the
 * recency decay that turns a history into scores: history item h weighs decay^(age of h), age 0
 * being the newest distinct item, and adds weight x sim(h, j) to each neighbour j. The evaluation's
 * itemknn_recency and the served item2item source both score through {@link #accumulate}, so what
 * is evaluated is what is served.
 */
public final class ItemNeighbours {

  /** "I2I1": guards against reading some other file as neighbour lists. */
  private static final int MAGIC = 0x49324931;

  /** Receives one history item's contribution to one candidate; called once per (history item, neighbour). */
  @FunctionalInterface
  public interface Contribution {
    void add(int item, float score);
  }

  private final int[][] ids;
  private final float[][] weights;
  private final double decay;

  /**
   * @param ids per item index, its neighbours' indices, most similar first
   * @param weights per item index, the similarity of each neighbour, aligned with {@code ids}
   * @param decay in (0, 1]; 1 treats history as an unordered set
   */
  public ItemNeighbours(int[][] ids, float[][] weights, double decay) {
    if (ids.length != weights.length) {
      throw new IllegalArgumentException(ids.length + " neighbour lists but " + weights.length + " weight lists");
    }
    if (!(decay > 0 && decay <= 1)) {
      throw new IllegalArgumentException("decay must be in (0, 1], got " + decay);
    }
    for (int i = 0; i < ids.length; i++) {
      if (ids[i].length != weights[i].length) {
        throw new IllegalArgumentException("item " + i + " has " + ids[i].length + " neighbours but "
            + weights[i].length + " weights");
      }
    }
    this.ids = ids;
    this.weights = weights;
    this.decay = decay;
  }

  /** The same lists cut to at most {@code n} neighbours per item (the most similar ones). */
  public ItemNeighbours truncated(int n) {
    int[][] cutIds = new int[ids.length][];
    float[][] cutWeights = new float[ids.length][];
    for (int i = 0; i < ids.length; i++) {
      cutIds[i] = java.util.Arrays.copyOf(ids[i], Math.min(n, ids[i].length));
      cutWeights[i] = java.util.Arrays.copyOf(weights[i], cutIds[i].length);
    }
    return new ItemNeighbours(cutIds, cutWeights, decay);
  }

  /** The same lists weighing history by another decay. */
  public ItemNeighbours withDecay(double decay) {
    return new ItemNeighbours(ids, weights, decay);
  }

  public double decay() {
    return decay;
  }

  /** Items that have a list (the bundle's catalog size). */
  public int items() {
    return ids.length;
  }

  /** The longest list: the top-M the lists were cut to. */
  public int maxNeighbours() {
    int m = 0;
    for (int[] l : ids) {
      m = Math.max(m, l.length);
    }
    return m;
  }

  public int[] neighbourIds(int item) {
    return ids[item];
  }

  public float[] neighbourWeights(int item) {
    return weights[item];
  }

  /**
   * Sends every contribution of {@code history} to {@code out}: summed per item, they are the
   * item2item scores. Events on items without a list (a live item newer than the lists) add nothing.
   *
   * @param history oldest first; an item seen twice counts once, at its newest position
   * @param perItem at most this many neighbours of each history item (the lists' own length caps it)
   */
  public void accumulate(List<Interaction> history, int perItem, Contribution out) {
    SequencedSet<Integer> newestFirst = new LinkedHashSet<>();
    for (int p = history.size() - 1; p >= 0; p--) {
      newestFirst.add(history.get(p).itemIndex());
    }
    int age = 0;
    for (int h : newestFirst) {
      float w = (float) Math.pow(decay, age++);
      if (h >= 0 && h < ids.length) {
        int n = Math.min(perItem, ids[h].length);
        for (int r = 0; r < n; r++) {
          out.add(ids[h][r], w * weights[h][r]);
        }
      }
    }
  }

  /**
   * The item2item source's answer: the k best-scored items ({@link #accumulate}) that {@code exclude}
   * lets through, best first, ties by item index. The served source and the ranker's offline
   * candidates both take it from here.
   */
  public ScoredItems top(List<Interaction> history, int k, IntPredicate exclude) {
    // sparse: a history touches at most history x M items, the catalog may hold millions
    Map<Integer, Float> scores = new HashMap<>();
    accumulate(history, Integer.MAX_VALUE, (item, score) -> scores.merge(item, score, Float::sum));
    int[] best = scores.keySet().stream().mapToInt(Integer::intValue).filter(i -> !exclude.test(i))
        .boxed()
        .sorted((a, b) -> {
          int c = Float.compare(scores.get(b), scores.get(a));
          return c != 0 ? c : Integer.compare(a, b);
        })
        .limit(k)
        .mapToInt(Integer::intValue)
        .toArray();
    float[] out = new float[best.length];
    for (int r = 0; r < best.length; r++) {
      out[r] = scores.get(best[r]);
    }
    return new ScoredItems(best, out);
  }

  /**
   * Where {@link #top} would put {@code item} for this history: its 0-based position among the same
   * scores in the same order (best first, ties by item index, {@code exclude} dropped), or -1 when
   * it is excluded or scored not above 0. Counted rather than sorted, for callers that score many
   * histories (the tuning of the lists' knobs).
   *
   * @param scratch at least {@link #items()} floats, all zero; left all zero
   */
  public int rank(List<Interaction> history, int item, IntPredicate exclude, float[] scratch) {
    List<Integer> touched = new ArrayList<>();
    accumulate(history, Integer.MAX_VALUE, (j, score) -> {
      if (scratch[j] == 0f) {
        touched.add(j);
      }
      scratch[j] += score;
    });
    float target = item >= 0 && item < scratch.length ? scratch[item] : 0f;
    int rank = 0;
    for (int j : touched) {
      float v = scratch[j];
      if ((v > target || (v == target && j < item)) && !exclude.test(j)) {
        rank++;
      }
    }
    for (int j : touched) {
      scratch[j] = 0f;
    }
    return target > 0f && !exclude.test(item) ? rank : -1;
  }

  public void write(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
      out.writeInt(MAGIC);
      out.writeInt(ids.length);
      out.writeDouble(decay);
      for (int i = 0; i < ids.length; i++) {
        out.writeInt(ids[i].length);
        for (int r = 0; r < ids[i].length; r++) {
          out.writeInt(ids[i][r]);
          out.writeFloat(weights[i][r]);
        }
      }
    }
  }

  /**
   * Reads lists written by {@link #write}, refusing ones that do not fit a catalog of {@code items}
   * items (lists of another export).
   */
  public static ItemNeighbours read(Path file, int items) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      if (in.readInt() != MAGIC) {
        throw new IOException(file + " is not an item2item neighbour file");
      }
      int n = in.readInt();
      if (n != items) {
        throw new IOException(file + " holds neighbour lists of " + n + " items but the catalog has "
            + items + "; export the bundle again");
      }
      double decay = in.readDouble();
      int[][] ids = new int[n][];
      float[][] weights = new float[n][];
      for (int i = 0; i < n; i++) {
        int m = in.readInt();
        if (m < 0 || m > n) {
          throw new IOException(file + ": item " + i + " claims " + m + " neighbours");
        }
        ids[i] = new int[m];
        weights[i] = new float[m];
        for (int r = 0; r < m; r++) {
          int j = in.readInt();
          if (j < 0 || j >= n) {
            throw new IOException(file + ": item " + i + " has neighbour " + j + " outside the catalog");
          }
          ids[i][r] = j;
          weights[i][r] = in.readFloat();
        }
      }
      return new ItemNeighbours(ids, weights, decay);
    } catch (java.io.EOFException e) {
      throw new IOException(file + " is truncated", e);
    }
  }
}
