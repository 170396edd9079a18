package io.recsys.common.features;

import java.util.List;

/**
 * Turns a user's interactions into the sequence model's input: the item indices of the last
 * {@code length} events that say something about an item ({@link HistoryEncoder#typeWeight} > 0),
 * oldest first and newest in the last slot, left-padded with {@link #PAD}. Training, evaluation
 * and the retrieval server all call this, so the model sees one encoding everywhere.
 */
public final class SequenceEncoder {

  /** An empty slot; the model masks it (its graph shifts indices by one so the pad is row 0). */
  public static final int PAD = -1;

  private final int length;

  public SequenceEncoder(int length) {
    if (length < 1) {
      throw new IllegalArgumentException("sequence length must be >= 1, got " + length);
    }
    this.length = length;
  }

  public int length() {
    return length;
  }

  /** Whether an event enters the sequence. */
  public static boolean counts(Interaction e) {
    return e.itemIndex() >= 0 && HistoryEncoder.typeWeight(e.type(), e.value()) > 0;
  }

  /**
   * Fills {@code items[off..off+length)} from the interactions (oldest first, as stored).
   *
   * @return number of slots used
   */
  public int encode(List<Interaction> history, int[] items, int off) {
    int slot = length - 1;
    for (int i = history.size() - 1; i >= 0 && slot >= 0; i--) {
      Interaction e = history.get(i);
      if (counts(e)) {
        items[off + slot--] = e.itemIndex();
      }
    }
    int used = length - 1 - slot;
    for (; slot >= 0; slot--) {
      items[off + slot] = PAD;
    }
    return used;
  }
}
