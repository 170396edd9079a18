package io.recsys.ranking.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.common.server.ServerCounters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The batch queue is bounded in rows: beyond it a request is refused at once, and room frees up as batches run. */
class BatchQueueLimitTest {

  private static CompletableFuture<Scored> submit(DynamicBatcher b, int rows) {
    return b.submit(new int[rows], new float[0], DynamicBatcher.NO_DEADLINE);
  }

  @Test
  void requestsBeyondTheQueuedRowLimitAreRefusedUntilTheQueueDrains() throws Exception {
    CountDownLatch modelRunning = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ServerCounters counters = new ServerCounters();
    BatchScorer slow = (sparse, dense, rows) -> {
      modelRunning.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new float[rows];
    };
    // batches of at most 10 rows, at most 30 rows waiting
    try (DynamicBatcher b = new DynamicBatcher(slow, new BatchPolicy(10, Duration.ZERO, 1, 0, 30), counters)) {
      List<CompletableFuture<Scored>> accepted = new ArrayList<>();
      accepted.add(submit(b, 10));
      assertThat(modelRunning.await(5, TimeUnit.SECONDS)).isTrue();
      // the model is busy with the first: three more fill the queue to its 30 rows
      for (int i = 0; i < 3; i++) {
        accepted.add(submit(b, 10));
      }
      assertThatThrownBy(() -> submit(b, 1))
          .isInstanceOf(QueueFullException.class)
          .hasMessageContaining("30 rows queued, at most 30");
      assertThat(counters.get("batcher.queue_full")).isEqualTo(1);

      release.countDown();
      for (CompletableFuture<Scored> f : accepted) {
        assertThat(f.get(5, TimeUnit.SECONDS).scores()).hasSize(10);
      }
      // drained: taken again
      assertThat(submit(b, 25).get(5, TimeUnit.SECONDS).scores()).hasSize(25);
    }
  }

  @Test
  void anEmptyQueueTakesARequestLargerThanTheLimit() throws Exception {
    try (DynamicBatcher b = new DynamicBatcher((sparse, dense, rows) -> new float[rows],
        new BatchPolicy(10, Duration.ZERO, 1, 0, 5), new ServerCounters())) {
      assertThat(submit(b, 40).get(5, TimeUnit.SECONDS).scores()).hasSize(40);
    }
  }

  @Test
  void theDefaultQueueHoldsEightFullBatches() {
    assertThat(new BatchPolicy(4096, Duration.ZERO, 1, 1).maxQueuedRows()).isEqualTo(8 * 4096);
  }
}
