package io.recsys.models.eval.baselines;

import io.recsys.common.features.Interaction;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The binary user-item matrix of implicit feedback: which distinct items each user had. */
final class UserItemSets {

  private UserItemSets() {}

  static int[] distinctItems(List<Interaction> history) {
    Set<Integer> s = new LinkedHashSet<>();
    for (Interaction e : history) {
      s.add(e.itemIndex());
    }
    return s.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Per item, the users who had it (the transpose). */
  static int[][] usersByItem(List<int[]> itemsByUser, int items) {
    int[] counts = new int[items];
    for (int[] its : itemsByUser) {
      for (int i : its) {
        counts[i]++;
      }
    }
    int[][] out = new int[items][];
    for (int i = 0; i < items; i++) {
      out[i] = new int[counts[i]];
    }
    int[] fill = new int[items];
    for (int u = 0; u < itemsByUser.size(); u++) {
      for (int i : itemsByUser.get(u)) {
        out[i][fill[i]++] = u;
      }
    }
    return out;
  }

  static List<int[]> of(List<List<Interaction>> histories) {
    List<int[]> out = new ArrayList<>(histories.size());
    for (List<Interaction> h : histories) {
      out.add(distinctItems(h));
    }
    return out;
  }
}
