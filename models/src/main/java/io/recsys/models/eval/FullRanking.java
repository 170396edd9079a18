package io.recsys.models.eval;

import java.util.PriorityQueue;
import java.util.Set;

/**
 * Ranks all catalog items by score, excluding the items a user already had. Ties are broken by the
 * lower item index, the same way in the top list and in the rank of the target, so a model that
 * gives many items the same score gains nothing from where the target sits among them.
 */
final class FullRanking {

  private FullRanking() {}

  /** The best {@code n} items, best first, without the excluded ones. */
  static int[] top(float[] scores, Set<Integer> exclude, int n) {
    PriorityQueue<Integer> heap = new PriorityQueue<>(n + 1, (a, b) -> before(scores, a, b) ? 1 : -1);
    for (int i = 0; i < scores.length; i++) {
      if (exclude.contains(i)) {
        continue;
      }
      if (heap.size() < n) {
        heap.add(i);
      } else if (before(scores, i, heap.peek())) {
        heap.poll();
        heap.add(i);
      }
    }
    int[] out = new int[heap.size()];
    for (int r = out.length - 1; r >= 0; r--) {
      out[r] = heap.poll();
    }
    return out;
  }

  /** 1-based rank of the target among the non-excluded items; 0 when the target is excluded. */
  static long rankOf(float[] scores, Set<Integer> exclude, int target) {
    if (exclude.contains(target)) {
      return 0;
    }
    long rank = 1;
    for (int i = 0; i < scores.length; i++) {
      if (i != target && !exclude.contains(i) && before(scores, i, target)) {
        rank++;
      }
    }
    return rank;
  }

  /** Whether item a ranks above item b. NaN scores rank last. */
  static boolean before(float[] s, int a, int b) {
    float x = Float.isNaN(s[a]) ? Float.NEGATIVE_INFINITY : s[a];
    float y = Float.isNaN(s[b]) ? Float.NEGATIVE_INFINITY : s[b];
    return x > y || (x == y && a < b);
  }
}
