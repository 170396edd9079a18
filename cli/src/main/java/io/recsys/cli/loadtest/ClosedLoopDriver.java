package io.recsys.cli.loadtest;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N clients, each sending its next call when the previous one returned (closed loop). Latency
 * counts from the actual send: a stalled server slows the senders down, so the stall appears in
 * few samples. This is how a fixed pool of callers sees the system, not how open traffic does.
 */
public final class ClosedLoopDriver {

  private final GatewayChannels channels;
  private final TrafficMix mix;
  private final long seed;

  public ClosedLoopDriver(GatewayChannels channels, TrafficMix mix, long seed) {
    this.channels = channels;
    this.mix = mix;
    this.seed = seed;
  }

  public StepResult run(String label, int clients, double seconds, long maxRequests, LatencyRecorder recorder)
      throws InterruptedException {
    if (clients < 1) {
      throw new IllegalArgumentException("--concurrency must be >= 1, got " + clients);
    }
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    AtomicLong sent = new AtomicLong();
    SplittableRandom root = new SplittableRandom(seed);
    Thread[] threads = new Thread[clients];
    for (int c = 0; c < clients; c++) {
      SplittableRandom rnd = root.split();
      threads[c] = Thread.ofPlatform().daemon().name("loadtest-client-" + c).start(() -> {
        while (System.nanoTime() < end && sent.incrementAndGet() <= maxRequests) {
          TrafficMix.Call call = mix.next(rnd);
          long t0 = System.nanoTime();
          CallOutcome outcome = channels.send(call).join();
          recorder.record(System.nanoTime() - t0, outcome);
        }
      });
    }
    for (Thread t : threads) {
      t.join();
    }
    return StepResult.of(label, 0, clients, (System.nanoTime() - start) / 1e9, 0, recorder);
  }
}
