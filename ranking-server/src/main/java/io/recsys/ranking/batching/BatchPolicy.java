package io.recsys.ranking.batching;

import java.time.Duration;

/**
 * When the batcher runs a batch (Triton's dynamic batcher knobs): as soon as it holds
 * {@code maxBatchRows} rows, or when its oldest request has waited {@code maxQueueDelay}.
 *
 * @param sparseWidth ints per feature row
 * @param denseWidth floats per feature row
 */
public record BatchPolicy(int maxBatchRows, Duration maxQueueDelay, int sparseWidth, int denseWidth) {

  public BatchPolicy {
    if (maxBatchRows < 1) {
      throw new IllegalArgumentException("max batch rows must be at least 1, got " + maxBatchRows);
    }
    if (maxQueueDelay.isNegative()) {
      throw new IllegalArgumentException("max queue delay must not be negative, got " + maxQueueDelay);
    }
    if (sparseWidth < 0 || denseWidth < 0 || sparseWidth + denseWidth == 0) {
      throw new IllegalArgumentException("a row needs at least one feature");
    }
  }
}
