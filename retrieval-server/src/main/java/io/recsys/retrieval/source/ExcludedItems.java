package io.recsys.retrieval.source;

import java.util.Arrays;
import java.util.function.IntPredicate;

/** Item indices a source must not return (the caller drops them anyway, e.g. already seen). */
public final class ExcludedItems implements IntPredicate {

  public static final ExcludedItems NONE = new ExcludedItems(new int[0]);

  private final int[] sorted;
  /** Items hidden for everyone (deleted or replaced in the live catalog), and at most how many. */
  private final IntPredicate hidden;
  private final int hiddenCount;

  private ExcludedItems(int[] sorted, IntPredicate hidden, int hiddenCount) {
    this.sorted = sorted;
    this.hidden = hidden;
    this.hiddenCount = hiddenCount;
  }

  private ExcludedItems(int[] sorted) {
    this(sorted, item -> false, 0);
  }

  /** These and the items {@code alsoHidden} rejects, of which there are at most {@code count}. */
  public ExcludedItems and(IntPredicate alsoHidden, int count) {
    return new ExcludedItems(sorted, hidden.or(alsoHidden), hiddenCount + count);
  }

  /** @param itemIndices any order, duplicates allowed */
  public static ExcludedItems of(int[] itemIndices) {
    return new ExcludedItems(Arrays.stream(itemIndices).sorted().distinct().toArray());
  }

  @Override
  public boolean test(int itemIndex) {
    return Arrays.binarySearch(sorted, itemIndex) >= 0 || hidden.test(itemIndex);
  }

  /** Number of excluded items (at most): how many extra a source fetches to still return k. */
  public int size() {
    return sorted.length + hiddenCount;
  }
}
