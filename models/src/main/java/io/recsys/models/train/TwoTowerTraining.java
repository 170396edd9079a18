package io.recsys.models.train;

import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.features.Interaction;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The two-tower training loop: epochs over next-item examples of the training histories, stopped
 * early when recall on the held-out validation items has not improved for {@link #PATIENCE} epochs.
 */
public final class TwoTowerTraining {

  static final int PATIENCE = 2;
  public static final int VALIDATION_K = 20;

  private TwoTowerTraining() {}

  /**
   * @param validationItems per user the held-out item, {@link LeaveLastOut#NONE} for none
   * @param metrics receives the last validation recall
   * @return the item-tower vectors after the last epoch
   */
  public static EmbeddingMatrix fit(TwoTowerModel tower, ItemCatalog items, List<List<Interaction>> train,
                                    int[] validationItems, Consumer<String> progress,
                                    Map<String, Double> metrics) {
    TwoTowerConfig cfg = tower.config();
    long t0 = System.nanoTime();
    NextItemExamples ex = NextItemExamples.of(train, cfg.historyLength());
    progress.accept(String.format("[two_tower] %d next-item examples, batch %d, up to %d epochs",
        ex.count(), cfg.batchSize(), cfg.epochs()));
    Random rnd = new Random(cfg.seed());
    double best = -1;
    int stale = 0;
    EmbeddingMatrix vecs = null;
    for (int e = 1; e <= cfg.epochs() && stale < PATIENCE; e++) {
      float loss = tower.trainEpoch(ex, rnd);
      vecs = tower.itemEmbeddings(items);
      double recall = RetrievalCheck.recallAt(tower, vecs, train, validationItems, VALIDATION_K);
      progress.accept(String.format("[two_tower] epoch %d/%d loss %.4f validation recall@%d %.4f (%.1fs)",
          e, cfg.epochs(), loss, VALIDATION_K, recall, (System.nanoTime() - t0) / 1e9));
      if (recall > best + 1e-4) {
        best = recall;
        stale = 0;
      } else {
        stale++;
      }
      metrics.put("two_tower_validation_recall@" + VALIDATION_K, recall);
    }
    return vecs;
  }
}
