package io.recsys.gateway.experiment;

import io.recsys.api.v1.Event;
import io.recsys.common.server.ServerCounters;
import io.recsys.gateway.pipeline.Candidate;
import java.util.List;

/**
 * Online metrics per experiment arm, in the server's counters (admin status):
 * {@code arm.<arm>.recommendations}, {@code .impressions} (items returned), {@code .degraded},
 * {@code .served.<source>} (returned items each source proposed) and {@code .feedback.<TYPE>}
 * (e.g. CLICK / impressions gives an arm's click-through rate).
 */
public final class ExperimentMetrics {

  private final ServerCounters counters;

  public ExperimentMetrics(ServerCounters counters) {
    this.counters = counters;
  }

  public void recordRecommendation(String arm, List<Candidate> served, boolean degraded) {
    String p = "arm." + arm + ".";
    counters.increment(p + "recommendations");
    counters.add(p + "impressions", served.size());
    if (degraded) {
      counters.increment(p + "degraded");
    }
    for (Candidate c : served) {
      for (String source : c.sources()) {
        counters.increment(p + "served." + source);
      }
    }
  }

  public void recordFeedback(String arm, List<Event> events) {
    String p = "arm." + arm + ".feedback.";
    for (Event e : events) {
      counters.increment(p + e.getType().name());
    }
  }
}
