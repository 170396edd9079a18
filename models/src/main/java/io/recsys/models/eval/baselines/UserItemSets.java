package io.recsys.models.eval.baselines;

import io.recsys.common.features.Interaction;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The binary user-item matrix of implicit feedback: which distinct items each user had. */
final class UserItemSets {

  private UserItemSets() {}

  /** A user's distinct items with their weights in a score: the newest has age 0, the one before it age 1... */
  record WeightedItems(int[] items, float[] weights) {}

  /**
   * The distinct items of a history, each weighing {@code decay^age}, where age counts the distinct
   * items had more recently (a repeated item counts at its latest time). Decay 1 weighs all alike.
   */
  static WeightedItems byRecency(List<Interaction> history, double decay) {
    Set<Integer> newestFirst = new LinkedHashSet<>();
    for (int p = history.size() - 1; p >= 0; p--) {
      newestFirst.add(history.get(p).itemIndex());
    }
    int[] items = new int[newestFirst.size()];
    float[] weights = new float[items.length];
    int age = 0;
    for (int i : newestFirst) {
      items[age] = i;
      weights[age] = (float) Math.pow(decay, age);
      age++;
    }
    return new WeightedItems(items, weights);
  }

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
