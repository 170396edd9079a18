package io.recsys.models.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class FullRankingTest {

  private static final float[] SCORES = {0.5f, 0.9f, 0.5f, 0.1f, 0.9f, Float.NaN};

  @Test
  void topSkipsExcludedItemsAndBreaksTiesByLowerIndex() {
    assertThat(FullRanking.top(SCORES, Set.of(), 4)).containsExactly(1, 4, 0, 2);
    assertThat(FullRanking.top(SCORES, Set.of(1, 0), 3)).containsExactly(4, 2, 3);
    assertThat(FullRanking.top(SCORES, Set.of(), 10)).containsExactly(1, 4, 0, 2, 3, 5);
  }

  @Test
  void rankOfTheTargetAgreesWithTheTopList() {
    assertThat(FullRanking.rankOf(SCORES, Set.of(), 2)).isEqualTo(4);
    assertThat(FullRanking.rankOf(SCORES, Set.of(1), 2)).isEqualTo(3);
    assertThat(FullRanking.rankOf(SCORES, Set.of(), 5)).isEqualTo(6);
    assertThat(FullRanking.rankOf(SCORES, Set.of(2), 2)).isZero();
  }
}
