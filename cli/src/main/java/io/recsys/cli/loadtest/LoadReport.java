package io.recsys.cli.loadtest;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a load test: its settings, every measured step and, in step mode, the max
 * sustainable rate. {@link #text()} is the report for a person; {@link JsonReport} writes the same
 * for scripts that compare runs.
 *
 * @param settings every option of the run, by name
 * @param maxSustainableRate step mode only, else null
 * @param stopReason step mode only, else null
 */
public record LoadReport(String mode, Map<String, Object> settings, List<StepResult> steps,
                         Double maxSustainableRate, String stopReason) {

  /** A send this late says the load generator itself could not keep the schedule. */
  static final double SENDER_LAG_WARN_MS = 10;

  public String text() {
    StringBuilder out = new StringBuilder();
    out.append("[loadtest] ").append(mode).append(" results (latency in ms, all calls;")
        .append(mode.equals("closed") ? " from the actual send)\n" : " from the intended send time)\n");
    out.append(String.format("  %-10s %9s %10s %9s %8s %8s %8s %8s %8s %7s %8s %8s%n", "phase", "target/s",
        "achieved/s", "calls", "p50", "p90", "p99", "p99.9", "max", "errors", "degraded", "feedback"));
    for (StepResult s : steps) {
      LatencySummary l = s.latencyMs();
      out.append(String.format("  %-10s %9s %10.0f %9d %8.2f %8.2f %8.2f %8.2f %8.2f %7d %8d %8d%n", s.label(),
          s.targetRate() > 0 ? "%.0f".formatted(s.targetRate()) : s.clients() + " cl", s.achievedRate(),
          s.requests(), l.p50(), l.p90(), l.p99(), l.p999(), l.max(), s.errorCount(), s.degraded(), s.feedback()));
      if (!s.errors().isEmpty()) {
        out.append("             errors by status: ").append(s.errors()).append('\n');
      }
      if (s.maxSendLagMs() > SENDER_LAG_WARN_MS) {
        out.append(String.format("             warning: the harness sent up to %.1f ms late (it was short of CPU);"
            + " the latencies include that delay%n", s.maxSendLagMs()));
      }
    }
    if (maxSustainableRate != null) {
      out.append(String.format("[loadtest] max sustainable rate: %.0f req/s (p99 <= %s ms, error rate <= %s); stopped: %s%n",
          maxSustainableRate, settings.get("--slo-p99-ms"), settings.get("--max-error-rate"), stopReason));
    }
    return out.toString();
  }
}
