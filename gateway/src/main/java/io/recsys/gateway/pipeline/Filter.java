package io.recsys.gateway.pipeline;

import java.util.function.Predicate;

/** Stage 4: drops candidates that must not be shown (seen, excluded, blocked, unavailable). */
public interface Filter extends PipelineComponent {

  /** Which of this request's candidates to keep; called once per request, then once per candidate. */
  Predicate<Candidate> keep(RecommendQuery query);
}
