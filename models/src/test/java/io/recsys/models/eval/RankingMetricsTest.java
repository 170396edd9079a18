package io.recsys.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every metric against values worked out by hand. */
class RankingMetricsTest {

  // relevant items 3 and 9 sit at ranks 2 and 5; item 7 is relevant but not retrieved
  private static final int[] RANKED = {5, 3, 8, 1, 9};
  private static final Set<Integer> RELEVANT = Set.of(3, 9, 7);

  @Test
  void recallIsTheShareOfRelevantItemsFound() {
    assertThat(RankingMetrics.recall(RANKED, RELEVANT, 1)).isEqualTo(0.0);
    assertThat(RankingMetrics.recall(RANKED, RELEVANT, 3)).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(RankingMetrics.recall(RANKED, RELEVANT, 5)).isCloseTo(2 / 3.0, within(1e-12));
  }

  @Test
  void precisionDividesByKEvenPastTheEndOfTheList() {
    assertThat(RankingMetrics.precision(RANKED, RELEVANT, 3)).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(RankingMetrics.precision(RANKED, RELEVANT, 5)).isCloseTo(0.4, within(1e-12));
    assertThat(RankingMetrics.precision(RANKED, RELEVANT, 10)).isCloseTo(0.2, within(1e-12));
  }

  @Test
  void hitRateIsWhetherAnythingRelevantIsInTheTopK() {
    assertThat(RankingMetrics.hitRate(RANKED, RELEVANT, 1)).isEqualTo(0.0);
    assertThat(RankingMetrics.hitRate(RANKED, RELEVANT, 2)).isEqualTo(1.0);
  }

  @Test
  void ndcgDiscountsByLog2OfRankPlusOne() {
    // DCG = 1/log2(3) + 1/log2(6) = 1.0177826; ideal (3 relevant) = 1 + 1/log2(3) + 1/log2(4) = 2.1309298
    assertThat(RankingMetrics.ndcg(RANKED, RELEVANT, 5)).isCloseTo(0.4776237035, within(1e-9));
    // one relevant item at rank 2: 1/log2(3)
    assertThat(RankingMetrics.ndcg(RANKED, Set.of(3), 10)).isCloseTo(0.6309297536, within(1e-9));
    assertThat(RankingMetrics.ndcg(RANKED, Set.of(5), 10)).isEqualTo(1.0);
    assertThat(RankingMetrics.ndcg(RANKED, Set.of(9), 4)).isEqualTo(0.0);
  }

  @Test
  void reciprocalRankOfTheFirstRelevantItem() {
    assertThat(RankingMetrics.reciprocalRank(RANKED, RELEVANT)).isEqualTo(0.5);
    assertThat(RankingMetrics.reciprocalRank(RANKED, Set.of(9))).isEqualTo(0.2);
    assertThat(RankingMetrics.reciprocalRank(RANKED, Set.of(42))).isEqualTo(0.0);
  }

  @Test
  void coverageCountsDistinctItemsOverAllTopKLists() {
    List<int[]> lists = List.of(new int[] {1, 2, 3}, new int[] {3, 4, 5});
    assertThat(RankingMetrics.coverage(lists, 2, 10)).isCloseTo(0.4, within(1e-12)); // {1,2,3,4}
    assertThat(RankingMetrics.coverage(lists, 3, 10)).isCloseTo(0.5, within(1e-12)); // {1,..,5}
  }

  @Test
  void intraListDiversityIsTheMeanPairwiseDistance() {
    int[] category = {1, 1, 2, 3};
    RankingMetrics.ItemDistance d = (a, b) -> category[a] != category[b] ? 1 : 0;
    // pairs (0,1)=0, (0,2)=1, (1,2)=1
    assertThat(RankingMetrics.intraListDiversity(new int[] {0, 1, 2, 3}, 3, d)).isCloseTo(2 / 3.0, within(1e-12));
    // all 6 pairs: only (0,1) is alike
    assertThat(RankingMetrics.intraListDiversity(new int[] {0, 1, 2, 3}, 4, d)).isCloseTo(5 / 6.0, within(1e-12));
    assertThat(RankingMetrics.intraListDiversity(new int[] {0}, 10, d)).isEqualTo(0.0);
  }

  @Test
  void noveltyIsTheMeanSelfInformationOfTheList() {
    // 3 users: item 0 had by 3, items 1 and 2 by 1, item 3 by none; p = (had + 1) / (users + 1)
    double[] info = RankingMetrics.selfInformation(
        List.of(Set.of(0, 1), Set.of(0), Set.of(0, 2)), 4);
    assertThat(info).containsExactly(new double[] {0, 1, 1, 2}, within(1e-12));
    assertThat(RankingMetrics.novelty(new int[] {3, 1, 0}, 2, info)).isCloseTo(1.5, within(1e-12));
  }
}
