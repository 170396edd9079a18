package io.recsys.models.eval.cold;

import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.features.HistoryEncoder;
import io.recsys.models.train.TwoTowerModel;
import java.util.List;

/**
 * The cold_start source as served: the user tower embeds the user's history, each cold item is
 * scored by the dot product with its content-only vector (category + title words through the item
 * tower with the id part zero), the only vector an item without training interactions has.
 */
final class ColdStartScorer implements ColdItemScorer {

  private final String name;
  private final TwoTowerModel model;
  private final EmbeddingMatrix content;
  private final HistoryEncoder encoder;
  private final boolean withUserId;

  /**
   * @param withUserId whether the user tower also gets the user's id; its embedding was trained on
   *     the user's whole warm history, later interactions included, which the history-only baselines
   *     do not see, so the fair comparison runs as the unknown user (index 0, trained by user dropout)
   */
  ColdStartScorer(String name, TwoTowerModel model, EmbeddingMatrix content, boolean withUserId) {
    this.name = name;
    this.model = model;
    this.content = content;
    this.encoder = new HistoryEncoder(model.config().historyLength());
    this.withUserId = withUserId;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void score(List<ColdItemSplit.Event> events, int[] candidates, float[][] out) {
    int n = events.size();
    int l = encoder.length();
    int[] users = new int[n];
    int[] hist = new int[n * l];
    float[] weights = new float[n * l];
    for (int q = 0; q < n; q++) {
      users[q] = withUserId ? events.get(q).user() + 1 : 0;
      encoder.encode(events.get(q).history(), hist, weights, q * l);
    }
    float[] vecs = model.userEmbeddings(users, hist, weights);
    int d = content.dim();
    float[] v = new float[d];
    for (int q = 0; q < n; q++) {
      System.arraycopy(vecs, q * d, v, 0, d);
      for (int j = 0; j < candidates.length; j++) {
        out[q][j] = content.dot(candidates[j], v);
      }
    }
  }
}
