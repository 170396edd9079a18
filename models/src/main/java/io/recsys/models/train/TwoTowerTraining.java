package io.recsys.models.train;

import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.features.Interaction;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The two-tower training loop: epochs over next-item examples of the training histories, stopped
 * early when recall on the held-out validation items has not improved for {@link #PATIENCE} epochs;
 * the model ends with the weights of its best epoch.
 */
public final class TwoTowerTraining {

  static final int PATIENCE = 2;
  public static final int VALIDATION_K = 20;

  private TwoTowerTraining() {}

  /**
   * @param validationItems per user the held-out item, {@link LeaveLastOut#NONE} for none
   * @param metrics receives the best validation recall and the epoch it was reached at
   * @return the item-tower vectors of the best epoch (the model is left with its weights)
   */
  public static EmbeddingMatrix fit(TwoTowerModel tower, ItemCatalog items, List<List<Interaction>> train,
                                    int[] validationItems, Consumer<String> progress,
                                    Map<String, Double> metrics) throws IOException {
    TwoTowerConfig cfg = tower.config();
    long t0 = System.nanoTime();
    NextItemExamples ex = NextItemExamples.of(train, cfg.historyLength());
    progress.accept(String.format("[two_tower] %d next-item examples, batch %d, up to %d epochs",
        ex.count(), cfg.batchSize(), cfg.epochs()));
    Random rnd = new Random(cfg.seed());
    try (EarlyStopping<EmbeddingMatrix> stopping = new EarlyStopping<>("two_tower", PATIENCE, tower::saveWeights,
        tower::restoreWeights, progress)) {
      for (int e = 1; e <= cfg.epochs() && stopping.improving(); e++) {
        float loss = tower.trainEpoch(ex, rnd);
        EmbeddingMatrix vecs = tower.itemEmbeddings(items);
        double recall = RetrievalCheck.recallAt(tower, vecs, train, validationItems, VALIDATION_K);
        progress.accept(String.format("[two_tower] epoch %d/%d loss %.4f validation recall@%d %.4f (%.1fs)",
            e, cfg.epochs(), loss, VALIDATION_K, recall, (System.nanoTime() - t0) / 1e9));
        stopping.epoch(e, recall, vecs);
      }
      EmbeddingMatrix best = stopping.keepBest();
      metrics.put("two_tower_validation_recall@" + VALIDATION_K, stopping.bestRecall());
      metrics.put("two_tower_epochs", (double) stopping.bestEpoch());
      return best;
    }
  }

  /** A fixed number of epochs without validation (e.g. as many as an early-stopped run took). */
  public static EmbeddingMatrix fitEpochs(TwoTowerModel tower, ItemCatalog items, List<List<Interaction>> train,
                                          int epochs, Consumer<String> progress) {
    long t0 = System.nanoTime();
    NextItemExamples ex = NextItemExamples.of(train, tower.config().historyLength());
    Random rnd = new Random(tower.config().seed());
    for (int e = 1; e <= epochs; e++) {
      float loss = tower.trainEpoch(ex, rnd);
      progress.accept(String.format("[two_tower] epoch %d/%d loss %.4f (%.1fs)", e, epochs, loss,
          (System.nanoTime() - t0) / 1e9));
    }
    return tower.itemEmbeddings(items);
  }
}
