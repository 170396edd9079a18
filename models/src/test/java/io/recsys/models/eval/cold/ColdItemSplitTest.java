package io.recsys.models.eval.cold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.api.v1.EventType;
import io.recsys.common.features.Interaction;
import io.recsys.models.data.Dataset;
import io.recsys.models.data.synthetic.SyntheticConfig;
import io.recsys.models.data.synthetic.SyntheticGenerator;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ColdItemSplitTest {

  private static final Dataset DATA = new SyntheticGenerator(SyntheticConfig.small()).generate().dataset();

  @Test
  void heldOutItemsNeverReachTrainingAndEachInteractionWithThemIsOneEvent() {
    ColdItemSplit s = ColdItemSplit.of(DATA.histories(), DATA.items().size(), 0.2, 5);
    Set<Integer> cold = new HashSet<>();
    IntStream.concat(Arrays.stream(s.validationItems()), Arrays.stream(s.testItems())).forEach(cold::add);
    float[] counts = DATA.itemCounts();
    long used = IntStream.range(0, counts.length).filter(i -> counts[i] > 0).count();
    assertThat(cold).hasSize((int) Math.round(0.2 * used));
    assertThat(s.validationItems().length - s.testItems().length).isBetween(0, 1);
    assertThat(s.train()).allSatisfy(h -> assertThat(h).noneMatch(e -> cold.contains(e.itemIndex())));

    long heldOut = 0;
    long withoutWarmBefore = 0;
    for (List<Interaction> h : DATA.histories()) {
      boolean warmSeen = false;
      for (Interaction e : h) {
        if (cold.contains(e.itemIndex())) {
          heldOut++;
          withoutWarmBefore += warmSeen ? 0 : 1;
        } else {
          warmSeen = true;
        }
      }
    }
    assertThat(s.validation().size() + s.test().size()).isEqualTo(heldOut - withoutWarmBefore);
    assertThat(s.test()).allSatisfy(e -> {
      assertThat(Arrays.binarySearch(s.testItems(), e.target())).isNotNegative();
      assertThat(e.history()).isNotEmpty().allMatch(i -> !cold.contains(i.itemIndex()) && i.timestampMs() <= e.nowMs());
      // the history is the training list's prefix up to the event: the user's next warm item comes later
      List<Interaction> train = s.train().get(e.user());
      assertThat(train.subList(0, e.history().size())).isEqualTo(e.history());
      assertThat(Arrays.stream(e.earlierCold()).allMatch(cold::contains)).isTrue();
    });
    assertThat(s.validation()).allMatch(e -> Arrays.binarySearch(s.validationItems(), e.target()) >= 0);
  }

  @Test
  void theSameSeedDrawsTheSameItemsAndAnotherSeedOthers() {
    int n = DATA.items().size();
    assertThat(ColdItemSplit.of(DATA.histories(), n, 0.1, 1).testItems())
        .isEqualTo(ColdItemSplit.of(DATA.histories(), n, 0.1, 1).testItems())
        .isNotEqualTo(ColdItemSplit.of(DATA.histories(), n, 0.1, 2).testItems());
    assertThatThrownBy(() -> ColdItemSplit.of(DATA.histories(), n, 1.0, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(0, 1)");
  }

  @Test
  void anItemTheUserAlreadyHadIsNotRankedAndRandomOrderHasItsExpectedValue() {
    // user 0: warm item 0, then cold 7, then cold 5 (the event ranked here); candidates 5, 6, 7, 8
    List<Interaction> history = List.of(at(0, 1));
    ColdItemSplit.Event e = new ColdItemSplit.Event(0, history, 5, new int[] {7}, 3);
    int[] candidates = {5, 6, 7, 8};
    // 7 scores highest but the user already had it: 5 ranks second, after 8 only
    float[] scores = {0.5f, 0.1f, 0.9f, 0.6f};
    assertThat(ColdItemMetrics.rank(scores, candidates, e)).isEqualTo(2);
    // ties: the lower index first, for the target as for the others
    assertThat(ColdItemMetrics.rank(new float[] {0f, 0f, 0f, 0f}, candidates, e)).isEqualTo(1);

    Map<String, Double> random = ColdItemMetrics.random(List.of(e), candidates);
    assertThat(random.get("recall@10")).isEqualTo(1.0);
    double log2 = Math.log(2);
    assertThat(random.get("ndcg@10")).isCloseTo((1 + log2 / Math.log(3) + 0.5) / 3, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(random.get("mrr")).isCloseTo((1 + 0.5 + 1 / 3.0) / 3, org.assertj.core.data.Offset.offset(1e-9));
  }

  private static Interaction at(int item, long t) {
    return new Interaction(item, EventType.VIEW, t, 0);
  }
}
