package io.recsys.models.train;

/**
 * Hyper-parameters of the DeepFM ranker and of how its training rows are drawn.
 *
 * @param positionsPerUser how many of each user's latest training interactions become ranking examples
 * @param candidatesPerSource retrieved candidates per source when building examples (as served)
 * @param negativesPerPositive retrieved-but-not-chosen candidates kept per positive
 */
public record RankerConfig(int fieldDim, int hidden1, int hidden2, int batchSize, int epochs,
                           float learningRate, int positionsPerUser, int candidatesPerSource,
                           int negativesPerPositive, long seed) {

  public static RankerConfig defaults() {
    return new RankerConfig(8, 64, 32, 512, 4, 0.003f, 8, 100, 8, 99);
  }

  public RankerConfig withEpochs(int e) {
    return new RankerConfig(fieldDim, hidden1, hidden2, batchSize, e, learningRate, positionsPerUser,
        candidatesPerSource, negativesPerPositive, seed);
  }

  public RankerConfig withSeed(long s) {
    return new RankerConfig(fieldDim, hidden1, hidden2, batchSize, epochs, learningRate, positionsPerUser,
        candidatesPerSource, negativesPerPositive, s);
  }
}
