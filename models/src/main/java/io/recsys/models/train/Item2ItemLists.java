package io.recsys.models.train;

import io.recsys.common.bundle.ItemNeighbours;
import io.recsys.common.features.Interaction;
import io.recsys.common.index.ScoredItems;
import io.recsys.models.eval.baselines.ItemKnnRecommender;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The knobs of the item2item source's lists: how many item-kNN neighbours each item keeps and the
 * recency decay that weighs the history. They are chosen per data set on the held-out validation
 * items (nDCG@10 of the source alone, as served by {@link ItemNeighbours#top}), then the lists are
 * fitted with them on whatever histories the caller serves from: all interactions at export, the
 * training part in the evaluation, the part before the ranker's examples in its training.
 */
public record Item2ItemLists(int neighbours, double decay) {

  static final int[] NEIGHBOURS = {25, 50, 100, 200};
  static final double[] DECAYS = {0.25, 0.4, 0.55, 0.7, 0.85, 1.0};
  private static final int CUT = 10;

  /** Every neighbours x decay pair scored on the validation items; the best (the first on ties). */
  public static Item2ItemLists tune(List<List<Interaction>> train, int[] validationItems, int items,
                                    Consumer<String> progress) {
    long t0 = System.nanoTime();
    ItemKnnRecommender knn = ItemKnnRecommender.fit(train, items, NEIGHBOURS[NEIGHBOURS.length - 1]);
    Item2ItemLists best = null;
    double bestNdcg = -1;
    for (int n : NEIGHBOURS) {
      ItemNeighbours lists = knn.withNeighbours(n).neighbourLists();
      for (double decay : DECAYS) {
        double ndcg = validationNdcg(lists.withDecay(decay), train, validationItems);
        if (ndcg > bestNdcg) {
          bestNdcg = ndcg;
          best = new Item2ItemLists(n, decay);
        }
      }
    }
    progress.accept(String.format("[item2item] %d neighbours, decay %.2f chosen on validation (nDCG@10 %.4f; %.1fs)",
        best.neighbours(), best.decay(), bestNdcg, (System.nanoTime() - t0) / 1e9));
    return best;
  }

  /** The lists with these knobs over {@code histories}. */
  public ItemNeighbours fit(List<List<Interaction>> histories, int items) {
    return ItemKnnRecommender.fit(histories, items, neighbours).withRecency(decay).neighbourLists();
  }

  private static double validationNdcg(ItemNeighbours lists, List<List<Interaction>> train, int[] validationItems) {
    // per user in parallel, summed in user order: the choice does not depend on the number of cores
    double[] gain = IntStream.range(0, train.size()).parallel()
        .mapToDouble(u -> validationItems[u] == LeaveLastOut.NONE ? 0 : gain(lists, train.get(u), validationItems[u]))
        .toArray();
    int users = (int) java.util.Arrays.stream(validationItems).filter(i -> i != LeaveLastOut.NONE).count();
    double sum = 0;
    for (double g : gain) {
      sum += g;
    }
    return users == 0 ? 0 : sum / users;
  }

  /** 1 / log2(rank + 2) of the validation item in the source's top 10, 0 when it is not there. */
  private static double gain(ItemNeighbours lists, List<Interaction> history, int validationItem) {
    Set<Integer> seen = new HashSet<>();
    for (Interaction e : history) {
      seen.add(e.itemIndex());
    }
    ScoredItems top = lists.top(history, CUT, seen::contains);
    for (int r = 0; r < top.size(); r++) {
      if (top.items()[r] == validationItem) {
        return 1 / (Math.log(r + 2) / Math.log(2));
      }
    }
    return 0;
  }
}
