package io.recsys.retrieval.source;

import io.recsys.common.bundle.Popularity;
import io.recsys.common.features.CandidateSources;
import io.recsys.common.index.ScoredItems;
import java.util.Arrays;

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
    int[] ranked = popularity.ranked();
    int[] items = new int[Math.min(k, ranked.length)];
    float[] scores = new float[items.length];
    int n = 0;
    for (int rank = 0; rank < ranked.length && n < items.length; rank++) {
      if (!exclude.test(ranked[rank])) {
        items[n] = ranked[rank];
        scores[n] = popularity.score(ranked[rank]);
        n++;
      }
    }
    return new ScoredItems(Arrays.copyOf(items, n), Arrays.copyOf(scores, n));
  }
}
