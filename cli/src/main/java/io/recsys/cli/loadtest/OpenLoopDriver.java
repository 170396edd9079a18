package io.recsys.cli.loadtest;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends calls at a target arrival rate whether or not earlier ones returned (open loop). One
 * sender thread follows an {@link ArrivalSchedule}; when it falls behind it sends the overdue calls
 * at once, and every latency counts from the call's intended send time. Calls in flight are
 * bounded: past the bound a call is not sent and counts as a {@link CallOutcome#CLIENT_BACKLOG}
 * error, so a stalled server makes the run fail loudly rather than grow without limit.
 */
public final class OpenLoopDriver {

  private final GatewayChannels channels;
  private final TrafficMix mix;
  private final SplittableRandom rnd;
  private final int maxInFlight;
  private final long drainTimeoutNanos;

  public OpenLoopDriver(GatewayChannels channels, TrafficMix mix, long seed, int maxInFlight,
                        long drainTimeoutMs) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("--max-in-flight must be >= 1, got " + maxInFlight);
    }
    this.channels = channels;
    this.mix = mix;
    this.rnd = new SplittableRandom(seed);
    this.maxInFlight = maxInFlight;
    this.drainTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(drainTimeoutMs);
  }

  public StepResult run(String label, double rate, double seconds, long maxRequests, LatencyRecorder recorder) {
    ArrivalSchedule schedule = ArrivalSchedule.of(System.nanoTime(), rate, seconds, maxRequests);
    AtomicInteger inFlight = new AtomicInteger();
    long maxLag = 0;
    for (long i = 0; i < schedule.count(); i++) {
      long intended = schedule.intendedNanos(i);
      long now;
      while ((now = System.nanoTime()) < intended) {
        LockSupport.parkNanos(intended - now);
      }
      maxLag = Math.max(maxLag, now - intended);
      TrafficMix.Call call = mix.next(rnd);
      if (inFlight.get() >= maxInFlight) {
        recorder.record(now - intended, CallOutcome.error(CallOutcome.CLIENT_BACKLOG, call instanceof TrafficMix.Call.Feedback));
        continue;
      }
      inFlight.incrementAndGet();
      channels.send(call).thenAccept(outcome -> {
        recorder.record(System.nanoTime() - intended, outcome);
        inFlight.decrementAndGet();
      });
    }
    awaitDrained(inFlight);
    double elapsed = (System.nanoTime() - schedule.startNanos()) / 1e9;
    return StepResult.of(label, rate, 0, elapsed, maxLag / 1e6, recorder);
  }

  private void awaitDrained(AtomicInteger inFlight) {
    long giveUp = System.nanoTime() + drainTimeoutNanos;
    while (inFlight.get() > 0 && System.nanoTime() < giveUp) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }
}
