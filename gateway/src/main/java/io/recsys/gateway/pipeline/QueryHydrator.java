package io.recsys.gateway.pipeline;

import java.util.function.UnaryOperator;

/**
 * Stage 1: adds what the request does not carry (stored history, experiment arm, user features).
 * Hydrators run in parallel, so each computes its part from the incoming query and returns a
 * function that applies it; the pipeline applies the parts in a fixed order.
 */
public interface QueryHydrator extends PipelineComponent {
  UnaryOperator<RecommendQuery> hydrate(RecommendQuery query);

  /**
   * True when the hydrator answers from this process's memory in microseconds: it then runs on the
   * request's own thread, since a hand-off to another thread would cost more than the work. One
   * that may wait (a remote store) runs on a thread of its own under its deadline.
   */
  default boolean inMemory() {
    return false;
  }
}
