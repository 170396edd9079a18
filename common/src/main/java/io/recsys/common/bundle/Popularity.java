package io.recsys.common.bundle;

import io.recsys.common.index.ScoredItems;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/** Interaction counts per item over the training data, most popular first. */
public final class Popularity {

  public static final List<String> HEADER = List.of("item_index", "count");

  private final int[] ranked;
  private final float[] counts;
  private final float[] countByItem;

  /** @param countByItem count of each item index */
  public Popularity(float[] countByItem) {
    this.countByItem = countByItem.clone();
    List<Integer> order = new ArrayList<>(countByItem.length);
    for (int i = 0; i < countByItem.length; i++) {
      order.add(i);
    }
    // stable: ties keep index order, so the ranking is deterministic
    order.sort((a, b) -> Float.compare(countByItem[b], countByItem[a]));
    this.ranked = order.stream().mapToInt(Integer::intValue).toArray();
    this.counts = new float[ranked.length];
    for (int r = 0; r < ranked.length; r++) {
      counts[r] = countByItem[ranked[r]];
    }
  }

  /** Item indices, most popular first. */
  public int[] ranked() {
    return ranked;
  }

  public float countAtRank(int rank) {
    return counts[rank];
  }

  public float count(int itemIndex) {
    return itemIndex >= 0 && itemIndex < countByItem.length ? countByItem[itemIndex] : 0f;
  }

  /** The popular source's retrieval score: log-count scaled to [0, 1]; training and serving share it. */
  public float score(int itemIndex) {
    return (float) (Math.log1p(count(itemIndex)) / Math.log1p(Math.max(counts.length == 0 ? 0 : counts[0], 1)));
  }

  /**
   * The popular source's answer: the k most popular items that {@code excluded} lets through, best
   * first, with their {@link #score}. The served source and the ranker's offline candidates both
   * take it from here.
   */
  public ScoredItems top(int k, IntPredicate excluded) {
    int[] items = new int[Math.min(k, ranked.length)];
    float[] scores = new float[items.length];
    int n = 0;
    for (int rank = 0; rank < ranked.length && n < items.length; rank++) {
      if (!excluded.test(ranked[rank])) {
        items[n] = ranked[rank];
        scores[n] = score(ranked[rank]);
        n++;
      }
    }
    return new ScoredItems(Arrays.copyOf(items, n), Arrays.copyOf(scores, n));
  }

  public int size() {
    return countByItem.length;
  }

  public static Popularity read(Path file, int items) throws IOException {
    float[] byItem = new float[items];
    Tsv.read(file, HEADER, (c, line) -> {
      int i = Integer.parseInt(c[0]);
      if (i < 0 || i >= items) {
        throw new IOException(file + ":" + line + ": item index " + i + " outside 0.." + (items - 1));
      }
      byItem[i] = Float.parseFloat(c[1]);
    });
    return new Popularity(byItem);
  }

  public void write(Path file) throws IOException {
    try (BufferedWriter out = Tsv.writer(file, HEADER)) {
      for (int r = 0; r < ranked.length; r++) {
        out.write(ranked[r] + "\t" + counts[r] + "\n");
      }
    }
  }
}
