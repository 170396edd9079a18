package io.recsys.models.data.synthetic;

/**
 * Size and shape of a generated data set.
 *
 * @param coldItems items created after the last logged event: no interactions, found only by content
 */
public record SyntheticConfig(int users, int items, int categories, int coldItems,
                              double meanSessionsPerUser, double meanEventsPerSession, long seed) {

  /** The quickstart's default data: big enough to be real, small enough to train in a minute on 2 cores. */
  public static SyntheticConfig defaults() {
    return new SyntheticConfig(2000, 3000, 20, 150, 6, 7, 42);
  }

  /** A small set for tests: trains in seconds. */
  public static SyntheticConfig small() {
    return new SyntheticConfig(400, 600, 12, 30, 5, 6, 7);
  }
}
