package io.recsys.common.features;

import io.recsys.api.v1.EventType;
import java.util.List;

/**
 * Turns a user's recent interactions into the user tower's history input: the last {@code length}
 * item indices (newest first) with weights that sum to 1. Training and serving both call this, so
 * the model sees the same encoding in both.
 */
public final class HistoryEncoder {

  /** Older events count less: weight multiplies by this per position back in time. */
  static final float RECENCY_DECAY = 0.85f;

  private final int length;

  public HistoryEncoder(int length) {
    this.length = length;
  }

  public int length() {
    return length;
  }

  /** How much an event says about interest; 0 for events that say nothing about the item. */
  public static float typeWeight(EventType type, double value) {
    return switch (type) {
      case VIEW -> 1.0f;
      case CLICK -> 1.5f;
      case ADD_TO_CART -> 2.0f;
      case PURCHASE -> 3.0f;
      case WATCH -> 1.0f + (float) Math.min(Math.max(value, 0) / 600.0, 1.0);
      case RATING -> value > 0 ? (float) Math.min(value, 5.0) / 2.5f : 1.0f;
      default -> 0f;
    };
  }

  /**
   * Fills {@code items[off..off+length)} and {@code weights[off..off+length)} from the interactions
   * (oldest first, as stored). Unused slots get item 0 with weight 0.
   *
   * @return number of slots used
   */
  public int encode(List<Interaction> history, int[] items, float[] weights, int off) {
    int used = 0;
    float sum = 0f;
    float decay = 1f;
    for (int i = history.size() - 1; i >= 0 && used < length; i--) {
      Interaction e = history.get(i);
      float w = typeWeight(e.type(), e.value());
      if (w <= 0f || e.itemIndex() < 0) {
        continue;
      }
      items[off + used] = e.itemIndex();
      weights[off + used] = w * decay;
      sum += w * decay;
      decay *= RECENCY_DECAY;
      used++;
    }
    for (int s = 0; s < length; s++) {
      if (s < used) {
        weights[off + s] /= sum;
      } else {
        items[off + s] = 0;
        weights[off + s] = 0f;
      }
    }
    return used;
  }
}
