package io.recsys.ranking.batching;

/** One model call over a batch of feature rows. */
@FunctionalInterface
public interface BatchScorer {

  /**
   * @param sparse {@code rows x sparseWidth} ints, row major
   * @param dense {@code rows x denseWidth} floats, row major
   * @return one score per row, in row order
   */
  float[] score(int[] sparse, float[] dense, int rows);
}
