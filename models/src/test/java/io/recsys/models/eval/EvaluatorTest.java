package io.recsys.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.api.v1.EventType;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.features.Interaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

  private static final int ITEMS = 6;

  private static List<Interaction> history(int... items) {
    List<Interaction> h = new ArrayList<>();
    for (int i = 0; i < items.length; i++) {
      h.add(new Interaction(items[i], EventType.VIEW, 1000L * i, 0));
    }
    return h;
  }

  /** A test double of the interface: every user gets scores 6, 5, 4, ... for items 0, 1, 2, ... */
  private static final Recommender DESCENDING = new Recommender() {
    @Override
    public String name() {
      return "descending";
    }

    @Override
    public void score(List<Query> queries, float[][] out) {
      for (int q = 0; q < queries.size(); q++) {
        for (int i = 0; i < ITEMS; i++) {
          out[q][i] = ITEMS - i;
        }
      }
    }
  };

  @Test
  void splitKeepsShortUsersInTrainingAndHoldsOutTheLastTwo() {
    EvalSplit s = EvalSplit.leaveLastOut(List.of(history(0, 1, 2, 3), history(4, 5)));
    assertThat(s.train().get(0)).extracting(Interaction::itemIndex).containsExactly(0, 1);
    assertThat(s.validation(0).itemIndex()).isEqualTo(2);
    assertThat(s.test(0).itemIndex()).isEqualTo(3);
    assertThat(s.trainAndValidation(0)).extracting(Interaction::itemIndex).containsExactly(0, 1, 2);
    assertThat(s.evaluated(1)).isFalse();
    assertThat(s.train().get(1)).hasSize(2);
    assertThat(s.evaluatedUsers()).isEqualTo(1);
    assertThat(s.validationItems()).containsExactly(2, -1);
  }

  @Test
  void ranksAllItemsExceptWhatTheUserHadAndScoresTheHeldOutItem() {
    // user 0: train {0, 1}, validation 4, test 3; user 1: train {2}, validation 0, test 5
    EvalSplit split = EvalSplit.leaveLastOut(List.of(history(0, 1, 4, 3), history(2, 0, 5)));
    Evaluator ev = new Evaluator(split, catalog(), new int[] {1, 2});

    // test: user 0 ranks [2, 3, 5] (0, 1, 4 excluded) -> test item at rank 2;
    //       user 1 ranks [1, 3, 4, 5] (2, 0 excluded) -> test item at rank 4
    Map<String, Double> test = ev.evaluate(DESCENDING, Evaluator.Stage.TEST, null);
    assertThat(test.get("recall@1")).isEqualTo(0.0);
    assertThat(test.get("recall@2")).isEqualTo(0.5);
    assertThat(test.get("precision@2")).isEqualTo(0.25);
    assertThat(test.get("ndcg@2")).isCloseTo(0.5 / (Math.log(3) / Math.log(2)), within(1e-12));
    assertThat(test.get("mrr")).isCloseTo((0.5 + 0.25) / 2, within(1e-12));
    assertThat(test.get("coverage@2")).isCloseTo(3 / 6.0, within(1e-12)); // {2, 3} and {1, 3}
    assertThat(test.get("users")).isEqualTo(2.0);

    // validation: user 0 ranks [2, 3, 4, 5] -> rank 3; user 1 ranks [0, 1, ...] -> rank 1
    Map<String, Double> val = ev.evaluate(DESCENDING, Evaluator.Stage.VALIDATION, null);
    assertThat(val.get("hit_rate@1")).isEqualTo(0.5);
    assertThat(val.get("mrr")).isCloseTo((1 / 3.0 + 1) / 2, within(1e-12));
  }

  private static ItemCatalog catalog() {
    List<ItemCatalog.Item> items = new ArrayList<>();
    for (int i = 0; i < ITEMS; i++) {
      items.add(new ItemCatalog.Item("i" + i, i % 2 == 0 ? "even" : "odd", 0, 0f, 0L, ""));
    }
    return ItemCatalog.withCategoryIndices(items);
  }
}
