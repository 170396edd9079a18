package io.recsys.gateway.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.recsys.common.metrics.Buckets;
import io.recsys.common.server.ServerCounters;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The running totals of every stage, in the server's counters so the admin status shows them
 * ({@code stage.<stage>.calls}, {@code .micros}, {@code .candidates_out}, one counter per non-ok
 * outcome: {@code stage.source:two_tower.timeout}), and in its Prometheus registry as histograms:
 * {@code recsys_pipeline_stage_duration_seconds{stage}}, {@code recsys_pipeline_stage_candidates{stage}},
 * {@code recsys_pipeline_stage_failures_total{stage,outcome}} (a source's timeouts and failures),
 * {@code recsys_recommend_answers_total{degraded}} and {@code recsys_recommend_degraded_total{reason}}.
 * A stage's meters and names are made on its first call. In a traced request each stage is also a
 * span under the Recommend call's span.
 */
public final class PipelineMetrics {

  private final ServerCounters counters;
  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, StageMeters> stages = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> degraded = new ConcurrentHashMap<>();
  private final Counter answeredOk;
  private final Counter answeredDegraded;
  private final Tracer tracer;

  public PipelineMetrics(ServerCounters counters) {
    this.counters = counters;
    this.tracer = counters.tracer();
    this.registry = counters.registry();
    this.answeredOk = answers("false");
    this.answeredDegraded = answers("true");
  }

  private Counter answers(String degraded) {
    return Counter.builder("recsys.recommend.answers").description("Recommend answers, degraded or whole")
        .tag("degraded", degraded).register(registry);
  }

  void record(String stage, long micros, int candidatesOut, String status) {
    StageMeters m = stages.computeIfAbsent(stage, StageMeters::new);
    counters.increment(m.calls);
    counters.add(m.micros, micros);
    counters.add(m.candidatesOut, candidatesOut);
    m.duration.record(micros, TimeUnit.MICROSECONDS);
    m.candidates.record(candidatesOut);
    if (!status.equals(RequestTrace.OK)) {
      String outcome = outcomeKind(status);
      counters.increment(m.prefix + outcome);
      m.failures.computeIfAbsent(outcome, o -> Counter.builder("recsys.pipeline.stage.failures")
          .description("stages that timed out, failed or were skipped").tags("stage", stage, "outcome", o)
          .register(registry)).increment();
    }
  }

  /**
   * A finished stage as a span ending now: stages are recorded once they are over (a parallel
   * stage when the pipeline collects it), so the span is made with its start time after the fact.
   */
  void span(String stage, long micros, int in, int out, String status) {
    Instant end = Instant.now();
    Span span = tracer.spanBuilder(stage).setStartTimestamp(end.minusNanos(micros * 1000))
        .setAttribute("recsys.candidates_in", in)
        .setAttribute("recsys.candidates_out", out)
        .startSpan();
    if (!status.equals(RequestTrace.OK)) {
      span.setStatus(StatusCode.ERROR, status);
    }
    span.end(end);
  }

  /** One answer, with the stages (e.g. {@code source:two_tower}) whose failure degraded it. */
  void answered(List<String> degradedBy) {
    if (degradedBy.isEmpty()) {
      answeredOk.increment();
      return;
    }
    answeredDegraded.increment();
    for (String reason : degradedBy) {
      degraded.computeIfAbsent(reason, r -> Counter.builder("recsys.recommend.degraded")
          .description("degraded Recommend answers by the stage that degraded them").tag("reason", r)
          .register(registry)).increment();
    }
  }

  void increment(String name) {
    counters.increment(name);
  }

  /** "failed: UNAVAILABLE: ..." counts as "failed". */
  private static String outcomeKind(String status) {
    int colon = status.indexOf(':');
    return colon < 0 ? status : status.substring(0, colon);
  }

  /** One stage's counter names and histograms. */
  private final class StageMeters {
    final String prefix;
    final String calls;
    final String micros;
    final String candidatesOut;
    final Timer duration;
    final DistributionSummary candidates;
    final ConcurrentHashMap<String, Counter> failures = new ConcurrentHashMap<>();

    StageMeters(String stage) {
      prefix = "stage." + stage + ".";
      calls = prefix + "calls";
      micros = prefix + "micros";
      candidatesOut = prefix + "candidates_out";
      duration = Buckets.latency("recsys.pipeline.stage.duration", "latency of each Recommend pipeline stage")
          .tag("stage", stage).register(registry);
      candidates = Buckets.counts("recsys.pipeline.stage.candidates", "candidates each stage passed on")
          .tag("stage", stage).register(registry);
    }
  }
}
