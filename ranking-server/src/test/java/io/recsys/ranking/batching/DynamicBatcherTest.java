package io.recsys.ranking.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.common.server.ServerCounters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batching logic with a fake scorer: a row's score is derived from its own features, so a
 * mixed-up slice shows as a wrong score.
 */
class DynamicBatcherTest {

  private static final int SW = 2;
  private static final int DW = 1;
  private static final long TIMEOUT_S = 10;

  private final ServerCounters counters = new ServerCounters();
  /** Rows of each scorer call, in call order. */
  private final List<Integer> calls = new CopyOnWriteArrayList<>();
  private DynamicBatcher batcher;

  @AfterEach
  void close() {
    if (batcher != null) {
      batcher.close();
    }
  }

  /** Score of a row = 1000 * first sparse value + dense value. */
  private float[] fakeScore(int[] sparse, float[] dense, int rows) {
    calls.add(rows);
    float[] out = new float[rows];
    for (int r = 0; r < rows; r++) {
      out[r] = 1000f * sparse[r * SW] + dense[r * DW];
    }
    return out;
  }

  private DynamicBatcher start(BatchScorer scorer, int maxRows, Duration delay) {
    return start(scorer, new BatchPolicy(maxRows, delay, SW, DW));
  }

  private DynamicBatcher start(BatchScorer scorer, BatchPolicy policy) {
    batcher = new DynamicBatcher(scorer, policy, counters);
    return batcher;
  }

  /** {@code rows} rows of request {@code id}: row r scores {@code 1000 * id + r}. */
  private static CompletableFuture<Scored> submit(DynamicBatcher b, int id, int rows, long deadlineNanos) {
    int[] sparse = new int[rows * SW];
    float[] dense = new float[rows * DW];
    for (int r = 0; r < rows; r++) {
      sparse[r * SW] = id;
      sparse[r * SW + 1] = -1;
      dense[r] = r;
    }
    return b.submit(sparse, dense, deadlineNanos);
  }

  private static void assertScoresOf(Scored s, int id, int rows) {
    assertThat(s.scores()).hasSize(rows);
    for (int r = 0; r < rows; r++) {
      assertThat(s.scores()[r]).as("request %d row %d", id, r).isEqualTo(1000f * id + r);
    }
  }

  @Test
  void concurrentRequestsShareOneScorerCall() throws Exception {
    DynamicBatcher b = start(this::fakeScore, 4096, Duration.ofMillis(200));
    List<CompletableFuture<Scored>> futures = new ArrayList<>();
    for (int id = 1; id <= 8; id++) {
      futures.add(submit(b, id, id, DynamicBatcher.NO_DEADLINE));
    }
    for (int id = 1; id <= 8; id++) {
      Scored s = futures.get(id - 1).get(TIMEOUT_S, TimeUnit.SECONDS);
      assertScoresOf(s, id, id);
      assertThat(s.batchRows()).isEqualTo(36);
    }
    assertThat(calls).containsExactly(36);
    assertThat(counters.get("batcher.batches")).isEqualTo(1);
    assertThat(counters.get("batcher.rows")).isEqualTo(36);
    assertThat(counters.get("batcher.requests")).isEqualTo(8);
  }

  @Test
  void aLoneRequestWaitsAtMostTheQueueDelay() throws Exception {
    Duration delay = Duration.ofMillis(40);
    DynamicBatcher b = start(this::fakeScore, 4096, delay);
    long t0 = System.nanoTime();
    Scored s = submit(b, 3, 5, DynamicBatcher.NO_DEADLINE).get(TIMEOUT_S, TimeUnit.SECONDS);
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertScoresOf(s, 3, 5);
    // it waits for company up to the bound, and not much longer (slack for a busy 2-core machine)
    assertThat(waitedMs).isBetween(delay.toMillis() - 2, delay.toMillis() + 150);
    assertThat(counters.get("batcher.queue_wait_micros")).isGreaterThanOrEqualTo((delay.toMillis() - 2) * 1000);
  }

  @Test
  void aFullBatchDoesNotWaitForTheDelay() throws Exception {
    DynamicBatcher b = start(this::fakeScore, 8, Duration.ofSeconds(30));
    CompletableFuture<Scored> first = submit(b, 1, 4, DynamicBatcher.NO_DEADLINE);
    CompletableFuture<Scored> second = submit(b, 2, 4, DynamicBatcher.NO_DEADLINE);
    assertScoresOf(first.get(TIMEOUT_S, TimeUnit.SECONDS), 1, 4);
    assertScoresOf(second.get(TIMEOUT_S, TimeUnit.SECONDS), 2, 4);
    assertThat(calls).containsExactly(8);
  }

  @Test
  void manyThreadsGetTheirOwnRowsBack() throws Exception {
    // small batches force requests to be carried over to the next batch and split across calls;
    // the queue holds what the 8 threads can have waiting at once (20 rows each), so that a stalled
    // batcher thread on a busy machine delays the test instead of refusing a request
    DynamicBatcher b = start(this::fakeScore, new BatchPolicy(16, Duration.ofMillis(2), SW, DW, 8 * 20));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 50; i++) {
            int id = thread * 100 + i + 1;
            int rows = 1 + (id * 7) % 20; // some above the batch limit: scored alone in chunks
            assertScoresOf(submit(b, id, rows, DynamicBatcher.NO_DEADLINE).get(TIMEOUT_S, TimeUnit.SECONDS), id, rows);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    int totalRows = 0;
    for (int t = 0; t < 8; t++) {
      for (int i = 0; i < 50; i++) {
        totalRows += 1 + ((t * 100 + i + 1) * 7) % 20;
      }
    }
    assertThat(calls).allMatch(rows -> rows <= 16);
    assertThat(calls.stream().mapToInt(Integer::intValue).sum()).isEqualTo(totalRows);
    assertThat(counters.get("batcher.requests")).isEqualTo(400);
  }

  @Test
  void anOversizedRequestIsScoredAloneInChunks() throws Exception {
    DynamicBatcher b = start(this::fakeScore, 4, Duration.ZERO);
    Scored s = submit(b, 7, 10, DynamicBatcher.NO_DEADLINE).get(TIMEOUT_S, TimeUnit.SECONDS);
    assertScoresOf(s, 7, 10);
    assertThat(s.batchRows()).isEqualTo(4);
    assertThat(calls).containsExactly(4, 4, 2);
  }

  @Test
  void aFailingScorerCallFailsOnlyItsBatch() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch firstRunning = new CountDownLatch(1);
    BatchScorer scorer = (sparse, dense, rows) -> {
      firstRunning.countDown();
      await(gate);
      for (int r = 0; r < rows; r++) {
        if (sparse[r * SW] == 666) {
          throw new IllegalStateException("model exploded");
        }
      }
      return fakeScore(sparse, dense, rows);
    };
    DynamicBatcher b = start(scorer, 4096, Duration.ofMillis(50));
    CompletableFuture<Scored> before = submit(b, 1, 3, DynamicBatcher.NO_DEADLINE);
    assertThat(firstRunning.await(TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
    // queued while the first batch runs: these two become the next batch together
    CompletableFuture<Scored> poisoned = submit(b, 666, 2, DynamicBatcher.NO_DEADLINE);
    CompletableFuture<Scored> sameBatch = submit(b, 2, 2, DynamicBatcher.NO_DEADLINE);
    gate.countDown();

    assertScoresOf(before.get(TIMEOUT_S, TimeUnit.SECONDS), 1, 3);
    assertThatThrownBy(() -> poisoned.get(TIMEOUT_S, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).hasRootCauseMessage("model exploded");
    assertThatThrownBy(() -> sameBatch.get(TIMEOUT_S, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).hasRootCauseMessage("model exploded");
    // the worker survives and serves the next request
    assertScoresOf(submit(b, 3, 4, DynamicBatcher.NO_DEADLINE).get(TIMEOUT_S, TimeUnit.SECONDS), 3, 4);
    assertThat(counters.get("batcher.failed_batches")).isEqualTo(1);
  }

  @Test
  void aRequestWhoseDeadlinePassedInTheQueueIsNotScored() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch firstRunning = new CountDownLatch(1);
    BatchScorer scorer = (sparse, dense, rows) -> {
      firstRunning.countDown();
      await(gate);
      return fakeScore(sparse, dense, rows);
    };
    DynamicBatcher b = start(scorer, 4096, Duration.ZERO);
    CompletableFuture<Scored> blocker = submit(b, 1, 1, DynamicBatcher.NO_DEADLINE);
    assertThat(firstRunning.await(TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Scored> late = submit(b, 2, 1, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5));
    CompletableFuture<Scored> cancelled = submit(b, 3, 1, DynamicBatcher.NO_DEADLINE);
    cancelled.cancel(false);
    Thread.sleep(30);
    gate.countDown();

    assertScoresOf(blocker.get(TIMEOUT_S, TimeUnit.SECONDS), 1, 1);
    assertThatThrownBy(() -> late.get(TIMEOUT_S, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ExpiredInQueueException.class);
    assertScoresOf(submit(b, 4, 2, DynamicBatcher.NO_DEADLINE).get(TIMEOUT_S, TimeUnit.SECONDS), 4, 2);
    assertThat(calls).containsExactly(1, 2);
    assertThat(counters.get("batcher.expired")).isEqualTo(1);
  }

  @Test
  void aDeadlineThatPassesWhileTheBatchGathersDropsOnlyThatRequest() throws Exception {
    DynamicBatcher b = start(this::fakeScore, 4096, Duration.ofMillis(300));
    CompletableFuture<Scored> hurried = submit(b, 1, 3, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30));
    CompletableFuture<Scored> patient = submit(b, 2, 2, DynamicBatcher.NO_DEADLINE);
    assertScoresOf(patient.get(TIMEOUT_S, TimeUnit.SECONDS), 2, 2);
    assertThatThrownBy(() -> hurried.get(TIMEOUT_S, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ExpiredInQueueException.class);
    assertThat(calls).containsExactly(2);
  }

  @Test
  void closeScoresWhatIsQueuedThenRefusesNewRequests() throws Exception {
    DynamicBatcher b = start(this::fakeScore, 4096, Duration.ofMillis(100));
    CompletableFuture<Scored> queued = submit(b, 5, 3, DynamicBatcher.NO_DEADLINE);
    b.close();
    assertThat(queued).isDone();
    assertScoresOf(queued.get(), 5, 3);
    assertThatThrownBy(() -> submit(b, 6, 1, DynamicBatcher.NO_DEADLINE))
        .isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void rowsThatDoNotMatchTheRowShapeAreRejected() {
    DynamicBatcher b = start(this::fakeScore, 4096, Duration.ZERO);
    assertThatThrownBy(() -> b.submit(new int[3], new float[1], DynamicBatcher.NO_DEADLINE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 ints and 1 floats");
    assertThatThrownBy(() -> b.submit(new int[0], new float[0], DynamicBatcher.NO_DEADLINE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void await(CountDownLatch gate) {
    try {
      gate.await();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
