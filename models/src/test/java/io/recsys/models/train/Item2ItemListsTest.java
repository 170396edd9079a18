package io.recsys.models.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.api.v1.EventType;
import io.recsys.common.bundle.ItemNeighbours;
import io.recsys.common.features.Interaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Item2ItemListsTest {

  static final int ITEMS = 60;

  /**
   * Users walk a ring of items (i, i + 1, i + 2, ...) after a few random items: the next item
   * follows the last one, so only a strong recency decay ranks it first.
   */
  static List<List<Interaction>> walks(int users, long seed) {
    Random rnd = new Random(seed);
    List<List<Interaction>> out = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      List<Interaction> h = new ArrayList<>();
      long t = 0;
      for (int r = 0; r < 4; r++) {
        h.add(new Interaction(rnd.nextInt(ITEMS), EventType.VIEW, t++, 0));
      }
      int start = rnd.nextInt(ITEMS);
      for (int s = 0; s < 6; s++) {
        h.add(new Interaction((start + s) % ITEMS, EventType.VIEW, t++, 0));
      }
      out.add(h);
    }
    return out;
  }

  @Test
  void choosesTheKnobsThatRankTheValidationItemsBestAndFitsListsWithThem() {
    List<List<Interaction>> histories = walks(400, 7);
    LeaveLastOut split = LeaveLastOut.of(histories);
    Item2ItemLists knobs = Item2ItemLists.tune(split.train(), split.heldOutItem(), ITEMS, line -> { });

    assertThat(knobs.neighbours()).isIn(25, 50, 100, 200);
    // the walk continues from the last item: the random items must weigh next to nothing
    assertThat(knobs.decay()).isLessThanOrEqualTo(0.4);

    ItemNeighbours lists = knobs.fit(histories, ITEMS);
    assertThat(lists.decay()).isEqualTo(knobs.decay());
    assertThat(lists.maxNeighbours()).isLessThanOrEqualTo(knobs.neighbours());
    // after ..., 10, 11 the best item2item candidate is 12
    List<Interaction> recent = List.of(new Interaction(10, EventType.VIEW, 0, 0), new Interaction(11, EventType.VIEW, 1, 0));
    assertThat(lists.top(recent, 1, i -> i == 10 || i == 11).items()).containsExactly(12);
  }

  @Test
  void easeKnobsFitListsFromEasesWeights() {
    List<List<Interaction>> histories = walks(400, 7);
    ItemNeighbours lists = new Item2ItemLists(100, 25, 0.4).fit(histories, ITEMS);
    assertThat(lists.decay()).isEqualTo(0.4);
    assertThat(lists.maxNeighbours()).isLessThanOrEqualTo(25);
    assertThat(new Item2ItemLists(100, 25, 0.4).describe()).isEqualTo("EASE lambda=100, neighbours=25, decay=0.4");
    // EASE learns the walk too: after ..., 10, 11 the best candidate is 12
    List<Interaction> recent = List.of(new Interaction(10, EventType.VIEW, 0, 0), new Interaction(11, EventType.VIEW, 1, 0));
    assertThat(lists.top(recent, 1, i -> i == 10 || i == 11).items()).containsExactly(12);
  }
}
