package io.recsys.models.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Early stopping on a validation score (higher is better) for a model trained epoch by epoch: keeps
 * the weights of the best epoch in a temporary checkpoint (with a snapshot of that epoch, e.g. its
 * item vectors), says when {@code patience} epochs have passed without a gain, and puts the best
 * weights back, but never stops before {@code minEpochs} epochs: on a curve that rises slowly and
 * noisily an early epoch can peak by chance, and the epochs after the minimum get their chance to
 * beat it (when none does, the early one is kept: some data peak early for real).
 *
 * @param <S> what is kept of the best epoch besides its weights
 */
final class EarlyStopping<S> implements AutoCloseable {

  /** A gain smaller than this is noise, not an improvement. */
  static final double MIN_GAIN = 1e-4;

  private final String model;
  private final String scoreName;
  private final int patience;
  private final int minEpochs;
  private final Consumer<Path> save;
  private final Consumer<Path> restore;
  private final Consumer<String> progress;
  private final Path checkpoints;
  private double best = -1;
  private int bestEpoch;
  private int lastEpoch;
  private int stale;
  private S bestSnapshot;

  /**
   * @param model the name progress lines start with
   * @param scoreName what the score is, for progress lines
   * @param minEpochs epochs trained before training may stop
   * @param save writes every variable to a checkpoint prefix; {@code restore} reads them back
   */
  EarlyStopping(String model, String scoreName, int patience, int minEpochs, Consumer<Path> save,
                Consumer<Path> restore, Consumer<String> progress) throws IOException {
    if (patience < 1 || minEpochs < 1) {
      throw new IllegalArgumentException("patience and minEpochs must be at least 1, got " + patience + " and "
          + minEpochs);
    }
    this.model = model;
    this.scoreName = scoreName;
    this.patience = patience;
    this.minEpochs = minEpochs;
    this.save = save;
    this.restore = restore;
    this.progress = progress;
    this.checkpoints = Files.createTempDirectory("recsys-" + model);
  }

  /**
   * Whether training should go on: fewer than {@code minEpochs} epochs so far, or fewer than
   * {@code patience} since the last gain.
   */
  boolean improving() {
    return lastEpoch < minEpochs || stale < patience;
  }

  /** Records an epoch's validation score; a new best saves the weights and keeps the snapshot. */
  void epoch(int epoch, double score, S snapshot) {
    lastEpoch = epoch;
    if (score > best + MIN_GAIN) {
      best = score;
      bestEpoch = epoch;
      bestSnapshot = snapshot;
      save.accept(checkpoints.resolve("best"));
      stale = 0;
    } else {
      stale++;
    }
  }

  /** Puts the best epoch's weights back (when it was not the last) and returns its snapshot. */
  S keepBest() {
    if (bestEpoch != lastEpoch) {
      restore.accept(checkpoints.resolve("best"));
      progress.accept(String.format("[%s] keeping the weights of epoch %d (validation %s %.4f)", model,
          bestEpoch, scoreName, best));
    }
    return bestSnapshot;
  }

  double bestScore() {
    return best;
  }

  int bestEpoch() {
    return bestEpoch;
  }

  @Override
  public void close() throws IOException {
    try (Stream<Path> files = Files.walk(checkpoints)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
