package io.recsys.ranking.batching;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.recsys.common.metrics.Buckets;
import java.util.concurrent.TimeUnit;

/**
 * The batcher's histograms in the server's registry: rows and requests per model call
 * ({@code recsys_ranking_batch_rows}, {@code recsys_ranking_batch_requests}), each request's wait in
 * the queue ({@code recsys_ranking_queue_wait_seconds}) and each model call's time
 * ({@code recsys_ranking_inference_seconds}). Registered by name, so the batcher of a newly
 * loaded bundle records into the same series as the one it replaces.
 */
final class BatcherMetrics {

  private final DistributionSummary batchRows;
  private final DistributionSummary batchRequests;
  private final Timer queueWait;
  private final Timer inference;

  BatcherMetrics(MeterRegistry registry) {
    batchRows = Buckets.counts("recsys.ranking.batch.rows", "feature rows per model call (dynamic batch size)")
        .register(registry);
    batchRequests = Buckets.counts("recsys.ranking.batch.requests", "Rank requests joined into one batch")
        .register(registry);
    queueWait = Buckets.latency("recsys.ranking.queue.wait", "how long a Rank request waited for its batch")
        .register(registry);
    inference = Buckets.latency("recsys.ranking.inference", "time of one model call over a batch")
        .register(registry);
  }

  /** How long one request waited in the queue before its batch started. */
  void queueWait(long nanos) {
    queueWait.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A batch (or a request too large to share one) starts with {@code requests} requests. */
  void batchRequests(int requests) {
    batchRequests.record(requests);
  }

  /** One model call over {@code rows} rows that took {@code nanos}. */
  void inference(int rows, long nanos) {
    batchRows.record(rows);
    inference.record(nanos, TimeUnit.NANOSECONDS);
  }
}
