package io.recsys.models.eval.baselines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.api.v1.EventType;
import io.recsys.common.bundle.ItemNeighbours;
import io.recsys.common.features.Interaction;
import io.recsys.models.eval.Recommender;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BaselinesTest {

  private static List<Interaction> history(int... items) {
    List<Interaction> h = new ArrayList<>();
    for (int i = 0; i < items.length; i++) {
      h.add(new Interaction(items[i], EventType.VIEW, i, 0));
    }
    return h;
  }

  private static float[] scoresFor(Recommender r, int items, int... history) {
    float[][] out = new float[1][items];
    r.score(List.of(new Recommender.Query(0, history(history), 0L)), out);
    return out[0];
  }

  @Test
  void popularityScoresByTrainingCount() {
    Recommender pop = new PopularityRecommender(List.of(history(0, 1), history(1), history(1, 2)), 4);
    assertThat(scoresFor(pop, 4, 0)).containsExactly(1f, 3f, 1f, 0f);
  }

  @Test
  void itemKnnSumsCosineSimilaritiesOfTheHistory() {
    // users {0,1}, {0,1}, {0,2}: sim(0,1) = 2/sqrt(3*2), sim(0,2) = 1/sqrt(3*1), sim(1,2) = 0
    ItemKnnRecommender knn = ItemKnnRecommender.fit(List.of(history(0, 1), history(0, 1), history(0, 2)), 3, 10);
    float[] s = scoresFor(knn, 3, 0);
    assertThat(s[1]).isCloseTo(0.8164966f, within(1e-6f));
    assertThat(s[2]).isCloseTo(0.5773503f, within(1e-6f));
    assertThat(scoresFor(knn, 3, 1, 2)[0]).isCloseTo(0.8164966f + 0.5773503f, within(1e-6f));
    // one neighbour each: item 0 keeps only item 1
    assertThat(scoresFor(knn.withNeighbours(1), 3, 0)[2]).isZero();
  }

  @Test
  void recencyWeightedItemKnnWeighsEachHistoryItemByDecayToItsAge() {
    // the same similarities; with decay 0.5 the newest history item weighs 1, the one before 0.5
    ItemKnnRecommender knn = ItemKnnRecommender.fit(List.of(history(0, 1), history(0, 1), history(0, 2)), 3, 10)
        .withRecency(0.5);
    assertThat(knn.name()).isEqualTo("itemknn_recency");
    // history 1 then 2: 0.5 * sim(1,0) + 1 * sim(2,0)
    assertThat(scoresFor(knn, 3, 1, 2)[0]).isCloseTo(0.5f * 0.8164966f + 0.5773503f, within(1e-6f));
    // history 2 then 1: 1 * sim(1,0) + 0.5 * sim(2,0)
    assertThat(scoresFor(knn, 3, 2, 1)[0]).isCloseTo(0.8164966f + 0.5f * 0.5773503f, within(1e-6f));
    // a repeated item counts once, at its latest time: 1, 2, 1 weighs item 1 by 1 and item 2 by 0.5
    assertThat(scoresFor(knn, 3, 1, 2, 1)[0]).isCloseTo(0.8164966f + 0.5f * 0.5773503f, within(1e-6f));
    // decay 1 is the plain item-kNN
    assertThat(scoresFor(knn.withRecency(1), 3, 1, 2)[0]).isCloseTo(0.8164966f + 0.5773503f, within(1e-6f));
    // a neighbourhood size applies to the recency variant too: item 0 keeps only item 1
    assertThat(scoresFor(knn.withNeighbours(1), 3, 0)).containsExactly(0f, 0.8164966f, 0f);
  }

  @Test
  void recencyWeightedEaseWeighsTheRowsOfBByDecayToTheAge() {
    // users {0,1}, {0}, {1}, lambda 1: B[0][1] = B[1][0] = 1/3 (see the plain test below)
    EaseRecommender.Gram g = new EaseRecommender.Gram(List.of(history(0, 1), history(0), history(1)), 3);
    EaseRecommender ease = EaseRecommender.fit(g, 1.0, 1).withRecency(0.5);
    assertThat(ease.name()).isEqualTo("ease_recency");
    // history 0 then 1: item 1 is the newest (weight 1), item 0 weighs 0.5
    float[] s = scoresFor(ease, 3, 0, 1);
    assertThat(s[0]).isCloseTo(1 / 3f, within(1e-6f)); // 1 * B[1][0]
    assertThat(s[1]).isCloseTo(0.5f / 3f, within(1e-6f)); // 0.5 * B[0][1]
    assertThat(s[2]).isZero();
  }

  @Test
  void easeMatchesTheClosedFormOnATinyExample() {
    // users {0,1}, {0}, {1}; item 2 unseen. G + I = [[3,1],[1,3]], P = [[3,-1],[-1,3]] / 8,
    // B[0][1] = -P[0][1] / P[1][1] = 1/3
    EaseRecommender.Gram g = new EaseRecommender.Gram(List.of(history(0, 1), history(0), history(1)), 3);
    assertThat(g.size()).isEqualTo(2);
    EaseRecommender ease = EaseRecommender.fit(g, 1.0, 1);
    float[] s = scoresFor(ease, 3, 0);
    assertThat(s[0]).isZero(); // zero diagonal
    assertThat(s[1]).isCloseTo(1 / 3f, within(1e-6f));
    assertThat(s[2]).isZero();
  }

  @Test
  void aRestrictedGramFitsOnlyTheItemsMostUsersHad() {
    // users had item 0: 4, item 1: 3, item 2: 2, item 3: 1; keep at least 2 users, at most 2 items: 0 and 1.
    // G + I = [[5,3],[3,4]], P = [[4,-3],[-3,5]] / 11: B[0][1] = 3/5, B[1][0] = 3/4
    List<List<Interaction>> train = List.of(history(0, 1), history(0, 1), history(0, 1), history(0, 2), history(2, 3));
    EaseRecommender.Gram g = new EaseRecommender.Gram(train, 4, 2, 2);
    assertThat(g.size()).isEqualTo(2);
    EaseRecommender ease = EaseRecommender.fit(g, 1.0, 1);
    assertThat(scoresFor(ease, 4, 0)).containsExactly(new float[] {0f, 0.6f, 0f, 0f}, within(1e-6f));

    ItemNeighbours lists = ease.neighbourLists(10);
    assertThat(lists.items()).isEqualTo(4);
    assertThat(lists.neighbourIds(0)).containsExactly(1);
    assertThat(lists.neighbourWeights(0)[0]).isCloseTo(0.6f, within(1e-6f));
    assertThat(lists.neighbourIds(1)).containsExactly(0);
    assertThat(lists.neighbourWeights(1)[0]).isCloseTo(0.75f, within(1e-6f));
    assertThat(lists.neighbourIds(2)).isEmpty();
    assertThat(lists.neighbourIds(3)).isEmpty();
  }

  @Test
  void easeListsAreEachRowsLargestPositiveWeightsBestFirst() {
    Random rnd = new Random(3);
    int items = 20;
    List<List<Interaction>> train = new ArrayList<>();
    for (int u = 0; u < 80; u++) {
      train.add(history(rnd.ints(5, 0, items).toArray()));
    }
    EaseRecommender ease = EaseRecommender.fit(new EaseRecommender.Gram(train, items), 2.0, 1);
    ItemNeighbours lists = ease.neighbourLists(3);
    for (int i = 0; i < items; i++) {
      float[] row = scoresFor(ease, items, i); // a one-item history scores with that item's row of B
      int[] expected = java.util.stream.IntStream.range(0, items).filter(j -> row[j] > 0).boxed()
          .sorted((a, b) -> Float.compare(row[b], row[a])).limit(3).mapToInt(Integer::intValue).toArray();
      assertThat(lists.neighbourIds(i)).as("item %d", i).containsExactly(expected);
      for (int r = 0; r < expected.length; r++) {
        assertThat(lists.neighbourWeights(i)[r]).isEqualTo(row[expected[r]]);
      }
    }
  }

  @Test
  void spdInverseInvertsAHandExample() {
    // A = [[4,2],[2,3]], det 8, inverse [[3,-2],[-2,4]] / 8
    double[][] a = {{4, 2}, {2, 3}};
    SpdInverse.invert(a, 1);
    assertThat(a[0]).containsExactly(new double[] {3 / 8.0, -2 / 8.0}, within(1e-12));
    assertThat(a[1]).containsExactly(new double[] {-2 / 8.0, 4 / 8.0}, within(1e-12));
  }

  @Test
  void spdInverseTimesTheMatrixIsTheIdentityAcrossBlocks() {
    int n = 150; // more than two row blocks
    Random rnd = new Random(7);
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double v = rnd.nextDouble();
        a[i][j] = v;
        a[j][i] = v;
      }
      a[i][i] += n;
    }
    double[][] inv = new double[n][];
    for (int i = 0; i < n; i++) {
      inv[i] = a[i].clone();
    }
    SpdInverse.invert(inv, 2);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int k = 0; k < n; k++) {
          s += a[i][k] * inv[k][j];
        }
        assertThat(s).isCloseTo(i == j ? 1 : 0, within(1e-10));
      }
    }
  }
}
