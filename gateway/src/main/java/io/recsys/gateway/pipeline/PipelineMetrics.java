package io.recsys.gateway.pipeline;

import io.recsys.common.server.ServerCounters;

/**
 * The running totals of every stage, kept in the server's counters so the admin status shows them:
 * {@code stage.<stage>.calls}, {@code .micros}, {@code .candidates_out}, and one counter per
 * non-ok outcome ({@code stage.source:two_tower.timeout}).
 */
public final class PipelineMetrics {

  private final ServerCounters counters;

  public PipelineMetrics(ServerCounters counters) {
    this.counters = counters;
  }

  void record(String stage, long micros, int candidatesOut, String status) {
    String p = "stage." + stage + ".";
    counters.increment(p + "calls");
    counters.add(p + "micros", micros);
    counters.add(p + "candidates_out", candidatesOut);
    if (!status.equals(RequestTrace.OK)) {
      counters.increment(p + outcomeKind(status));
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
}
