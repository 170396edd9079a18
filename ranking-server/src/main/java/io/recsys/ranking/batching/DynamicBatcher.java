package io.recsys.ranking.batching;

import io.recsys.common.server.ServerCounters;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the feature rows of concurrent requests into one model call (a dynamic batcher in the
 * manner of Triton's). Each model call costs a fixed overhead whatever its size, so scoring
 * several requests' rows together raises throughput at the price of a bounded wait.
 *
 * <p>One worker thread takes requests in arrival order until the batch holds
 * {@link BatchPolicy#maxBatchRows()} rows or its oldest request has waited
 * {@link BatchPolicy#maxQueueDelay()}, makes ONE scorer call and hands each request its slice. A
 * request larger than the batch limit is scored alone, in chunks. A request whose deadline passed
 * in the queue, or that its caller cancelled, is dropped before it costs model time. A failing
 * scorer call fails exactly the requests of that batch. The queue holds at most
 * {@link BatchPolicy#maxQueuedRows()} rows: beyond that a request is refused at once with
 * {@link QueueFullException} (answered RESOURCE_EXHAUSTED) instead of waiting behind more model
 * work than its deadline allows.
 *
 * <p>Counters: {@code batcher.batches}, {@code batcher.rows}, {@code batcher.requests},
 * {@code batcher.queue_wait_micros} (summed over requests), {@code batcher.expired},
 * {@code batcher.failed_batches}, {@code batcher.queue_full}; histograms: {@link BatcherMetrics}.
 */
public final class DynamicBatcher implements Closeable {

  /** Deadline value for "no deadline". */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  private static final Logger log = LoggerFactory.getLogger(DynamicBatcher.class);
  /** How often an idle worker looks whether it was closed. */
  private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final BatchScorer scorer;
  private final BatchPolicy policy;
  private final long maxDelayNanos;
  private final ServerCounters counters;
  private final BatcherMetrics metrics;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  /** Rows of the requests in {@link #queue}. */
  private final AtomicInteger queuedRows = new AtomicInteger();
  private final Thread worker;
  private volatile boolean closed;
  /** A request taken from the queue that did not fit the previous batch; opens the next one. */
  private Pending carried;

  public DynamicBatcher(BatchScorer scorer, BatchPolicy policy, ServerCounters counters) {
    this.scorer = scorer;
    this.policy = policy;
    this.maxDelayNanos = policy.maxQueueDelay().toNanos();
    this.counters = counters;
    this.metrics = new BatcherMetrics(counters.registry());
    this.worker = Thread.ofPlatform().name("ranker-batcher").daemon().start(this::work);
  }

  public BatchPolicy policy() {
    return policy;
  }

  /** Rows waiting for the model now (the queue depth a metrics gauge shows). */
  public int queuedRows() {
    return queuedRows.get();
  }

  /**
   * Queues one request's rows.
   *
   * @param deadlineNanos {@link System#nanoTime()} after which the request is not worth scoring,
   *     or {@link #NO_DEADLINE}
   * @return completes with the request's scores, or exceptionally with
   *     {@link ExpiredInQueueException}, {@link RejectedExecutionException} (closed) or the
   *     scorer's failure; cancelling it drops the request if it is still queued
   * @throws QueueFullException when the queue holds {@link BatchPolicy#maxQueuedRows()} rows
   *     already (an empty queue takes any request)
   */
  public CompletableFuture<Scored> submit(int[] sparse, float[] dense, long deadlineNanos) {
    int rows = rowsOf(sparse, dense);
    Pending p = new Pending(sparse, dense, rows, deadlineNanos, System.nanoTime());
    if (closed) {
      throw new RejectedExecutionException("the ranker is shutting down");
    }
    int queued = queuedRows.addAndGet(rows);
    if (queued > policy.maxQueuedRows() && queued != rows) {
      queuedRows.addAndGet(-rows);
      counters.increment("batcher.queue_full");
      throw new QueueFullException(queued - rows, policy.maxQueuedRows());
    }
    queue.add(p);
    // close() may have let the worker finish between the check above and the add
    if (closed && queue.remove(p)) {
      queuedRows.addAndGet(-rows);
      throw new RejectedExecutionException("the ranker is shutting down");
    }
    return p.result;
  }

  private int rowsOf(int[] sparse, float[] dense) {
    int rows = policy.sparseWidth() > 0
        ? sparse.length / policy.sparseWidth()
        : dense.length / policy.denseWidth();
    if (rows == 0 || sparse.length != rows * policy.sparseWidth()
        || dense.length != rows * policy.denseWidth()) {
      throw new IllegalArgumentException("expected a positive number of rows of " + policy.sparseWidth()
          + " ints and " + policy.denseWidth() + " floats, got " + sparse.length + " ints and "
          + dense.length + " floats");
    }
    return rows;
  }

  /** Stops taking requests, scores those already queued, then stops the worker. */
  @Override
  public void close() {
    closed = true;
    try {
      worker.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void work() {
    while (true) {
      Pending first;
      try {
        first = nextFirst();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (first == null) {
        return;
      }
      if (first.rows > policy.maxBatchRows()) {
        runChunked(first);
      } else {
        runBatch(collectAfter(first));
      }
    }
  }

  /** The request that opens the next batch; null once closed and drained. */
  private Pending nextFirst() throws InterruptedException {
    if (carried != null) {
      Pending p = carried;
      carried = null;
      if (admit(p, System.nanoTime())) {
        return p;
      }
    }
    while (true) {
      Pending p = poll(IDLE_POLL_NANOS);
      if (p == null) {
        if (closed && queue.isEmpty()) {
          return null;
        }
      } else if (admit(p, System.nanoTime())) {
        return p;
      }
    }
  }

  /** Fills a batch behind {@code first} until it is full or first's delay bound is reached. */
  private List<Pending> collectAfter(Pending first) {
    List<Pending> batch = new ArrayList<>();
    batch.add(first);
    int rows = first.rows;
    long flushAt = first.enqueuedNanos + maxDelayNanos;
    while (rows < policy.maxBatchRows()) {
      Pending next;
      try {
        long wait = flushAt - System.nanoTime();
        // past the bound: take only what is already queued
        next = poll(Math.max(0, wait));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (next == null) {
        break;
      }
      if (!admit(next, System.nanoTime())) {
        continue;
      }
      if (rows + next.rows > policy.maxBatchRows()) {
        carried = next;
        break;
      }
      batch.add(next);
      rows += next.rows;
    }
    return batch;
  }

  /** The next queued request, waiting up to {@code nanos}; null when none came. */
  private Pending poll(long nanos) throws InterruptedException {
    Pending p = nanos > 0 ? queue.poll(nanos, TimeUnit.NANOSECONDS) : queue.poll();
    if (p != null) {
      queuedRows.addAndGet(-p.rows);
    }
    return p;
  }

  /** False for a request that is cancelled or past its deadline (failed here, never scored). */
  private boolean admit(Pending p, long now) {
    if (p.result.isDone()) {
      return false;
    }
    if (p.deadlineNanos != NO_DEADLINE && now - p.deadlineNanos > 0) {
      counters.increment("batcher.expired");
      p.result.completeExceptionally(new ExpiredInQueueException((now - p.enqueuedNanos) / 1000));
      return false;
    }
    return true;
  }

  private void runBatch(List<Pending> collected) {
    // the wait for company may have outlived a member's deadline or its caller's patience
    long now = System.nanoTime();
    List<Pending> batch = collected.stream().filter(p -> admit(p, now)).toList();
    if (batch.isEmpty()) {
      return;
    }
    int rows = 0;
    for (Pending p : batch) {
      rows += p.rows;
    }
    int[] sparse;
    float[] dense;
    if (batch.size() == 1) {
      sparse = batch.get(0).sparse;
      dense = batch.get(0).dense;
    } else {
      sparse = new int[rows * policy.sparseWidth()];
      dense = new float[rows * policy.denseWidth()];
      int r = 0;
      for (Pending p : batch) {
        System.arraycopy(p.sparse, 0, sparse, r * policy.sparseWidth(), p.sparse.length);
        System.arraycopy(p.dense, 0, dense, r * policy.denseWidth(), p.dense.length);
        r += p.rows;
      }
    }
    recordStart(batch);
    float[] scores;
    try {
      scores = score(sparse, dense, rows);
    } catch (RuntimeException | Error e) {
      // the worker must survive any scoring failure: fail this batch, keep serving
      fail(batch, e);
      return;
    }
    int off = 0;
    for (Pending p : batch) {
      p.result.complete(new Scored(Arrays.copyOfRange(scores, off, off + p.rows), rows));
      off += p.rows;
    }
  }

  /** A request over the batch limit: scored alone, max-batch-rows at a time. */
  private void runChunked(Pending p) {
    recordStart(List.of(p));
    int max = policy.maxBatchRows();
    int sw = policy.sparseWidth();
    int dw = policy.denseWidth();
    float[] scores = new float[p.rows];
    try {
      for (int start = 0; start < p.rows; start += max) {
        int n = Math.min(max, p.rows - start);
        float[] part = score(Arrays.copyOfRange(p.sparse, start * sw, (start + n) * sw),
            Arrays.copyOfRange(p.dense, start * dw, (start + n) * dw), n);
        System.arraycopy(part, 0, scores, start, n);
      }
    } catch (RuntimeException | Error e) {
      fail(List.of(p), e);
      return;
    }
    p.result.complete(new Scored(scores, max));
  }

  private float[] score(int[] sparse, float[] dense, int rows) {
    long start = System.nanoTime();
    float[] scores = scorer.score(sparse, dense, rows);
    metrics.inference(rows, System.nanoTime() - start);
    counters.increment("batcher.batches");
    counters.add("batcher.rows", rows);
    if (scores.length != rows) {
      throw new IllegalStateException("the scorer returned " + scores.length + " scores for " + rows + " rows");
    }
    return scores;
  }

  private void recordStart(List<Pending> batch) {
    long now = System.nanoTime();
    long waited = 0;
    for (Pending p : batch) {
      waited += now - p.enqueuedNanos;
      metrics.queueWait(now - p.enqueuedNanos);
    }
    metrics.batchRequests(batch.size());
    counters.add("batcher.requests", batch.size());
    counters.add("batcher.queue_wait_micros", waited / 1000);
  }

  private void fail(List<Pending> batch, Throwable e) {
    counters.increment("batcher.failed_batches");
    log.warn("scoring a batch of {} requests failed", batch.size(), e);
    for (Pending p : batch) {
      p.result.completeExceptionally(e);
    }
  }

  /** One queued request. */
  private static final class Pending {
    final int[] sparse;
    final float[] dense;
    final int rows;
    final long deadlineNanos;
    final long enqueuedNanos;
    final CompletableFuture<Scored> result = new CompletableFuture<>();

    Pending(int[] sparse, float[] dense, int rows, long deadlineNanos, long enqueuedNanos) {
      this.sparse = sparse;
      this.dense = dense;
      this.rows = rows;
      this.deadlineNanos = deadlineNanos;
      this.enqueuedNanos = enqueuedNanos;
    }
  }
}
