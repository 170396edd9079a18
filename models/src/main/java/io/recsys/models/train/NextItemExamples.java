package io.recsys.models.train;

import io.recsys.common.features.HistoryEncoder;
import io.recsys.common.features.Interaction;
import java.util.List;

/**
 * "Given what the user did so far, what comes next?" examples: for every interaction after a user's
 * first, the encoded history before it and the item itself. User u gets model index u + 1.
 */
public record NextItemExamples(int count, int historyLength, int[] users, int[] histItems,
                               float[] histWeights, int[] targets) {

  public static NextItemExamples of(List<List<Interaction>> histories, int historyLength) {
    HistoryEncoder enc = new HistoryEncoder(historyLength);
    int n = 0;
    for (List<Interaction> h : histories) {
      for (int t = 1; t < h.size(); t++) {
        if (HistoryEncoder.typeWeight(h.get(t).type(), h.get(t).value()) > 0) {
          n++;
        }
      }
    }
    int[] users = new int[n];
    int[] items = new int[n * historyLength];
    float[] weights = new float[n * historyLength];
    int[] targets = new int[n];
    int i = 0;
    for (int u = 0; u < histories.size(); u++) {
      List<Interaction> h = histories.get(u);
      for (int t = 1; t < h.size(); t++) {
        if (HistoryEncoder.typeWeight(h.get(t).type(), h.get(t).value()) <= 0) {
          continue;
        }
        users[i] = u + 1;
        enc.encode(h.subList(Math.max(0, t - historyLength * 2), t), items, weights, i * historyLength);
        targets[i] = h.get(t).itemIndex();
        i++;
      }
    }
    return new NextItemExamples(n, historyLength, users, items, weights, targets);
  }
}
