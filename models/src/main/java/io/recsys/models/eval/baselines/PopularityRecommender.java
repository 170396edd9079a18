package io.recsys.models.eval.baselines;

import io.recsys.common.features.Interaction;
import io.recsys.models.eval.Recommender;
import java.util.List;

/** Everyone gets the items with the most training interactions. */
public final class PopularityRecommender implements Recommender {

  private final float[] counts;

  public PopularityRecommender(List<List<Interaction>> train, int items) {
    counts = new float[items];
    for (List<Interaction> h : train) {
      for (Interaction e : h) {
        counts[e.itemIndex()]++;
      }
    }
  }

  @Override
  public String name() {
    return "popularity";
  }

  @Override
  public void score(List<Query> queries, float[][] out) {
    for (int q = 0; q < queries.size(); q++) {
      System.arraycopy(counts, 0, out[q], 0, counts.length);
    }
  }
}
