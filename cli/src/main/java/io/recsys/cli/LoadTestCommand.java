package io.recsys.cli;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.RecommenderServiceGrpc;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code loadtest}: closed-loop gRPC load on a gateway. N concurrent clients each send Recommend
 * for random users (known ids u00001.., plus a share of unknown ones) back to back for a fixed
 * time after a warm-up; prints throughput and latency percentiles every few seconds and at the end.
 * Stops by itself: bounded by --duration-s and --max-requests.
 */
@Command(name = "loadtest", mixinStandardHelpOptions = true,
    description = "Closed-loop load test of a running gateway; prints QPS and latency percentiles.")
final class LoadTestCommand implements Callable<Integer> {

  @Option(names = "--gateway", defaultValue = "localhost:50050", description = "gateway target (default: ${DEFAULT-VALUE})")
  String gateway;

  @Option(names = "--concurrency", defaultValue = "8", description = "concurrent clients (default: ${DEFAULT-VALUE})")
  int concurrency;

  @Option(names = "--duration-s", defaultValue = "30", description = "measured seconds (default: ${DEFAULT-VALUE})")
  int durationS;

  @Option(names = "--warmup-s", defaultValue = "5", description = "unmeasured warm-up seconds (default: ${DEFAULT-VALUE})")
  int warmupS;

  @Option(names = "--max-requests", defaultValue = "1000000", description = "stop after this many measured requests (default: ${DEFAULT-VALUE})")
  int maxRequests;

  @Option(names = "--users", defaultValue = "2000", description = "known user ids u00001..uN to draw from (default: ${DEFAULT-VALUE})")
  int users;

  @Option(names = "--unknown-share", defaultValue = "0.1", description = "share of requests from unknown users (default: ${DEFAULT-VALUE})")
  double unknownShare;

  @Option(names = "--k", defaultValue = "10", description = "items per request (default: ${DEFAULT-VALUE})")
  int k;

  @Option(names = "--timeout-ms", defaultValue = "1000", description = "per-call deadline (default: ${DEFAULT-VALUE})")
  long timeoutMs;

  /** Latencies of one phase, in microseconds. */
  private static final class Window {
    final long[] micros;
    final AtomicInteger n = new AtomicInteger();
    final LongAdder errors = new LongAdder();
    final LongAdder degraded = new LongAdder();
    final Map<String, LongAdder> errorCodes = new ConcurrentHashMap<>();

    Window(int capacity) {
      micros = new long[capacity];
    }

    void record(long us) {
      int i = n.getAndIncrement();
      if (i < micros.length) {
        micros[i] = us;
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    ManagedChannel channel = ManagedChannelBuilder.forTarget(gateway).usePlaintext().build();
    try {
      RecommenderServiceGrpc.RecommenderServiceBlockingStub stub = RecommenderServiceGrpc.newBlockingStub(channel);
      System.out.printf("[loadtest] %s: %d clients, k=%d, %ds warm-up + %ds measured%n",
          gateway, concurrency, k, warmupS, durationS);
      run(stub, new Window(1 << 20), warmupS, Integer.MAX_VALUE, false);
      Window w = run(stub, new Window(Math.min(maxRequests, 1 << 24)), durationS, maxRequests, true);
      report("total", w, durationS);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    return 0;
  }

  private Window run(RecommenderServiceGrpc.RecommenderServiceBlockingStub stub, Window w, int seconds,
                     int max, boolean progress) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    CountDownLatch done = new CountDownLatch(concurrency);
    for (int c = 0; c < concurrency; c++) {
      Thread.ofPlatform().daemon().start(() -> {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        while (System.nanoTime() < end && w.n.get() < max) {
          String user = rnd.nextDouble() < unknownShare ? "load-unknown-" + rnd.nextInt(1_000_000)
              : String.format("u%05d", 1 + rnd.nextInt(users));
          long t0 = System.nanoTime();
          try {
            RecommendResponse r = stub.withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS)
                .recommend(RecommendRequest.newBuilder().setUserId(user).setK(k).build());
            if (r.getDegraded()) {
              w.degraded.increment();
            }
          } catch (StatusRuntimeException e) {
            w.errors.increment();
            w.errorCodes.computeIfAbsent(e.getStatus().getCode().name(), x -> new LongAdder()).increment();
          }
          w.record((System.nanoTime() - t0) / 1000);
        }
        done.countDown();
      });
    }
    long start = System.nanoTime();
    int last = 0;
    while (!done.await(5, TimeUnit.SECONDS)) {
      if (progress) {
        int now = w.n.get();
        System.out.printf("[loadtest] %4.0fs %8d requests  %7.0f req/s  errors %d  degraded %d%n",
            (System.nanoTime() - start) / 1e9, now, (now - last) / 5.0, w.errors.sum(), w.degraded.sum());
        last = now;
      }
    }
    return w;
  }

  private static void report(String label, Window w, int seconds) {
    int n = Math.min(w.n.get(), w.micros.length);
    long[] sorted = Arrays.copyOf(w.micros, n);
    Arrays.sort(sorted);
    Map<String, Long> codes = new TreeMap<>();
    w.errorCodes.forEach((c, a) -> codes.put(c, a.sum()));
    System.out.printf("[loadtest] %s: %d requests in %ds = %.0f req/s; latency ms p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f; errors %d %s; degraded %d%n",
        label, n, seconds, n / (double) seconds, pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99),
        pct(sorted, 0.999), n == 0 ? 0 : sorted[n - 1] / 1000.0, w.errors.sum(), codes, w.degraded.sum());
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1000.0;
  }
}
