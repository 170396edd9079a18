package io.recsys.cli.loadtest;

/**
 * When each request of an open-loop run is meant to be sent: request {@code i} at
 * {@code start + i / rate}, computed from {@code i} rather than accumulated, so the schedule does
 * not drift however long it runs. Latency is measured from these intended times, so a sender or
 * server stall shows up in the latencies of every request it delayed (no coordinated omission).
 *
 * @param startNanos {@link System#nanoTime()} of request 0
 * @param rate requests per second
 * @param count requests in the schedule
 */
public record ArrivalSchedule(long startNanos, double rate, long count) {

  public ArrivalSchedule {
    if (!(rate > 0)) {
      throw new IllegalArgumentException("rate must be > 0 requests/s, got " + rate);
    }
  }

  /** A schedule at {@code rate} for {@code seconds}, cut at {@code maxRequests}. */
  public static ArrivalSchedule of(long startNanos, double rate, double seconds, long maxRequests) {
    return new ArrivalSchedule(startNanos, rate, Math.min(maxRequests, (long) Math.floor(rate * seconds)));
  }

  public long intendedNanos(long i) {
    return startNanos + Math.round(i * 1e9 / rate);
  }

  /** The intended time just after the last request: the end of the scheduled window. */
  public long endNanos() {
    return intendedNanos(count);
  }
}
