package io.recsys.models.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sums the per-user metrics of one model over all evaluated users (leave-last-out: one relevant
 * item per user) and gives the means, plus catalog coverage over all top-k lists.
 */
final class MetricsAccumulator {

  private final int[] ks;
  private final int catalogSize;
  private final RankingMetrics.ItemDistance byCategory;
  private final RankingMetrics.ItemDistance byEmbedding;
  private final double[] selfInformation;
  private final Map<String, Double> sums = new LinkedHashMap<>();
  private final List<int[]> lists = new ArrayList<>();
  private int users;

  /** @param byEmbedding null when no item embedding is available (the metric is then left out) */
  MetricsAccumulator(int[] ks, int catalogSize, RankingMetrics.ItemDistance byCategory,
                     RankingMetrics.ItemDistance byEmbedding, double[] selfInformation) {
    this.ks = ks.clone();
    this.catalogSize = catalogSize;
    this.byCategory = byCategory;
    this.byEmbedding = byEmbedding;
    this.selfInformation = selfInformation;
  }

  /**
   * @param top the user's list, best first, at least max(ks) long where the catalog allows
   * @param rank 1-based full rank of the held-out item, 0 when it could not be ranked (excluded)
   */
  void add(int[] top, int target, long rank) {
    Set<Integer> relevant = Set.of(target);
    for (int k : ks) {
      add("recall@" + k, RankingMetrics.recall(top, relevant, k));
      add("ndcg@" + k, RankingMetrics.ndcg(top, relevant, k));
      add("precision@" + k, RankingMetrics.precision(top, relevant, k));
      add("hit_rate@" + k, RankingMetrics.hitRate(top, relevant, k));
      add("ild_category@" + k, RankingMetrics.intraListDiversity(top, k, byCategory));
      if (byEmbedding != null) {
        add("ild_embedding@" + k, RankingMetrics.intraListDiversity(top, k, byEmbedding));
      }
      add("novelty@" + k, RankingMetrics.novelty(top, k, selfInformation));
    }
    add("mrr", rank == 0 ? 0 : 1.0 / rank);
    lists.add(top);
    users++;
  }

  private void add(String metric, double v) {
    sums.merge(metric, v, Double::sum);
  }

  /** Means over users, coverage@k over all lists, and the number of users. Keys sorted by k. */
  Map<String, Double> result() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String base : List.of("recall", "ndcg", "precision", "hit_rate")) {
      for (int k : ks) {
        out.put(base + "@" + k, mean(base + "@" + k));
      }
    }
    out.put("mrr", mean("mrr"));
    for (int k : ks) {
      out.put("coverage@" + k, RankingMetrics.coverage(lists, k, catalogSize));
    }
    for (String base : List.of("ild_category", "ild_embedding", "novelty")) {
      for (int k : ks) {
        if (sums.containsKey(base + "@" + k)) {
          out.put(base + "@" + k, mean(base + "@" + k));
        }
      }
    }
    out.put("users", (double) users);
    return out;
  }

  private double mean(String metric) {
    return users == 0 ? 0 : sums.getOrDefault(metric, 0.0) / users;
  }
}
