package io.recsys.gateway.pipeline;

import java.util.function.UnaryOperator;

/**
 * Stage 1: adds what the request does not carry (stored history, experiment arm, user features).
 * Hydrators run in parallel, so each computes its part from the incoming query and returns a
 * function that applies it; the pipeline applies the parts in a fixed order.
 */
public interface QueryHydrator extends PipelineComponent {
  UnaryOperator<RecommendQuery> hydrate(RecommendQuery query);
}
