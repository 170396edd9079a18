package io.recsys.bench.ann;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one search function over the queries from several threads for a fixed time and reports the
 * throughput and the per-query latency percentiles. Each thread starts at its own offset in the
 * query list and cycles through it, so threads do not search the same vector at the same time.
 */
public final class QueryLoad {

  /** A search of query number {@code q}; returns something derived from the result (kept live). */
  @FunctionalInterface
  public interface Search {
    int run(int q) throws Exception;
  }

  /** Queries per second over all threads, and latency percentiles in milliseconds. */
  public record Result(int threads, long queries, double qps, double p50Ms, double p99Ms) {}

  private final int queryCount;
  private final double seconds;
  /** Where the searches' results end up, so the JIT cannot drop them. */
  @SuppressWarnings("unused")
  private volatile int consumed;

  /**
   * @param queryCount the queries that {@link Search#run} accepts (0 .. queryCount - 1)
   * @param seconds how long each measurement runs, after a warm-up of a quarter of that
   */
  public QueryLoad(int queryCount, double seconds) {
    this.queryCount = queryCount;
    this.seconds = seconds;
  }

  public Result measure(Search search, int threads) throws Exception {
    run(search, threads, seconds / 4); // JIT and page cache, not counted
    return run(search, threads, seconds);
  }

  private Result run(Search search, int threads, double forSeconds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long start = System.nanoTime();
      long end = start + (long) (forSeconds * 1e9);
      List<Future<long[]>> parts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t * queryCount / threads;
        Callable<long[]> worker = () -> latencies(search, offset, end);
        parts.add(pool.submit(worker));
      }
      List<long[]> all = new ArrayList<>();
      for (Future<long[]> part : parts) {
        all.add(part.get());
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      long[] nanos = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      return new Result(threads, nanos.length, nanos.length / elapsed,
          percentile(nanos, 0.50) / 1e6, percentile(nanos, 0.99) / 1e6);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Searches until {@code end}; at least one query, so slow scans still give a number. */
  private long[] latencies(Search search, int offset, long end) throws Exception {
    long[] nanos = new long[1024];
    int n = 0;
    int sink = 0;
    do {
      long t0 = System.nanoTime();
      sink += search.run((offset + n) % queryCount);
      long t1 = System.nanoTime();
      if (n == nanos.length) {
        nanos = Arrays.copyOf(nanos, n * 2);
      }
      nanos[n++] = t1 - t0;
    } while (System.nanoTime() < end);
    consumed = sink;
    return Arrays.copyOf(nanos, n);
  }

  /** The nearest-rank percentile of sorted values. */
  public static double percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
