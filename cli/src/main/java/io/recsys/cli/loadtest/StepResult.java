package io.recsys.cli.loadtest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one measured phase (a fixed-rate step, or a closed-loop run) produced.
 *
 * @param label e.g. "step 3" or "closed"
 * @param targetRate the open-loop arrival rate in requests/s; 0 for a closed loop
 * @param clients concurrent clients of a closed loop; 0 for an open loop
 * @param seconds from the first send until the last call completed
 * @param requests calls completed (Recommend and Feedback, failed ones included)
 * @param achievedRate {@code requests / seconds}
 * @param latencyMs percentiles of {@code histogram}
 * @param errors failed calls by gRPC status code ({@link CallOutcome#CLIENT_BACKLOG}: not sent)
 * @param maxSendLagMs how late the harness itself sent its most delayed request (open loop); a
 *     large value says the load generator, not the server, was the bottleneck
 * @param histogram latencies in microseconds, from the intended send time (open loop) or the
 *     actual send time (closed loop)
 */
public record StepResult(String label, double targetRate, int clients, double seconds, long requests,
                         double achievedRate, LatencySummary latencyMs, Map<String, Long> errors,
                         long degraded, long feedback, double maxSendLagMs, Histogram histogram) {

  public StepResult {
    errors = Collections.unmodifiableSortedMap(new TreeMap<>(errors));
  }

  /** The result of a phase from what its recorder collected. */
  static StepResult of(String label, double targetRate, int clients, double seconds,
                       double maxSendLagMs, LatencyRecorder recorder) {
    Histogram h = recorder.total();
    long n = h.getTotalCount();
    return new StepResult(label, targetRate, clients, seconds, n, seconds > 0 ? n / seconds : 0,
        LatencySummary.of(h), recorder.errorsByCode(), recorder.degraded(), recorder.feedback(),
        maxSendLagMs, h);
  }

  public long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  @JsonProperty("errorRate")
  public double errorRate() {
    return requests == 0 ? 0 : errorCount() / (double) requests;
  }
}
