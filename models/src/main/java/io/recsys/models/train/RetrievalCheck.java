package io.recsys.models.train;

import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.features.HistoryEncoder;
import io.recsys.common.features.Interaction;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Recall@k of the two-tower model on held-out next items, scoring all items exactly (excluding the
 * user's training items). Used for progress output and early stopping during training.
 */
public final class RetrievalCheck {

  private RetrievalCheck() {}

  public static double recallAt(TwoTowerModel model, EmbeddingMatrix items,
                                List<List<Interaction>> train, int[] heldOut, int k) {
    int l = model.config().historyLength();
    HistoryEncoder enc = new HistoryEncoder(l);
    int hits = 0;
    int users = 0;
    int batch = 512;
    int[] uIdx = new int[batch];
    int[] hist = new int[batch * l];
    float[] w = new float[batch * l];
    int[] who = new int[batch];
    int n = 0;
    for (int u = 0; u <= train.size(); u++) {
      boolean flush = u == train.size() || n == batch;
      if (flush && n > 0) {
        float[] vecs = model.userEmbeddings(java.util.Arrays.copyOf(uIdx, n),
            java.util.Arrays.copyOf(hist, n * l), java.util.Arrays.copyOf(w, n * l));
        for (int j = 0; j < n; j++) {
          float[] q = new float[items.dim()];
          System.arraycopy(vecs, j * items.dim(), q, 0, items.dim());
          if (inTopK(items, q, heldOut[who[j]], seen(train.get(who[j])), k)) {
            hits++;
          }
          users++;
        }
        n = 0;
      }
      if (u == train.size()) {
        break;
      }
      if (heldOut[u] == LeaveLastOut.NONE) {
        continue;
      }
      uIdx[n] = u + 1;
      enc.encode(train.get(u), hist, w, n * l);
      who[n] = u;
      n++;
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
