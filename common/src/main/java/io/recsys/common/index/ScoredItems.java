package io.recsys.common.index;

/** Item indices with their scores, best first. */
public record ScoredItems(int[] items, float[] scores) {

  public ScoredItems {
    if (items.length != scores.length) {
      throw new IllegalArgumentException(items.length + " items but " + scores.length + " scores");
    }
  }

  public int size() {
    return items.length;
  }
}
