package io.recsys.gateway.hydrators;

import io.recsys.gateway.experiment.ExperimentArms;
import io.recsys.gateway.pipeline.QueryHydrator;
import io.recsys.gateway.pipeline.RecommendQuery;
import java.util.function.UnaryOperator;

/** The user's experiment arm. */
public final class ExperimentArmHydrator implements QueryHydrator {

  private final ExperimentArms arms;

  public ExperimentArmHydrator(ExperimentArms arms) {
    this.arms = arms;
  }

  @Override
  public boolean inMemory() {
    return true;
  }

  @Override
  public String name() {
    return "experiment_arm";
  }

  @Override
  public UnaryOperator<RecommendQuery> hydrate(RecommendQuery query) {
    String arm = arms.armOf(query.userId());
    return q -> q.withArm(arm);
  }
}
