package io.recsys.models.train;

/**
 * Hyper-parameters of the two-tower retrieval model.
 *
 * @param temperature softmax temperature over cosine similarities (small = sharper)
 * @param userDropout share of examples trained as an unknown user (index 0), so cold users get a
 *     meaningful embedding from their session alone
 */
public record TwoTowerConfig(int dim, int historyLength, int hidden, int batchSize, int epochs,
                             float learningRate, float temperature, float userDropout, long seed) {

  public static TwoTowerConfig defaults() {
    return new TwoTowerConfig(32, 20, 64, 256, 6, 0.005f, 0.1f, 0.2f, 1234);
  }

  public TwoTowerConfig withEpochs(int e) {
    return new TwoTowerConfig(dim, historyLength, hidden, batchSize, e, learningRate, temperature,
        userDropout, seed);
  }

  public TwoTowerConfig withSeed(long s) {
    return new TwoTowerConfig(dim, historyLength, hidden, batchSize, epochs, learningRate, temperature,
        userDropout, s);
  }
}
