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
 * weights back. Each of the first {@code minEpochs} epochs counts as the best so far, whatever its
 * score: the kept epoch is {@code minEpochs} or later, and training runs at least
 * {@code minEpochs + patience} epochs (when allowed that many).
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
   * @param minEpochs epochs that replace the best whatever their score (a validation curve that
   *     rises slowly and noisily can peak early by chance)
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

  /** Whether training should go on: fewer than {@code patience} epochs since the last gain. */
  boolean improving() {
    return stale < patience;
  }

  /** Records an epoch's validation score; a new best saves the weights and keeps the snapshot. */
  void epoch(int epoch, double score, S snapshot) {
    lastEpoch = epoch;
    if (epoch <= minEpochs || score > best + MIN_GAIN) {
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
