package io.recsys.gateway.pipeline;

import io.recsys.api.v1.DebugInfo;
import java.util.List;

/**
 * What the pipeline answers.
 *
 * @param query the hydrated query
 * @param modelVersion the model that scored the items (the gateway's bundle when no model did)
 * @param degradedReasons why a fallback answered or a part was left out; empty when all went well
 * @param debug per-stage timings and notes, or null when the request did not ask for them
 */
public record RecommendResult(RecommendQuery query, List<Candidate> items, String modelVersion,
                              List<String> degradedReasons, DebugInfo debug) {

  public boolean degraded() {
    return !degradedReasons.isEmpty();
  }
}
