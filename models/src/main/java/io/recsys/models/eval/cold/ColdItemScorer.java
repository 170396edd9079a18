package io.recsys.models.eval.cold;

import java.util.List;

/** A model under the cold-item protocol: it scores a set of held-out items for held-out interactions. */
interface ColdItemScorer {

  String name();

  /** Fills {@code out[q][j]} with the score of {@code candidates[j]} for {@code events.get(q)}, higher is better. */
  void score(List<ColdItemSplit.Event> events, int[] candidates, float[][] out);
}
