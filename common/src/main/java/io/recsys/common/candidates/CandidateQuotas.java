package io.recsys.common.candidates;

/**
 * How many candidates each source adds to one request. The gateway asks its sources for these by
 * default and the ranker's training draws its candidates with the same quotas (recorded in the
 * bundle's manifest), so the ranker learns on the mix of candidates it will be served.
 *
 * @param item2item 0 leaves the source out
 */
public record CandidateQuotas(int twoTower, int popular, int item2item) {

  public static final int SERVED_TWO_TOWER = 200;
  public static final int SERVED_POPULAR = 100;
  public static final int SERVED_ITEM2ITEM = 100;

  /** The served defaults. */
  public static final CandidateQuotas SERVED = new CandidateQuotas(SERVED_TWO_TOWER, SERVED_POPULAR, SERVED_ITEM2ITEM);

  public CandidateQuotas {
    if (twoTower < 1 || popular < 1 || item2item < 0) {
      throw new IllegalArgumentException("candidate quotas must be two_tower >= 1, popular >= 1, item2item >= 0; got "
          + twoTower + ", " + popular + ", " + item2item);
    }
  }

  public int total() {
    return twoTower + popular + item2item;
  }
}
