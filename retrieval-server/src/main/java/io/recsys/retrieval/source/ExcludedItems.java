package io.recsys.retrieval.source;

import java.util.Arrays;
import java.util.function.IntPredicate;

/** Item indices a source must not return (the caller drops them anyway, e.g. already seen). */
public final class ExcludedItems implements IntPredicate {

  public static final ExcludedItems NONE = new ExcludedItems(new int[0]);

  private final int[] sorted;

  private ExcludedItems(int[] sorted) {
    this.sorted = sorted;
  }

  /** @param itemIndices any order, duplicates allowed */
  public static ExcludedItems of(int[] itemIndices) {
    return new ExcludedItems(Arrays.stream(itemIndices).sorted().distinct().toArray());
  }

  @Override
  public boolean test(int itemIndex) {
    return Arrays.binarySearch(sorted, itemIndex) >= 0;
  }

  /** Number of distinct excluded items: how many extra a source fetches to still return k. */
  public int size() {
    return sorted.length;
  }
}
