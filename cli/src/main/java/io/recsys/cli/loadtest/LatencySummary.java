package io.recsys.cli.loadtest;

import org.HdrHistogram.Histogram;

/** The percentiles a report shows, in milliseconds, read from a histogram of microseconds. */
public record LatencySummary(double p50, double p90, double p99, double p999, double max, double mean) {

  public static LatencySummary of(Histogram micros) {
    if (micros.getTotalCount() == 0) {
      return new LatencySummary(0, 0, 0, 0, 0, 0);
    }
    return new LatencySummary(ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(90)),
        ms(micros.getValueAtPercentile(99)), ms(micros.getValueAtPercentile(99.9)),
        ms(micros.getMaxValue()), Math.round(micros.getMean()) / 1000.0);
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }
}
