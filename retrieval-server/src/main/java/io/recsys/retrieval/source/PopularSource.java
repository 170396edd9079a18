package io.recsys.retrieval.source;

import io.recsys.common.bundle.Popularity;
import io.recsys.common.features.CandidateSources;
import io.recsys.common.index.ScoredItems;

/**
 * The most popular items of the training data, the same for every user: the cold-start fallback.
 * Score: {@link Popularity#score}, in [0, 1], comparable across bundles and the same the ranker was
 * trained with.
 */
public final class PopularSource implements CandidateSource {

  private final Popularity popularity;

  public PopularSource(Popularity popularity) {
    this.popularity = popularity;
  }

  @Override
  public String name() {
    return CandidateSources.POPULAR;
  }

  @Override
  public ScoredItems retrieve(RetrievalQuery query, int k, ExcludedItems exclude) {
    return popularity.top(k, exclude);
  }
}
