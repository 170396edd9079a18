package io.recsys.retrieval.source;

import io.recsys.common.features.CandidateSources;
import io.recsys.common.index.ItemVectorSearcher;
import io.recsys.common.index.ScoredItems;
import io.recsys.retrieval.catalog.LiveItemIndex;
import io.recsys.retrieval.user.UserTowerEncoder;
import java.io.IOException;

/**
 * Personalised candidates: the user tower turns the user and their recent events into a query
 * vector, and the HNSW index finds the items whose embeddings are nearest to it, merged exactly
 * with the nearest live catalog items (embedded from their content since the bundle was trained).
 */
public final class TwoTowerSource implements CandidateSource {

  private final UserTowerEncoder userTower;
  private final ItemVectorSearcher index;
  /** New items since training, searched beside the bundle's index; null when none are served. */
  private final LiveItemIndex live;

  public TwoTowerSource(UserTowerEncoder userTower, ItemVectorSearcher index, LiveItemIndex live) {
    this.userTower = userTower;
    this.index = index;
    this.live = live;
  }

  @Override
  public String name() {
    return CandidateSources.TWO_TOWER;
  }

  @Override
  public ScoredItems retrieve(RetrievalQuery query, int k, ExcludedItems exclude) throws IOException {
    float[] embedding = userTower.encode(query.userIndex(), query.history());
    ScoredItems hits = index.search(embedding, k, exclude, exclude.size(), exclude.onlyBundleItems());
    return live == null ? hits : live.mergeWith(hits, embedding, k, exclude);
  }
}
