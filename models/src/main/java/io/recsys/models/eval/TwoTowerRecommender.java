package io.recsys.models.eval;

import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.features.HistoryEncoder;
import io.recsys.models.train.TwoTowerModel;
import java.util.List;

/**
 * The trained two-tower model as the retrieval server uses it: the user tower embeds the user's
 * history (encoded by {@link HistoryEncoder}), every item is scored by its dot product with that.
 * Scoring all items exactly is what an ideal HNSW index would return.
 */
public final class TwoTowerRecommender implements Recommender {

  private final TwoTowerModel model;
  private final EmbeddingMatrix items;
  private final HistoryEncoder encoder;

  public TwoTowerRecommender(TwoTowerModel model, EmbeddingMatrix items) {
    this.model = model;
    this.items = items;
    this.encoder = new HistoryEncoder(model.config().historyLength());
  }

  @Override
  public String name() {
    return "two_tower";
  }

  @Override
  public void score(List<Query> queries, float[][] out) {
    score(userVectors(queries), out);
  }

  /** The user tower's vector for each query. */
  float[][] userVectors(List<Query> queries) {
    int n = queries.size();
    int l = encoder.length();
    int[] users = new int[n];
    int[] hist = new int[n * l];
    float[] weights = new float[n * l];
    for (int q = 0; q < n; q++) {
      users[q] = queries.get(q).user() + 1; // model index: 0 is the unknown user
      encoder.encode(queries.get(q).history(), hist, weights, q * l);
    }
    float[] vecs = model.userEmbeddings(users, hist, weights);
    int d = items.dim();
    float[][] out = new float[n][];
    for (int q = 0; q < n; q++) {
      out[q] = java.util.Arrays.copyOfRange(vecs, q * d, (q + 1) * d);
    }
    return out;
  }

  /** Every item's dot product with each user vector. */
  void score(float[][] userVectors, float[][] out) {
    for (int q = 0; q < userVectors.length; q++) {
      for (int i = 0; i < items.rows(); i++) {
        out[q][i] = items.dot(i, userVectors[q]);
      }
    }
  }
}
