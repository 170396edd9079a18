package io.recsys.retrieval.source;

import io.recsys.common.bundle.ItemNeighbours;
import io.recsys.common.features.CandidateSources;
import io.recsys.common.index.ScoredItems;

/**
 * Neighbours of the user's recent items: each history item h (newest first, age 0 the newest)
 * adds decay^age x sim(h, j) to its exported neighbours j ({@link ItemNeighbours#top}, the
 * scoring of the evaluation's itemknn_recency). A user without history gets nothing: the popular
 * and two-tower sources cover cold start.
 */
public final class Item2ItemSource implements CandidateSource {

  private final ItemNeighbours neighbours;

  public Item2ItemSource(ItemNeighbours neighbours) {
    this.neighbours = neighbours;
  }

  @Override
  public String name() {
    return CandidateSources.ITEM2ITEM;
  }

  @Override
  public ScoredItems retrieve(RetrievalQuery query, int k, ExcludedItems exclude) {
    return neighbours.top(query.history(), k, exclude);
  }
}
