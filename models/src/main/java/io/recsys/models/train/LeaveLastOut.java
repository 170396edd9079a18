package io.recsys.models.train;

import io.recsys.common.features.Interaction;
import java.util.ArrayList;
import java.util.List;

/**
 * The evaluation split: per user (interactions oldest first) the last interaction is held out,
 * the rest is the training part. Users with fewer than 3 interactions stay entirely in training.
 */
public record LeaveLastOut(List<List<Interaction>> train, int[] heldOutItem) {

  public static final int NONE = -1;

  public static LeaveLastOut of(List<List<Interaction>> histories) {
    List<List<Interaction>> train = new ArrayList<>(histories.size());
    int[] held = new int[histories.size()];
    for (int u = 0; u < histories.size(); u++) {
      List<Interaction> h = histories.get(u);
      if (h.size() < 3) {
        train.add(h);
        held[u] = NONE;
      } else {
        train.add(h.subList(0, h.size() - 1));
        held[u] = h.get(h.size() - 1).itemIndex();
      }
    }
    return new LeaveLastOut(train, held);
  }
}
