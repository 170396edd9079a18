package io.recsys.gateway.pipeline;

import io.opentelemetry.api.trace.Span;
import io.recsys.api.v1.DebugInfo;
import io.recsys.api.v1.StageTiming;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened in one request: each stage's latency and candidate counts (into the running metrics
 * always, into the request's trace when it is traced, into the response's debug block when asked),
 * notes, and the reasons a response is degraded. Used by the pipeline's request thread only.
 */
final class RequestTrace {

  static final String OK = "ok";

  private final PipelineMetrics metrics;
  private final DebugInfo.Builder debug;
  /** The Recommend call's span when this request is traced, else null. */
  private final Span span;
  private final List<String> degradedReasons = new ArrayList<>();
  private final List<String> degradedBy = new ArrayList<>();
  private String lastStage = "";

  RequestTrace(PipelineMetrics metrics, boolean debug) {
    this.metrics = metrics;
    this.debug = debug ? DebugInfo.newBuilder() : null;
    Span current = Span.current();
    this.span = current.getSpanContext().isValid() ? current : null;
  }

  void stage(String stage, long micros, int in, int out, String status) {
    lastStage = stage;
    metrics.record(stage, micros, out, status);
    if (span != null) {
      metrics.span(stage, micros, in, out, status);
    }
    if (debug != null) {
      debug.addStages(StageTiming.newBuilder().setStage(stage).setMicros(micros)
          .setCandidatesIn(in).setCandidatesOut(out).setStatus(status));
    }
  }

  void note(String key, String value) {
    if (debug != null) {
      debug.putNotes(key, value);
    }
  }

  /** The stage recorded last degraded the answer (a source dropped, the scorer fell back ...). */
  void degraded(String reason) {
    degradedReasons.add(reason);
    if (!degradedBy.contains(lastStage)) {
      degradedBy.add(lastStage);
    }
    if (span != null) {
      span.addEvent("degraded: " + reason);
    }
  }

  /** Counts the answer, whole or degraded by which stages, and gives the degraded reasons. */
  List<String> finish() {
    metrics.answered(degradedBy);
    return List.copyOf(degradedReasons);
  }

  /** The debug block, or null when the request did not ask for it. */
  DebugInfo debugInfo() {
    return debug == null ? null : debug.build();
  }

  static long microsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000;
  }
}
