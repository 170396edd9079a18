package io.recsys.gateway;

import io.recsys.common.candidates.CandidateQuotas;
import io.recsys.common.validation.EventValidator;
import java.util.List;

/**
 * The gateway's tunables, checked once at start so a bad value fails with a clear message.
 *
 * @param twoTowerK candidates asked of the two-tower source
 * @param popularK candidates asked of the popular source
 * @param item2itemK candidates asked of the item2item source (neighbours of the recent items); 0 leaves it out
 * @param sourceTimeoutMs deadline of each candidate source
 * @param rankingTimeoutMs deadline of the ranking call
 * @param maxPerCategoryFraction diversity cap: at most ceil(fraction * k) items per category
 * @param historySize events kept per user
 * @param historyMaxUsers users whose history is kept; the least recently used are dropped beyond it
 * @param experimentArms arms users are hashed into
 */
public record GatewaySettings(int twoTowerK, int popularK, int item2itemK, long sourceTimeoutMs, long rankingTimeoutMs,
                              double maxPerCategoryFraction, int historySize, int historyMaxUsers,
                              List<String> experimentArms) {

  /** The ranking server takes at most this many candidates per request. */
  public static final int MAX_CANDIDATES = 2000;

  public GatewaySettings {
    experimentArms = List.copyOf(experimentArms);
    require(twoTowerK >= 1 && popularK >= 1, "--two-tower-k and --popular-k must be at least 1");
    require(item2itemK >= 0, "--item2item-k must be at least 0 (0 turns the source off), got " + item2itemK);
    require(twoTowerK + popularK + item2itemK <= MAX_CANDIDATES, "--two-tower-k + --popular-k + --item2item-k is "
        + (twoTowerK + popularK + item2itemK) + "; the ranker takes at most " + MAX_CANDIDATES + " candidates");
    require(sourceTimeoutMs >= 1 && rankingTimeoutMs >= 1, "--source-timeout-ms and --ranking-timeout-ms must be at least 1");
    require(maxPerCategoryFraction > 0 && maxPerCategoryFraction <= 1,
        "--max-per-category-fraction must be in (0, 1] (1 turns the cap off), got " + maxPerCategoryFraction);
    // the merged history goes to retrieval and ranking, which take at most MAX_EVENTS events
    require(historySize >= 1 && historySize <= EventValidator.MAX_EVENTS,
        "--history-size must be in 1.." + EventValidator.MAX_EVENTS + ", got " + historySize);
    require(historyMaxUsers >= 1, "--history-max-users must be at least 1");
    require(!experimentArms.isEmpty(), "--experiment-arms needs at least one arm");
  }

  public static GatewaySettings defaults() {
    CandidateQuotas q = CandidateQuotas.SERVED;
    return new GatewaySettings(q.twoTower(), q.popular(), q.item2item(), 150, 250, 0.5, 200, 1_000_000,
        List.of("control", "treatment"));
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
