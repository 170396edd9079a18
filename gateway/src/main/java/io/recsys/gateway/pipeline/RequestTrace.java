package io.recsys.gateway.pipeline;

import io.recsys.api.v1.DebugInfo;
import io.recsys.api.v1.StageTiming;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened in one request: each stage's latency and candidate counts (into the running metrics
 * always, into the response's debug block when asked), notes, and the reasons a response is degraded.
 * Used by the pipeline's request thread only.
 */
final class RequestTrace {

  static final String OK = "ok";

  private final PipelineMetrics metrics;
  private final DebugInfo.Builder debug;
  private final List<String> degradedReasons = new ArrayList<>();

  RequestTrace(PipelineMetrics metrics, boolean debug) {
    this.metrics = metrics;
    this.debug = debug ? DebugInfo.newBuilder() : null;
  }

  void stage(String stage, long micros, int in, int out, String status) {
    metrics.record(stage, micros, out, status);
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

  void degraded(String reason) {
    degradedReasons.add(reason);
  }

  List<String> degradedReasons() {
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
