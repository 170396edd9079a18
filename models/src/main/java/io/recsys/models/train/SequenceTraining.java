package io.recsys.models.train;

import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.features.Interaction;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The sequence model's training loop: epochs over windows of the training histories, stopped when
 * nDCG@10 on the held-out validation items has not improved for the config's patience; the model ends
 * with the weights of its best epoch. nDCG@10 as for the two-tower: the reports' headline metric, and
 * recall@20 saturates where the next item is easy (it stopped a model that had every validation item
 * in its top 20 but only 80% at the top).
 */
public final class SequenceTraining {

  public static final String VALIDATION_RECALL = "sequence_validation_recall@" + RetrievalCheck.RECALL_K;
  public static final String VALIDATION_NDCG = "sequence_validation_ndcg@" + RetrievalCheck.NDCG_K;
  /** The metric with the epoch whose weights were kept. */
  public static final String EPOCHS = "sequence_epochs";

  private SequenceTraining() {}

  /**
   * @param validationItems per user the held-out item, {@link LeaveLastOut#NONE} for none
   * @param metrics receives the best epoch's validation recall@20 and nDCG@10, and the epoch
   * @return the item vectors of the best epoch (the model is left with its weights)
   */
  public static EmbeddingMatrix fit(SequenceModel model, List<List<Interaction>> train, int[] validationItems,
                                    Consumer<String> progress, Map<String, Double> metrics) throws IOException {
    SequenceConfig cfg = model.config();
    long t0 = System.nanoTime();
    SequenceExamples ex = SequenceExamples.of(train, cfg.maxLength());
    progress.accept(String.format("[sequence] %d windows of %d positions, batch %d, %d negatives, up to %d epochs",
        ex.count(), cfg.maxLength(), cfg.batchSize(), cfg.negatives(), cfg.epochs()));
    Random rnd = new Random(cfg.seed());
    RetrievalCheck.UserVectors users = (who, histories) -> model.embed(histories);
    try (EarlyStopping<RetrievalCheck.Scored> stopping = new EarlyStopping<>("sequence",
        "ndcg@" + RetrievalCheck.NDCG_K, cfg.patience(), 1, model::saveWeights, model::restoreWeights, progress)) {
      for (int e = 1; e <= cfg.epochs() && stopping.improving(); e++) {
        float loss = model.trainEpoch(ex, rnd);
        EmbeddingMatrix vecs = model.itemEmbeddings();
        RetrievalCheck.Scores scores = RetrievalCheck.of(users, vecs, train, validationItems);
        progress.accept(String.format("[sequence] epoch %d/%d loss %.4f validation %s (%.1fs)",
            e, cfg.epochs(), loss, scores, (System.nanoTime() - t0) / 1e9));
        stopping.epoch(e, scores.ndcg(), new RetrievalCheck.Scored(vecs, scores));
      }
      RetrievalCheck.Scored best = stopping.keepBest();
      metrics.put(VALIDATION_RECALL, best.scores().recall());
      metrics.put(VALIDATION_NDCG, best.scores().ndcg());
      metrics.put(EPOCHS, (double) stopping.bestEpoch());
      metrics.put("sequence_train_seconds", (System.nanoTime() - t0) / 1e9);
      return best.vectors();
    }
  }
}
