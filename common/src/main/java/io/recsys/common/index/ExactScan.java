package io.recsys.common.index;

import java.util.Arrays;
import java.util.function.IntPredicate;
import org.apache.lucene.util.VectorUtil;

/**
 * The exact k nearest rows by dot product, as a tuned brute-force scan does it: one pass of
 * Lucene's SIMD {@link VectorUtil#dotProduct} (the Java Vector API when Lucene is vectorized) and a
 * bounded min-heap of the k best, no sort of all scores. The reference that HNSW must beat, and
 * what small catalogs are searched with (see {@link ItemVectorSearcher#DEFAULT_EXACT_SCAN_MAX_FLOATS}).
 */
public final class ExactScan {

  private final float[][] rows;

  public ExactScan(float[][] rows) {
    this.rows = rows;
  }

  public int size() {
    return rows.length;
  }

  /** Indices of the k rows with the largest dot product with {@code q}, in no particular order. */
  public int[] topK(float[] q, int k) {
    float[] heapScore = new float[k];
    int[] heapItem = new int[k];
    int n = scan(q, k, i -> false, heapScore, heapItem);
    return Arrays.copyOf(heapItem, n);
  }

  /** The k rows with the largest dot product with {@code q} that {@code exclude} lets through, best first. */
  public ScoredItems search(float[] q, int k, IntPredicate exclude) {
    float[] heapScore = new float[k];
    int[] heapItem = new int[k];
    int n = scan(q, k, exclude, heapScore, heapItem);
    // pop the min-heap from the back: worst first out, so the arrays fill best first
    int[] items = new int[n];
    float[] scores = new float[n];
    for (int size = n; size > 0; size--) {
      items[size - 1] = heapItem[0];
      scores[size - 1] = heapScore[0];
      float lastScore = heapScore[size - 1];
      int lastItem = heapItem[size - 1];
      if (size > 1) {
        siftDown(heapScore, heapItem, size - 1, lastScore, lastItem);
      }
    }
    return new ScoredItems(items, scores);
  }

  /** Fills the min-heap with the best k; returns how many it holds. */
  private int scan(float[] q, int k, IntPredicate exclude, float[] heapScore, int[] heapItem) {
    int n = 0;
    for (int i = 0; i < rows.length; i++) {
      float s = VectorUtil.dotProduct(rows[i], q);
      // the exclusion test only for rows that would enter the heap
      if (n < k) {
        if (!exclude.test(i)) {
          siftUp(heapScore, heapItem, n++, s, i);
        }
      } else if (s > heapScore[0] && !exclude.test(i)) {
        // a tie with the worst of the k loses: rows come in order, so this one is the later
        siftDown(heapScore, heapItem, k, s, i);
      }
    }
    return n;
  }

  /**
   * The heap's order: a lower score, or the same score at a later row. Equal scores are broken by
   * row so that the k best are one well-defined set: a catalog split into shards (rows in item
   * order in each) then yields exactly the unsharded top k when the shards' answers are merged.
   */
  private static boolean worse(float s, int i, float than, int thanItem) {
    return s < than || (s == than && i > thanItem);
  }

  private static void siftUp(float[] score, int[] item, int c, float s, int i) {
    while (c > 0 && worse(s, i, score[(c - 1) / 2], item[(c - 1) / 2])) {
      score[c] = score[(c - 1) / 2];
      item[c] = item[(c - 1) / 2];
      c = (c - 1) / 2;
    }
    score[c] = s;
    item[c] = i;
  }

  /** Replaces the heap's root (the worst of the k) by (s, i). */
  private static void siftDown(float[] score, int[] item, int k, float s, int i) {
    int c = 0;
    while (true) {
      int child = 2 * c + 1;
      if (child >= k) {
        break;
      }
      if (child + 1 < k && worse(score[child + 1], item[child + 1], score[child], item[child])) {
        child++;
      }
      if (!worse(score[child], item[child], s, i)) {
        break;
      }
      score[c] = score[child];
      item[c] = item[child];
      c = child;
    }
    score[c] = s;
    item[c] = i;
  }
}
