package io.recsys.ranking.batching;

import java.time.Duration;

/**
 * When the batcher runs a batch (Triton's dynamic batcher knobs): as soon as it holds
 * {@code maxBatchRows} rows, or when its oldest request has waited {@code maxQueueDelay}. At most
 * {@code maxQueuedRows} rows wait in its queue; more are refused.
 *
 * @param sparseWidth ints per feature row
 * @param denseWidth floats per feature row
 */
public record BatchPolicy(int maxBatchRows, Duration maxQueueDelay, int sparseWidth, int denseWidth,
                          int maxQueuedRows) {

  /**
   * Queued rows per row of a batch by default: 8 full batches, ~20 ms of model time at the 1.6M
   * rows/s measured on 2 cores, well inside the gateway's 250 ms ranking deadline. A deeper queue
   * only lets requests wait until their deadline has passed.
   */
  public static final int DEFAULT_QUEUED_BATCHES = 8;

  /** A queue of {@link #DEFAULT_QUEUED_BATCHES} full batches. */
  public BatchPolicy(int maxBatchRows, Duration maxQueueDelay, int sparseWidth, int denseWidth) {
    this(maxBatchRows, maxQueueDelay, sparseWidth, denseWidth,
        (int) Math.min(Integer.MAX_VALUE, (long) DEFAULT_QUEUED_BATCHES * maxBatchRows));
  }

  public BatchPolicy {
    if (maxBatchRows < 1) {
      throw new IllegalArgumentException("max batch rows must be at least 1, got " + maxBatchRows);
    }
    if (maxQueueDelay.isNegative()) {
      throw new IllegalArgumentException("max queue delay must not be negative, got " + maxQueueDelay);
    }
    if (maxQueuedRows < 1) {
      throw new IllegalArgumentException("max queued rows must be at least 1, got " + maxQueuedRows);
    }
    if (sparseWidth < 0 || denseWidth < 0 || sparseWidth + denseWidth == 0) {
      throw new IllegalArgumentException("a row needs at least one feature");
    }
  }
}
