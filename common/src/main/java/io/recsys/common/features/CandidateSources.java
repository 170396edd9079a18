package io.recsys.common.features;

import java.util.List;

/** Names of the candidate sources; their position is the bit they set in the ranker's source mask. */
public final class CandidateSources {

  public static final String TWO_TOWER = "two_tower";
  public static final String POPULAR = "popular";
  public static final String ITEM2ITEM = "item2item";
  /** The sequence model's nearest items; not in {@link #RANKER_KNOWN}: no ranker is trained on it yet. */
  public static final String SEQUENCE = "sequence";
  /** Items with few or no training interactions, found by content; not in the ranker's mask yet. */
  public static final String COLD_START = "cold_start";

  /** Sources the ranker knows of, in mask-bit order. Append only: a bundle's ranker relies on it. */
  public static final List<String> RANKER_KNOWN = List.of(TWO_TOWER, POPULAR, ITEM2ITEM, "content");

  /** Slots of the source-mask feature. */
  public static final int MASK_SLOTS = 1 << RANKER_KNOWN.size();

  private CandidateSources() {}

  public static int bit(String source) {
    int i = RANKER_KNOWN.indexOf(source);
    return i < 0 ? 0 : 1 << i;
  }
}
