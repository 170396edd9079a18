package io.recsys.models.train;

import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.features.Interaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The sequence model's training loop: epochs over windows of the training histories, stopped when
 * recall on the held-out validation items has not improved for the config's patience; the model
 * ends with the weights of its best epoch.
 */
public final class SequenceTraining {

  private SequenceTraining() {}

  /**
   * @param validationItems per user the held-out item, {@link LeaveLastOut#NONE} for none
   * @param metrics receives the best validation recall and the epoch it was reached at
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
    double best = -1;
    int bestEpoch = 0;
    EmbeddingMatrix bestVecs = null;
    Path checkpoints = Files.createTempDirectory("recsys-sequence");
    Path bestWeights = checkpoints.resolve("best");
    int e = 1;
    for (int stale = 0; e <= cfg.epochs() && stale < cfg.patience(); e++) {
      float loss = model.trainEpoch(ex, rnd);
      EmbeddingMatrix vecs = model.itemEmbeddings();
      double recall = RetrievalCheck.recallAt(users, vecs, train, validationItems, TwoTowerTraining.VALIDATION_K);
      progress.accept(String.format("[sequence] epoch %d/%d loss %.4f validation recall@%d %.4f (%.1fs)",
          e, cfg.epochs(), loss, TwoTowerTraining.VALIDATION_K, recall, (System.nanoTime() - t0) / 1e9));
      if (recall > best + 1e-4) {
        best = recall;
        bestEpoch = e;
        bestVecs = vecs;
        model.saveWeights(bestWeights);
        stale = 0;
      } else {
        stale++;
      }
    }
    if (bestEpoch != e - 1) {
      model.restoreWeights(bestWeights);
      progress.accept(String.format("[sequence] keeping the weights of epoch %d (validation recall@%d %.4f)",
          bestEpoch, TwoTowerTraining.VALIDATION_K, best));
    }
    try (Stream<Path> files = Files.walk(checkpoints)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    metrics.put("sequence_validation_recall@" + TwoTowerTraining.VALIDATION_K, best);
    metrics.put("sequence_epochs", (double) bestEpoch);
    metrics.put("sequence_train_seconds", (System.nanoTime() - t0) / 1e9);
    return bestVecs;
  }
}
