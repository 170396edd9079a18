package io.recsys.common.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The histogram buckets every recsys latency and count uses: fixed and few (13 latency buckets
 * from 0.25 ms to 2.5 s), so a histogram costs a handful of series and one bucket search per
 * record, and the same {@code le} values line up across servers in one PromQL query.
 */
public final class Buckets {

  private static final Duration[] LATENCY = {
      Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500)};

  private static final double[] COUNTS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};

  private Buckets() {}

  /** A latency histogram in seconds. */
  public static Timer.Builder latency(String name, String description) {
    return Timer.builder(name).description(description).serviceLevelObjectives(LATENCY)
        .minimumExpectedValue(LATENCY[0]).maximumExpectedValue(LATENCY[LATENCY.length - 1]);
  }

  /** A histogram of a count: candidates, rows or requests per batch. */
  public static DistributionSummary.Builder counts(String name, String description) {
    return DistributionSummary.builder(name).description(description).serviceLevelObjectives(COUNTS)
        .minimumExpectedValue(1.0).maximumExpectedValue(COUNTS[COUNTS.length - 1]);
  }
}
