package io.recsys.models.eval;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Top-k ranking metrics over one ranked list (best first) and the set of relevant items. Under
 * leave-last-out the relevant set is the single test item, so Recall@k = HitRate@k there.
 */
public final class RankingMetrics {

  private RankingMetrics() {}

  /** Share of the relevant items found in the top k. */
  public static double recall(int[] ranked, Set<Integer> relevant, int k) {
    return relevant.isEmpty() ? 0 : (double) hits(ranked, relevant, k) / relevant.size();
  }

  /** Share of the top k that is relevant (always divided by k, even when the list is shorter). */
  public static double precision(int[] ranked, Set<Integer> relevant, int k) {
    return (double) hits(ranked, relevant, k) / k;
  }

  /** 1 if any relevant item is in the top k, else 0. */
  public static double hitRate(int[] ranked, Set<Integer> relevant, int k) {
    return hits(ranked, relevant, k) > 0 ? 1 : 0;
  }

  /** DCG of the top k (gain 1 per relevant item, discount log2(rank + 1)) over the best possible DCG. */
  public static double ndcg(int[] ranked, Set<Integer> relevant, int k) {
    double dcg = 0;
    for (int r = 0; r < Math.min(k, ranked.length); r++) {
      if (relevant.contains(ranked[r])) {
        dcg += discount(r + 1);
      }
    }
    double ideal = 0;
    for (int r = 0; r < Math.min(k, relevant.size()); r++) {
      ideal += discount(r + 1);
    }
    return ideal == 0 ? 0 : dcg / ideal;
  }

  /** 1 / rank of the first relevant item in the list, 0 when there is none. */
  public static double reciprocalRank(int[] ranked, Set<Integer> relevant) {
    for (int r = 0; r < ranked.length; r++) {
      if (relevant.contains(ranked[r])) {
        return 1.0 / (r + 1);
      }
    }
    return 0;
  }

  /** 1 / log2(rank + 1), rank 1-based. */
  public static double discount(long rank) {
    return 1.0 / (Math.log(rank + 1) / Math.log(2));
  }

  /** Share of the catalog that appears in at least one of the lists' top k. */
  public static double coverage(Collection<int[]> lists, int k, int catalogSize) {
    Set<Integer> shown = new HashSet<>();
    for (int[] l : lists) {
      for (int r = 0; r < Math.min(k, l.length); r++) {
        shown.add(l[r]);
      }
    }
    return (double) shown.size() / catalogSize;
  }

  /** How unlike two items are, in [0, 1] or [0, 2]; 0 = the same. */
  @FunctionalInterface
  public interface ItemDistance {
    double between(int a, int b);
  }

  /** Mean distance over all pairs of the top k; 0 for fewer than two items. */
  public static double intraListDiversity(int[] ranked, int k, ItemDistance d) {
    int n = Math.min(k, ranked.length);
    if (n < 2) {
      return 0;
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        sum += d.between(ranked[i], ranked[j]);
      }
    }
    return sum / (n * (n - 1) / 2.0);
  }

  /** Mean self-information -log2 p(i) of the top k, with p(i) the share of users who had item i. */
  public static double novelty(int[] ranked, int k, double[] selfInformation) {
    int n = Math.min(k, ranked.length);
    double sum = 0;
    for (int r = 0; r < n; r++) {
      sum += selfInformation[ranked[r]];
    }
    return n == 0 ? 0 : sum / n;
  }

  /**
   * -log2 p(i) per item with p(i) = (users who had i + 1) / (users + 1): smoothed so items nobody
   * had in training get a finite, highest value.
   */
  public static double[] selfInformation(List<? extends Collection<Integer>> itemsPerUser, int items) {
    int[] users = new int[items];
    for (Collection<Integer> s : itemsPerUser) {
      for (int i : new HashSet<>(s)) {
        users[i]++;
      }
    }
    double[] out = new double[items];
    for (int i = 0; i < items; i++) {
      out[i] = -Math.log((users[i] + 1.0) / (itemsPerUser.size() + 1.0)) / Math.log(2);
    }
    return out;
  }

  private static int hits(int[] ranked, Set<Integer> relevant, int k) {
    int h = 0;
    for (int r = 0; r < Math.min(k, ranked.length); r++) {
      if (relevant.contains(ranked[r])) {
        h++;
      }
    }
    return h;
  }
}
