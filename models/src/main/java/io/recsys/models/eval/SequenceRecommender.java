package io.recsys.models.eval;

import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.models.train.SequenceModel;
import java.util.List;

/**
 * The trained sequence model as the retrieval server's sequence source uses it: the encoder turns
 * the user's last items into a vector, every item is scored by its dot product with that (what an
 * ideal HNSW index would return). The user id plays no part.
 */
public final class SequenceRecommender implements Recommender {

  private final SequenceModel model;
  private final EmbeddingMatrix items;

  public SequenceRecommender(SequenceModel model, EmbeddingMatrix items) {
    this.model = model;
    this.items = items;
  }

  @Override
  public String name() {
    return "sequence";
  }

  @Override
  public void score(List<Query> queries, float[][] out) {
    float[] vecs = model.embed(queries.stream().map(Query::history).toList());
    int d = items.dim();
    float[] v = new float[d];
    for (int q = 0; q < queries.size(); q++) {
      System.arraycopy(vecs, q * d, v, 0, d);
      for (int i = 0; i < items.rows(); i++) {
        out[q][i] = items.dot(i, v);
      }
    }
  }
}
