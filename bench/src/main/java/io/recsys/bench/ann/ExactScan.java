package io.recsys.bench.ann;

import java.util.Arrays;
import org.apache.lucene.util.VectorUtil;

/**
 * The exact k nearest rows by dot product, as a tuned brute-force scan does it: one pass of
 * Lucene's SIMD {@link VectorUtil#dotProduct} (the Java Vector API when Lucene is vectorized) and a
 * bounded min-heap of the k best, no sort of all scores. The reference that HNSW must beat.
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
    int n = 0;
    for (int i = 0; i < rows.length; i++) {
      float s = VectorUtil.dotProduct(rows[i], q);
      if (n < k) {
        siftUp(heapScore, heapItem, n++, s, i);
      } else if (s > heapScore[0]) {
        siftDown(heapScore, heapItem, k, s, i);
      }
    }
    return Arrays.copyOf(heapItem, n);
  }

  private static void siftUp(float[] score, int[] item, int c, float s, int i) {
    while (c > 0 && score[(c - 1) / 2] > s) {
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
      if (child + 1 < k && score[child + 1] < score[child]) {
        child++;
      }
      if (score[child] >= s) {
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
