package io.recsys.retrieval.source;

import io.recsys.common.bundle.ItemNeighbours;
import io.recsys.common.features.CandidateSources;
import io.recsys.common.index.ScoredItems;
import java.util.HashMap;
import java.util.Map;

/**
 * Neighbours of the user's recent items: each history item h (newest first, age 0 the newest)
 * adds decay^age x sim(h, j) to its exported neighbours j ({@link ItemNeighbours#accumulate}, the
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
    // sparse: a history touches at most history x M items, the catalog may hold millions
    Map<Integer, Float> scores = new HashMap<>();
    neighbours.accumulate(query.history(), Integer.MAX_VALUE, (item, score) -> scores.merge(item, score, Float::sum));
    int[] candidates = scores.keySet().stream().mapToInt(Integer::intValue).filter(i -> !exclude.test(i))
        .boxed()
        .sorted((a, b) -> {
          int c = Float.compare(scores.get(b), scores.get(a));
          return c != 0 ? c : Integer.compare(a, b);
        })
        .limit(k)
        .mapToInt(Integer::intValue)
        .toArray();
    float[] out = new float[candidates.length];
    for (int r = 0; r < candidates.length; r++) {
      out[r] = scores.get(candidates[r]);
    }
    return new ScoredItems(candidates, out);
  }
}
