package io.recsys.models.train;

import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.ItemNeighbours;
import io.recsys.common.bundle.Popularity;
import io.recsys.common.candidates.CandidateQuotas;
import io.recsys.common.candidates.MergedCandidates;
import io.recsys.common.candidates.MergedCandidates.SourceList;
import io.recsys.common.features.CandidateSources;
import io.recsys.common.features.Interaction;
import io.recsys.common.index.ScoredItems;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * The served candidate sources, computed offline for one point in a user's history: the two-tower
 * top k by exact dot product (what an ideal index returns), the popular top k ({@link
 * Popularity#top}) and the item2item top k ({@link ItemNeighbours#top}), the last two with the
 * served sources' own code; each without the items the user has seen and cut to its {@link
 * CandidateQuotas} share, then merged by {@link MergedCandidates#merge} in the gateway's source
 * order. The ranker's training examples and the offline two_stage evaluation both take their
 * candidates from here.
 */
public final class OfflineCandidates {

  private final ItemCatalog catalog;
  private final EmbeddingMatrix itemVectors;
  private final Popularity popularity;
  private final ItemNeighbours item2item;
  private final CandidateQuotas quotas;

  public OfflineCandidates(ItemCatalog catalog, EmbeddingMatrix itemVectors, Popularity popularity,
                           ItemNeighbours item2item, CandidateQuotas quotas) {
    this.catalog = catalog;
    this.itemVectors = itemVectors;
    this.popularity = popularity;
    this.item2item = item2item;
    this.quotas = quotas;
  }

  public CandidateQuotas quotas() {
    return quotas;
  }

  /**
   * @param history the user's interactions up to this point, oldest first
   * @param userVector the user tower's vector for that history
   * @param seen the items of that history: no source proposes them
   */
  public MergedCandidates candidates(List<Interaction> history, float[] userVector,
                                     Set<Integer> seen) {
    IntPredicate excluded = seen::contains;
    List<SourceList> lists = new ArrayList<>(3);
    lists.add(list(CandidateSources.TWO_TOWER, topByDot(userVector, excluded, quotas.twoTower())));
    lists.add(list(CandidateSources.POPULAR, popularity.top(quotas.popular(), excluded)));
    if (quotas.item2item() > 0) {
      lists.add(list(CandidateSources.ITEM2ITEM, item2item.top(history, quotas.item2item(), excluded)));
    }
    return MergedCandidates.merge(catalog, lists);
  }

  private SourceList list(String source, ScoredItems items) {
    String[] ids = new String[items.size()];
    for (int r = 0; r < ids.length; r++) {
      ids[r] = catalog.id(items.items()[r]);
    }
    return new SourceList(source, ids, items.scores());
  }

  /** Exact top k by dot product, best first. */
  private ScoredItems topByDot(float[] q, IntPredicate excluded, int k) {
    PriorityQueue<float[]> heap = new PriorityQueue<>(k + 1, (a, b) -> Float.compare(a[1], b[1]));
    for (int i = 0; i < itemVectors.rows(); i++) {
      if (excluded.test(i)) {
        continue;
      }
      float s = itemVectors.dot(i, q);
      if (heap.size() < k) {
        heap.add(new float[] {i, s});
      } else if (s > heap.peek()[1]) {
        heap.poll();
        heap.add(new float[] {i, s});
      }
    }
    int[] items = new int[heap.size()];
    float[] scores = new float[heap.size()];
    for (int r = items.length - 1; r >= 0; r--) {
      float[] top = heap.poll();
      items[r] = (int) top[0];
      scores[r] = top[1];
    }
    return new ScoredItems(items, scores);
  }
}
