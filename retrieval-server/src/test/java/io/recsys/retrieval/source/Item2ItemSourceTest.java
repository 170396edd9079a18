package io.recsys.retrieval.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.api.v1.EventType;
import io.recsys.common.bundle.ItemNeighbours;
import io.recsys.common.bundle.UserTable;
import io.recsys.common.features.Interaction;
import io.recsys.common.index.ScoredItems;
import io.recsys.models.eval.Recommender;
import io.recsys.models.eval.baselines.ItemKnnRecommender;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class Item2ItemSourceTest {

  /** 0 -> (1: 0.5, 2: 0.25); 1 -> (2: 1.0, 0: 0.5); 2 -> (3: 0.9); 3 -> (0: 0.8). Decay 0.5. */
  final Item2ItemSource tiny = new Item2ItemSource(new ItemNeighbours(
      new int[][] {{1, 2}, {2, 0}, {3}, {0}},
      new float[][] {{0.5f, 0.25f}, {1f, 0.5f}, {0.9f}, {0.8f}}, 0.5));

  static RetrievalQuery history(int... oldestFirst) {
    return new RetrievalQuery("u", UserTable.UNKNOWN, IntStream.range(0, oldestFirst.length)
        .mapToObj(t -> new Interaction(oldestFirst[t], EventType.VIEW, 1000L * t, 0)).toList());
  }

  @Test
  void sumsDecayedNeighbourWeightsOverTheRecentItems() {
    // newest first: 1 (weight 1), 0 (0.5), 3 (0.25)
    ScoredItems top = tiny.retrieve(history(3, 0, 1), 10, ExcludedItems.NONE);
    // 2: 1 x 1.0 + 0.5 x 0.25 = 1.125; 0: 1 x 0.5 + 0.25 x 0.8 = 0.7; 1: 0.5 x 0.5 = 0.25
    assertThat(top.items()).containsExactly(2, 0, 1);
    assertThat(top.scores()).containsExactly(1.125f, 0.7f, 0.25f);
  }

  @Test
  void skipsExcludedItemsAndCutsAtK() {
    ScoredItems top = tiny.retrieve(history(3, 0, 1), 1, ExcludedItems.of(new int[] {2}));
    assertThat(top.items()).containsExactly(0);
    assertThat(top.scores()).containsExactly(0.7f);
  }

  @Test
  void noOrUnknownHistoryGetsNoCandidates() {
    assertThat(tiny.retrieve(history(), 10, ExcludedItems.NONE).size()).isZero();
    assertThat(tiny.retrieve(history(9), 10, ExcludedItems.NONE).size()).isZero();
  }

  /**
   * The served source over the exported lists ranks as the evaluation's itemknn_recency with the
   * same neighbours and decay: one scoring, so the offline numbers are the served source's.
   */
  @Test
  void ranksAsTheEvaluationsItemKnnRecency() {
    Random rnd = new Random(7);
    int items = 60;
    List<List<Interaction>> train = new ArrayList<>();
    for (int u = 0; u < 80; u++) {
      // users stay near one block of items, so neighbourhoods are structured, not noise
      int block = rnd.nextInt(6) * 10;
      List<Interaction> h = new ArrayList<>();
      for (int e = 0; e < 8; e++) {
        h.add(new Interaction(rnd.nextDouble() < 0.8 ? block + rnd.nextInt(10) : rnd.nextInt(items),
            EventType.VIEW, 1000L * e, 0));
      }
      train.add(h);
    }
    ItemKnnRecommender eval = ItemKnnRecommender.fit(train, items, 30).withNeighbours(8).withRecency(0.55);
    Item2ItemSource served = new Item2ItemSource(eval.neighbourLists());
    RetrievalQuery q = history(3, 14, 12, 3, 41, 15);

    float[][] scores = new float[1][items];
    eval.score(List.of(new Recommender.Query(0, q.history(), 0)), scores);
    List<Integer> expected = IntStream.range(0, items).filter(i -> scores[0][i] > 0).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> -scores[0][i]).thenComparing(i -> i))
        .limit(15).toList();
    ScoredItems top = served.retrieve(q, 15, ExcludedItems.NONE);

    assertThat(expected).hasSize(15);
    assertThat(IntStream.of(top.items()).boxed().toList()).isEqualTo(expected);
    for (int r = 0; r < top.size(); r++) {
      assertThat(top.scores()[r]).isEqualTo(scores[0][top.items()[r]]);
    }
  }
}
