package io.recsys.models.train;

import io.recsys.common.candidates.CandidateQuotas;

/**
 * Hyper-parameters of the DeepFM ranker and of how its training examples are drawn.
 *
 * @param groupsPerBatch training examples (one positive and its negatives) per step
 * @param positionsPerUser how many of each user's latest training interactions become ranking examples
 *     per window
 * @param windows at most this many consecutive windows of {@code positionsPerUser} positions, newest
 *     first, give examples, each with candidates from sources fitted on what comes before it; a
 *     further window only while there are fewer than {@link #ENOUGH_EXAMPLES}. A second window
 *     nearly doubles a small data set's examples without starving the first window's sources
 * @param quotas the candidate sources and their shares, as served
 * @param negativesPerPositive merged-but-not-chosen candidates drawn per positive
 * @param listwise softmax over each example's candidates (the positive against its negatives)
 *     instead of a log-loss per candidate
 * @param members DeepFM networks trained side by side from different initialisations, their logits
 *     averaged: one network's ranking moves with its initialisation by more than the gains sought
 *     (on ml-latest-small two_stage's test nDCG@10 ranged 0.057-0.075 over six one-network runs)
 */
public record RankerConfig(int fieldDim, int hidden1, int hidden2, int groupsPerBatch, int epochs,
                           float learningRate, int positionsPerUser, int windows, CandidateQuotas quotas,
                           int negativesPerPositive, boolean listwise, int members, long seed) {

  /**
   * Where more windows stop: ml-latest-small's 8.3k examples gained from a second window (two_stage
   * validation nDCG@10 +8%, 3 of 3 seeds) and ml-100k's 16k did not beyond the noise; the built-in
   * data's 21k keep one window, and the quickstart the time a third tower and twice the ranker
   * epochs would cost (about 30 s there).
   */
  public static final int ENOUGH_EXAMPLES = 20_000;

  public static RankerConfig defaults() {
    return new RankerConfig(8, 64, 32, 32, 4, 0.003f, 20, 2, CandidateQuotas.SERVED, 32, true, 3, 99);
  }

  public RankerConfig {
    if (members < 1) {
      throw new IllegalArgumentException("a ranker needs at least one member network, got " + members);
    }
    if (windows < 1) {
      throw new IllegalArgumentException("ranker examples need at least one window of positions, got " + windows);
    }
  }

  /** Rows per example: the positive first, then its negatives. */
  public int groupSize() {
    return 1 + negativesPerPositive;
  }

  public RankerConfig withEpochs(int e) {
    return new RankerConfig(fieldDim, hidden1, hidden2, groupsPerBatch, e, learningRate, positionsPerUser, windows,
        quotas, negativesPerPositive, listwise, members, seed);
  }

  public RankerConfig withMembers(int m) {
    return new RankerConfig(fieldDim, hidden1, hidden2, groupsPerBatch, epochs, learningRate, positionsPerUser, windows,
        quotas, negativesPerPositive, listwise, m, seed);
  }

  public RankerConfig withSeed(long s) {
    return new RankerConfig(fieldDim, hidden1, hidden2, groupsPerBatch, epochs, learningRate, positionsPerUser, windows,
        quotas, negativesPerPositive, listwise, members, s);
  }
}
