package io.recsys.models.train;

import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.features.HistoryEncoder;
import io.recsys.common.features.Interaction;
import io.recsys.models.eval.RankingMetrics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Recall@20 and nDCG@10 of a retrieval model (the two-tower, the sequence model) on held-out next
 * items, scoring all items exactly (excluding the user's training items). Used for progress output
 * and early stopping during training.
 */
public final class RetrievalCheck {

  public static final int RECALL_K = 20;
  public static final int NDCG_K = 10;

  private RetrievalCheck() {}

  /** Means over the users with a held-out item. */
  public record Scores(double recall, double ndcg) {
    @Override
    public String toString() {
      return String.format("recall@%d %.4f ndcg@%d %.4f", RECALL_K, recall, NDCG_K, ndcg);
    }
  }

  /** An epoch's item vectors with their validation scores: what early stopping keeps of the best one. */
  record Scored(EmbeddingMatrix vectors, Scores scores) {}

  /** User vectors of a batch of users: n x dim, row-major. */
  @FunctionalInterface
  public interface UserVectors {
    /** @param users 0-based; @param histories their training interactions, oldest first */
    float[] of(int[] users, List<List<Interaction>> histories);
  }

  public static Scores of(TwoTowerModel model, EmbeddingMatrix items, List<List<Interaction>> train,
                          int[] heldOut) {
    int l = model.config().historyLength();
    HistoryEncoder enc = new HistoryEncoder(l);
    return of((users, histories) -> {
      int n = users.length;
      int[] modelUsers = new int[n];
      int[] hist = new int[n * l];
      float[] w = new float[n * l];
      for (int j = 0; j < n; j++) {
        modelUsers[j] = users[j] + 1;
        enc.encode(histories.get(j), hist, w, j * l);
      }
      return model.userEmbeddings(modelUsers, hist, w);
    }, items, train, heldOut);
  }

  public static Scores of(UserVectors model, EmbeddingMatrix items, List<List<Interaction>> train, int[] heldOut) {
    int hits = 0;
    double gain = 0;
    int users = 0;
    int batch = 512;
    List<Integer> who = new ArrayList<>();
    for (int u = 0; u <= train.size(); u++) {
      if ((u == train.size() || who.size() == batch) && !who.isEmpty()) {
        int[] us = who.stream().mapToInt(Integer::intValue).toArray();
        float[] vecs = model.of(us, who.stream().map(train::get).toList());
        for (int j = 0; j < us.length; j++) {
          float[] q = new float[items.dim()];
          System.arraycopy(vecs, j * items.dim(), q, 0, items.dim());
          int rank = rankBelow(items, q, heldOut[us[j]], seen(train.get(us[j])), RECALL_K);
          if (rank < RECALL_K) {
            hits++;
          }
          if (rank < NDCG_K) {
            gain += RankingMetrics.discount(rank + 1);
          }
          users++;
        }
        who.clear();
      }
      if (u < train.size() && heldOut[u] != LeaveLastOut.NONE) {
        who.add(u);
      }
    }
    return users == 0 ? new Scores(0, 0) : new Scores((double) hits / users, gain / users);
  }

  private static Set<Integer> seen(List<Interaction> h) {
    Set<Integer> s = new HashSet<>();
    for (Interaction e : h) {
      s.add(e.itemIndex());
    }
    return s;
  }

  /** The target's 0-based rank among the items not excluded, counted up to {@code k} (k = not in the top k). */
  private static int rankBelow(EmbeddingMatrix items, float[] q, int target, Set<Integer> exclude, int k) {
    if (exclude.contains(target)) {
      return k;
    }
    float ts = items.dot(target, q);
    int better = 0;
    for (int i = 0; i < items.rows() && better < k; i++) {
      if (i != target && !exclude.contains(i) && items.dot(i, q) > ts) {
        better++;
      }
    }
    return better;
  }
}
