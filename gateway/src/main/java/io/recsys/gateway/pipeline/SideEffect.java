package io.recsys.gateway.pipeline;

/** Stage 8: work a response triggers that the caller does not wait for (metrics, impression logs). */
public interface SideEffect extends PipelineComponent {
  void apply(RecommendQuery query, RecommendResult result);
}
