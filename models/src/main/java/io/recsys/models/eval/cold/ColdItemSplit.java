package io.recsys.models.eval.cold;

import io.recsys.common.features.Interaction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The cold-item protocol's split: a seeded random share of the items that have interactions is
 * held out of training entirely (every interaction with them removed, so no model sees their ids),
 * and the held-out items are halved into validation items (for tuning knobs) and test items. Every
 * interaction with a held-out item becomes one {@link Event}: the user's warm interactions before it
 * are what a model sees, and the target is ranked among the held-out items of its half only.
 */
public final class ColdItemSplit {

  /**
   * One held-out interaction.
   *
   * @param user 0-based user
   * @param history the user's warm (training) interactions before it, oldest first; never empty
   * @param target the cold item interacted with
   * @param earlierCold the cold items this user had before it, ascending: already seen, not ranked
   * @param nowMs the interaction's time
   */
  public record Event(int user, List<Interaction> history, int target, int[] earlierCold, long nowMs) {}

  private record Pending(int target, int[] earlierCold, int warmBefore, long nowMs) {}

  private final double share;
  private final long seed;
  private final List<List<Interaction>> train;
  private final int[] validationItems;
  private final int[] testItems;
  private final List<Event> validation;
  private final List<Event> test;

  private ColdItemSplit(double share, long seed, List<List<Interaction>> train, int[] validationItems,
                        int[] testItems, List<Event> validation, List<Event> test) {
    this.share = share;
    this.seed = seed;
    this.train = train;
    this.validationItems = validationItems;
    this.testItems = testItems;
    this.validation = validation;
    this.test = test;
  }

  /**
   * @param histories per user, oldest first (ties in file order)
   * @param items catalog size
   * @param share of the items with at least one interaction to hold out, in (0, 1)
   */
  public static ColdItemSplit of(List<List<Interaction>> histories, int items, double share, long seed) {
    if (!(share > 0 && share < 1)) {
      throw new IllegalArgumentException("the cold share must lie in (0, 1), got " + share);
    }
    boolean[] used = new boolean[items];
    for (List<Interaction> h : histories) {
      for (Interaction e : h) {
        used[e.itemIndex()] = true;
      }
    }
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      if (used[i]) {
        candidates.add(i);
      }
    }
    Collections.shuffle(candidates, new Random(seed));
    int cold = Math.max(2, (int) Math.round(share * candidates.size()));
    if (cold > candidates.size()) {
      throw new IllegalArgumentException("only " + candidates.size() + " items have interactions: too few to hold "
          + "out a validation and a test half");
    }
    // 0 = warm, 1 = validation, 2 = test: alternating over the shuffled items halves them at random
    byte[] half = new byte[items];
    for (int r = 0; r < cold; r++) {
      half[candidates.get(r)] = (byte) (1 + r % 2);
    }
    List<List<Interaction>> train = new ArrayList<>(histories.size());
    List<Event> validation = new ArrayList<>();
    List<Event> test = new ArrayList<>();
    for (int u = 0; u < histories.size(); u++) {
      List<Interaction> warm = new ArrayList<>();
      List<Integer> earlierCold = new ArrayList<>();
      List<Pending> pending = new ArrayList<>();
      for (Interaction e : histories.get(u)) {
        int item = e.itemIndex();
        if (half[item] == 0) {
          warm.add(e);
          continue;
        }
        if (!warm.isEmpty()) {
          pending.add(new Pending(item, earlierCold.stream().mapToInt(Integer::intValue).sorted().distinct().toArray(),
              warm.size(),
              e.timestampMs()));
        }
        earlierCold.add(item);
      }
      // an event's history is a view of the complete warm list, so it is built once that list is
      List<Interaction> fixed = Collections.unmodifiableList(warm);
      for (Pending p : pending) {
        (half[p.target()] == 1 ? validation : test).add(
            new Event(u, fixed.subList(0, p.warmBefore()), p.target(), p.earlierCold(), p.nowMs()));
      }
      train.add(fixed);
    }
    return new ColdItemSplit(share, seed, train, itemsOf(half, (byte) 1), itemsOf(half, (byte) 2),
        validation, test);
  }

  private static int[] itemsOf(byte[] half, byte which) {
    int[] out = new int[half.length];
    int n = 0;
    for (int i = 0; i < half.length; i++) {
      if (half[i] == which) {
        out[n++] = i;
      }
    }
    return Arrays.copyOf(out, n);
  }

  public double share() {
    return share;
  }

  public long seed() {
    return seed;
  }

  /** Every user's warm interactions: what the models are trained on. */
  public List<List<Interaction>> train() {
    return train;
  }

  /** The held-out items of the validation half, ascending. */
  public int[] validationItems() {
    return validationItems.clone();
  }

  /** The held-out items of the test half, ascending. */
  public int[] testItems() {
    return testItems.clone();
  }

  /** Interactions with the validation half's items, by users with a warm history before them. */
  public List<Event> validation() {
    return validation;
  }

  /** Interactions with the test half's items, by users with a warm history before them. */
  public List<Event> test() {
    return test;
  }
}
