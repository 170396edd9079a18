package io.recsys.models.train;

import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.Popularity;
import io.recsys.common.features.Interaction;
import io.recsys.common.features.RankerFeatures;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Ranker rows whose candidates come from a two-tower model that never trained on them. Rows
 * retrieved in-sample (by the tower that learned exactly those next items) make the retrieval score
 * look far more telling than it is when serving, and the ranker learns to lean on it. So a second
 * tower is fitted on each user's history without its last {@code positionsPerUser} interactions,
 * and those held-back positions become the ranker's examples, with features computed from that
 * tower's item vectors and that earlier popularity, as they would have been served then.
 */
public final class RankerTraining {

  private RankerTraining() {}

  /**
   * @param epochs how long to train the second tower (as long as the early-stopped main tower took)
   */
  public static RankerExamples outOfSampleExamples(ItemCatalog items, int userSlots,
                                                   List<List<Interaction>> train, TwoTowerConfig tc,
                                                   RankerConfig rc, int epochs, Consumer<String> progress) {
    List<List<Interaction>> earlier = new ArrayList<>(train.size());
    for (List<Interaction> h : train) {
      earlier.add(h.subList(0, Math.max(0, h.size() - rc.positionsPerUser())));
    }
    float[] counts = new float[items.size()];
    for (List<Interaction> h : earlier) {
      for (Interaction e : h) {
        counts[e.itemIndex()]++;
      }
    }
    progress.accept("[ranker] fitting a two-tower without each user's last " + rc.positionsPerUser()
        + " interactions, to retrieve the ranker's training candidates out of sample");
    try (TwoTowerModel tower = new TwoTowerModel(tc, items, userSlots, counts)) {
      EmbeddingMatrix vecs = TwoTowerTraining.fitEpochs(tower, items, earlier, epochs, progress);
      Popularity popularity = new Popularity(counts);
      RankerFeatures features = new RankerFeatures(items, vecs, popularity, tc.historyLength());
      return RankerExamples.build(train, tower, vecs, popularity, features, rc);
    }
  }
}
