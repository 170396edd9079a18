package io.recsys.models.train;

import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.features.HistoryEncoder;
import io.recsys.common.features.Interaction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Recall@k of a retrieval model (the two-tower, the sequence model) on held-out next items, scoring
 * all items exactly (excluding the user's training items). Used for progress output and early stopping during training.
 */
public final class RetrievalCheck {

  private RetrievalCheck() {}

  /** User vectors of a batch of users: n x dim, row-major. */
  @FunctionalInterface
  public interface UserVectors {
    /** @param users 0-based; @param histories their training interactions, oldest first */
    float[] of(int[] users, List<List<Interaction>> histories);
  }

  public static double recallAt(TwoTowerModel model, EmbeddingMatrix items,
                                List<List<Interaction>> train, int[] heldOut, int k) {
    int l = model.config().historyLength();
    HistoryEncoder enc = new HistoryEncoder(l);
    return recallAt((users, histories) -> {
      int n = users.length;
      int[] modelUsers = new int[n];
      int[] hist = new int[n * l];
      float[] w = new float[n * l];
      for (int j = 0; j < n; j++) {
        modelUsers[j] = users[j] + 1;
        enc.encode(histories.get(j), hist, w, j * l);
      }
      return model.userEmbeddings(modelUsers, hist, w);
    }, items, train, heldOut, k);
  }

  public static double recallAt(UserVectors model, EmbeddingMatrix items,
                                List<List<Interaction>> train, int[] heldOut, int k) {
    int hits = 0;
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
          if (inTopK(items, q, heldOut[us[j]], seen(train.get(us[j])), k)) {
            hits++;
          }
          users++;
        }
        who.clear();
      }
      if (u < train.size() && heldOut[u] != LeaveLastOut.NONE) {
        who.add(u);
      }
    }
    return users == 0 ? 0 : (double) hits / users;
  }

  private static Set<Integer> seen(List<Interaction> h) {
    Set<Integer> s = new HashSet<>();
    for (Interaction e : h) {
      s.add(e.itemIndex());
    }
    return s;
  }

  private static boolean inTopK(EmbeddingMatrix items, float[] q, int target, Set<Integer> exclude, int k) {
    if (exclude.contains(target)) {
      return false;
    }
    float ts = items.dot(target, q);
    int better = 0;
    for (int i = 0; i < items.rows() && better < k; i++) {
      if (i != target && !exclude.contains(i) && items.dot(i, q) > ts) {
        better++;
      }
    }
    return better < k;
  }
}
