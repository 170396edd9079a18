package io.recsys.retrieval.source;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Item indices a source must not return: those the caller drops anyway (e.g. already seen), and,
 * when the request names categories, every item outside them ({@link #onlyAmong}), which vector
 * sources push into the index search so that k of them come back.
 */
public final class ExcludedItems implements IntPredicate {

  public static final ExcludedItems NONE = new ExcludedItems(new int[0]);

  private final int[] sorted;
  /** Items hidden for everyone (deleted or replaced in the live catalog), and at most how many. */
  private final IntPredicate hidden;
  private final int hiddenCount;
  /** The bundle items a request allows, ascending, and which items at all; null: every item. */
  private final int[] onlyBundleItems;
  private final IntPredicate allowed;

  private ExcludedItems(int[] sorted, IntPredicate hidden, int hiddenCount, int[] onlyBundleItems,
                        IntPredicate allowed) {
    this.sorted = sorted;
    this.hidden = hidden;
    this.hiddenCount = hiddenCount;
    this.onlyBundleItems = onlyBundleItems;
    this.allowed = allowed;
  }

  private ExcludedItems(int[] sorted) {
    this(sorted, item -> false, 0, null, item -> true);
  }

  /** These and the items {@code alsoHidden} rejects, of which there are at most {@code count}. */
  public ExcludedItems and(IntPredicate alsoHidden, int count) {
    return new ExcludedItems(sorted, hidden.or(alsoHidden), hiddenCount + count, onlyBundleItems, allowed);
  }

  /**
   * These, and every item that {@code allowed} rejects.
   *
   * @param bundleItems the bundle items {@code allowed} accepts, ascending (what an index search is
   *     restricted to; items beyond the bundle, the live catalog's, are tested one by one)
   */
  public ExcludedItems onlyAmong(int[] bundleItems, IntPredicate allowed) {
    return new ExcludedItems(sorted, hidden, hiddenCount, bundleItems, allowed);
  }

  /** The bundle items a request allows, ascending; null when it allows every item. */
  public int[] onlyBundleItems() {
    return onlyBundleItems;
  }

  /** @param itemIndices any order, duplicates allowed */
  public static ExcludedItems of(int[] itemIndices) {
    return new ExcludedItems(Arrays.stream(itemIndices).sorted().distinct().toArray());
  }

  @Override
  public boolean test(int itemIndex) {
    return Arrays.binarySearch(sorted, itemIndex) >= 0 || hidden.test(itemIndex) || !allowed.test(itemIndex);
  }

  /**
   * Number of excluded items (at most): how many extra a source fetches to still return k. Items
   * outside {@link #onlyBundleItems} are not counted: the search is restricted to those.
   */
  public int size() {
    return sorted.length + hiddenCount;
  }
}
