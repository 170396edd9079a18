package io.recsys.gateway.sideeffects;

import io.recsys.gateway.experiment.ExperimentMetrics;
import io.recsys.gateway.pipeline.RecommendQuery;
import io.recsys.gateway.pipeline.RecommendResult;
import io.recsys.gateway.pipeline.SideEffect;

/** Counts what each experiment arm was shown, the denominator of its online metrics. */
public final class ImpressionMetrics implements SideEffect {

  private final ExperimentMetrics metrics;

  public ImpressionMetrics(ExperimentMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return "impression_metrics";
  }

  @Override
  public void apply(RecommendQuery query, RecommendResult result) {
    metrics.recordRecommendation(query.arm(), result.items(), result.degraded());
  }
}
