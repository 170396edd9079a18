package io.recsys.models.eval.cold;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ranks each held-out interaction's item among the held-out items of its half (minus those the user
 * already had) and averages Recall@k (one target: a hit in the top k), nDCG@10 and MRR over the
 * interactions. Ties rank the lower item index first for the target and the others alike, so equal
 * scores gain a model nothing. Random order is not run but computed: its expected value per
 * interaction with n rankable items is min(k, n) / n, sum over r <= min(10, n) of 1 / log2(r + 1) / n, and
 * H(n) / n.
 */
final class ColdItemMetrics {

  static final int[] KS = {10, 20, 50};
  static final String NDCG = "ndcg@10";
  private static final int BATCH = 512;

  private ColdItemMetrics() {}

  static Map<String, Double> of(ColdItemScorer scorer, List<ColdItemSplit.Event> events, int[] candidates) {
    Sums sums = new Sums();
    float[][] scores = new float[BATCH][candidates.length];
    for (int start = 0; start < events.size(); start += BATCH) {
      List<ColdItemSplit.Event> batch = events.subList(start, Math.min(events.size(), start + BATCH));
      scorer.score(batch, candidates, scores);
      for (int q = 0; q < batch.size(); q++) {
        sums.addRank(rank(scores[q], candidates, batch.get(q)));
      }
    }
    return sums.means(events.size());
  }

  /** The expected metrics of a uniformly random order. */
  static Map<String, Double> random(List<ColdItemSplit.Event> events, int[] candidates) {
    Sums sums = new Sums();
    for (ColdItemSplit.Event e : events) {
      int n = rankable(candidates, e.earlierCold());
      for (int i = 0; i < KS.length; i++) {
        sums.recall[i] += Math.min(KS[i], n) / (double) n;
      }
      for (int r = 1; r <= Math.min(10, n); r++) {
        sums.ndcg += 1 / log2(r + 1) / n;
      }
      for (int r = 1; r <= n; r++) {
        sums.mrr += 1.0 / r / n;
      }
    }
    return sums.means(events.size());
  }

  /** 1-based rank of the target among the candidates the user did not already have. */
  static int rank(float[] scores, int[] candidates, ColdItemSplit.Event e) {
    int t = Arrays.binarySearch(candidates, e.target());
    float ts = Float.isNaN(scores[t]) ? Float.NEGATIVE_INFINITY : scores[t];
    int rank = 1;
    for (int j = 0; j < candidates.length; j++) {
      float s = Float.isNaN(scores[j]) ? Float.NEGATIVE_INFINITY : scores[j];
      if (j != t && (s > ts || (s == ts && j < t)) && !had(e, candidates[j])) {
        rank++;
      }
    }
    return rank;
  }

  private static int rankable(int[] candidates, int[] earlierCold) {
    int n = candidates.length;
    for (int c : earlierCold) {
      n -= Arrays.binarySearch(candidates, c) >= 0 ? 1 : 0;
    }
    return n;
  }

  private static boolean had(ColdItemSplit.Event e, int item) {
    return Arrays.binarySearch(e.earlierCold(), item) >= 0;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  private static final class Sums {
    final double[] recall = new double[KS.length];
    double ndcg;
    double mrr;

    void addRank(int rank) {
      for (int i = 0; i < KS.length; i++) {
        recall[i] += rank <= KS[i] ? 1 : 0;
      }
      ndcg += rank <= 10 ? 1 / log2(rank + 1) : 0;
      mrr += 1.0 / rank;
    }

    Map<String, Double> means(int n) {
      Map<String, Double> m = new LinkedHashMap<>();
      for (int i = 0; i < KS.length; i++) {
        m.put("recall@" + KS[i], recall[i] / n);
      }
      m.put(NDCG, ndcg / n);
      m.put("mrr", mrr / n);
      return m;
    }
  }
}
