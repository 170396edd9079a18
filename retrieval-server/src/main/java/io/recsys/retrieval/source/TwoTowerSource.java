package io.recsys.retrieval.source;

import io.recsys.common.features.CandidateSources;
import io.recsys.common.index.ItemVectorSearcher;
import io.recsys.common.index.ScoredItems;
import io.recsys.retrieval.user.UserTowerEncoder;
import java.io.IOException;

/**
 * Personalised candidates: the user tower turns the user and their recent events into a query
 * vector, and the HNSW index finds the items whose embeddings are nearest to it.
 */
public final class TwoTowerSource implements CandidateSource {

  private final UserTowerEncoder userTower;
  private final ItemVectorSearcher index;

  public TwoTowerSource(UserTowerEncoder userTower, ItemVectorSearcher index) {
    this.userTower = userTower;
    this.index = index;
  }

  @Override
  public String name() {
    return CandidateSources.TWO_TOWER;
  }

  @Override
  public ScoredItems retrieve(RetrievalQuery query, int k, ExcludedItems exclude) throws IOException {
    float[] embedding = userTower.encode(query.userIndex(), query.history());
    return index.search(embedding, k, exclude, exclude.size());
  }
}
