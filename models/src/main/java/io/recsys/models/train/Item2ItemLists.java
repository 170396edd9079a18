package io.recsys.models.train;

import io.recsys.common.bundle.ItemNeighbours;
import io.recsys.common.features.Interaction;
import io.recsys.models.eval.baselines.EaseRecommender;
import io.recsys.models.eval.baselines.ItemKnnRecommender;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The knobs of the item2item source's lists: where the weights come from, how many neighbours each
 * item keeps and the recency decay that weighs the history. The weights are item-kNN cosine
 * ({@code easeLambda} 0) or the positive weights of EASE's item-item matrix at that lambda, fitted
 * over the items at least {@value #EASE_MIN_USERS} users had (at most {@value #EASE_MAX_ITEMS}): on
 * ml-latest-small EASE's lists rank the next item far better than cosine's. All knobs are chosen per
 * data set on the held-out validation items (nDCG@10 of the source alone, as served by
 * {@link ItemNeighbours#top}), then the lists are fitted with them on whatever histories the caller
 * serves from: all interactions at export, the training part in the evaluation, the part before the
 * ranker's examples in its training.
 */
public record Item2ItemLists(double easeLambda, int neighbours, double decay) {

  static final int[] NEIGHBOURS = {25, 50, 100, 200};
  static final double[] DECAYS = {0.25, 0.4, 0.55, 0.7, 0.85, 1.0};
  static final double[] EASE_LAMBDAS = {100, 200, 400, 800};
  static final int EASE_MIN_USERS = 5;
  static final int EASE_MAX_ITEMS = 5000;
  private static final int CUT = 10;

  /**
   * Every weights x neighbours x decay combination scored on the validation items; the best (the
   * first on ties, cosine before EASE).
   */
  public static Item2ItemLists tune(List<List<Interaction>> train, int[] validationItems, int items,
                                    Consumer<String> progress) {
    long t0 = System.nanoTime();
    int most = NEIGHBOURS[NEIGHBOURS.length - 1];
    Best cosine = new Best();
    cosine.scan(0, ItemKnnRecommender.fit(train, items, most).neighbourLists(), train, validationItems);
    Best ease = new Best();
    EaseRecommender.Gram gram = new EaseRecommender.Gram(train, items, EASE_MIN_USERS, EASE_MAX_ITEMS);
    if (gram.size() > 0) {
      for (double lambda : EASE_LAMBDAS) {
        ItemNeighbours lists = EaseRecommender.fit(gram, lambda, threads()).neighbourLists(most);
        ease.scan(lambda, lists, train, validationItems);
      }
    }
    Best best = ease.ndcg > cosine.ndcg ? ease : cosine;
    progress.accept(String.format("[item2item] %s chosen on validation (nDCG@10 %.4f; best cosine %.4f, best EASE "
            + "over %d items %.4f; %.1fs)", best.knobs.describe(), best.ndcg, cosine.ndcg, gram.size(),
        Math.max(0, ease.ndcg), (System.nanoTime() - t0) / 1e9));
    return best.knobs;
  }

  /** The lists with these knobs over {@code histories}. */
  public ItemNeighbours fit(List<List<Interaction>> histories, int items) {
    ItemNeighbours lists = easeLambda > 0
        ? EaseRecommender.fit(new EaseRecommender.Gram(histories, items, EASE_MIN_USERS, EASE_MAX_ITEMS),
            easeLambda, threads()).neighbourLists(neighbours)
        : ItemKnnRecommender.fit(histories, items, neighbours).neighbourLists();
    return lists.withDecay(decay);
  }

  /** The knobs as a report or log names them. */
  public String describe() {
    return String.format("%s, neighbours=%d, decay=%s",
        easeLambda > 0 ? "EASE lambda=" + (int) easeLambda : "cosine", neighbours, decay);
  }

  private static int threads() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** The best knobs seen so far and their validation nDCG@10. */
  private static final class Best {
    Item2ItemLists knobs;
    double ndcg = -1;

    /** Every neighbours x decay cut of {@code lists} (fitted with the most neighbours). */
    void scan(double easeLambda, ItemNeighbours lists, List<List<Interaction>> train, int[] validationItems) {
      for (int n : NEIGHBOURS) {
        ItemNeighbours cut = lists.truncated(n);
        for (double decay : DECAYS) {
          double v = validationNdcg(cut.withDecay(decay), train, validationItems);
          if (v > ndcg) {
            ndcg = v;
            knobs = new Item2ItemLists(easeLambda, n, decay);
          }
        }
      }
    }
  }

  private static double validationNdcg(ItemNeighbours lists, List<List<Interaction>> train, int[] validationItems) {
    // per user in parallel, summed in user order: the choice does not depend on the number of cores
    ThreadLocal<float[]> scratch = ThreadLocal.withInitial(() -> new float[lists.items()]);
    double[] gain = IntStream.range(0, train.size()).parallel()
        .mapToDouble(u -> validationItems[u] == LeaveLastOut.NONE ? 0
            : gain(lists, train.get(u), validationItems[u], scratch.get()))
        .toArray();
    int users = (int) java.util.Arrays.stream(validationItems).filter(i -> i != LeaveLastOut.NONE).count();
    double sum = 0;
    for (double g : gain) {
      sum += g;
    }
    return users == 0 ? 0 : sum / users;
  }

  /** 1 / log2(rank + 2) of the validation item in the source's top 10, 0 when it is not there. */
  private static double gain(ItemNeighbours lists, List<Interaction> history, int validationItem, float[] scratch) {
    int[] seen = history.stream().mapToInt(Interaction::itemIndex).sorted().toArray();
    int rank = lists.rank(history, validationItem, i -> java.util.Arrays.binarySearch(seen, i) >= 0, scratch);
    return rank >= 0 && rank < CUT ? 1 / (Math.log(rank + 2) / Math.log(2)) : 0;
  }
}
