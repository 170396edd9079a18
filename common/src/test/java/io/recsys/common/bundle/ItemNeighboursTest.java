package io.recsys.common.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.api.v1.EventType;
import io.recsys.common.features.Interaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ItemNeighboursTest {

  /** 0 -> (1: 0.5, 2: 0.25); 1 -> (2: 1.0, 0: 0.5); 2 -> (); 3 -> (0: 0.8). */
  static final ItemNeighbours TINY = new ItemNeighbours(
      new int[][] {{1, 2}, {2, 0}, {}, {0}},
      new float[][] {{0.5f, 0.25f}, {1f, 0.5f}, {}, {0.8f}}, 0.5);

  static List<Interaction> history(int... oldestFirst) {
    return java.util.stream.IntStream.range(0, oldestFirst.length)
        .mapToObj(t -> new Interaction(oldestFirst[t], EventType.VIEW, 1000L * t, 0)).toList();
  }

  static Map<Integer, Float> scores(ItemNeighbours n, List<Interaction> history, int perItem) {
    Map<Integer, Float> s = new TreeMap<>();
    n.accumulate(history, perItem, (item, score) -> s.merge(item, score, Float::sum));
    return s;
  }

  @Test
  void newestItemWeighsOneAndOlderOnesDecay() {
    // newest first: 1 (age 0, weight 1), 0 (age 1, weight 0.5), 3 (age 2, weight 0.25)
    assertThat(scores(TINY, history(3, 0, 1), 10)).isEqualTo(Map.of(
        2, 1f * 1f + 0.5f * 0.25f,
        0, 1f * 0.5f + 0.25f * 0.8f,
        1, 0.5f * 0.5f));
  }

  @Test
  void aRepeatedItemCountsOnceAtItsNewestPosition() {
    // 0 1 0: newest first is 0 (age 0), 1 (age 1)
    assertThat(scores(TINY, history(0, 1, 0), 10)).isEqualTo(Map.of(
        1, 0.5f, 2, 0.25f + 0.5f * 1f, 0, 0.5f * 0.5f));
  }

  @Test
  void topTakesTheBestScoresTheFilterLetsThroughTiesByIndex() {
    // history 3 0 1 scores 2: 1.125, 0: 0.7, 1: 0.25 (see above); 0 excluded
    var top = TINY.top(history(3, 0, 1), 2, i -> i == 0);
    assertThat(top.items()).containsExactly(2, 1);
    assertThat(top.scores()).containsExactly(1f + 0.5f * 0.25f, 0.5f * 0.5f);
    // equal scores: the lower item index first
    var tie = new ItemNeighbours(new int[][] {{2}, {3}, {}, {}}, new float[][] {{1f}, {1f}, {}, {}}, 1.0)
        .top(history(0, 1), 5, i -> false);
    assertThat(tie.items()).containsExactly(2, 3);
  }

  @Test
  void perItemCutsEachList() {
    assertThat(scores(TINY, history(0), 1)).isEqualTo(Map.of(1, 0.5f));
  }

  @Test
  void noHistoryAndItemsWithoutAListAddNothing() {
    assertThat(scores(TINY, List.of(), 10)).isEmpty();
    // 7: an item newer than the lists (a live catalog item)
    assertThat(scores(TINY, history(7, 2), 10)).isEmpty();
  }

  @Test
  void writesAndReadsBackTheSameListsAndDecay(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("stats/item2item.bin");
    TINY.write(file);
    ItemNeighbours back = ItemNeighbours.read(file, 4);
    assertThat(back.decay()).isEqualTo(0.5);
    assertThat(back.maxNeighbours()).isEqualTo(2);
    for (int i = 0; i < 4; i++) {
      assertThat(back.neighbourIds(i)).isEqualTo(TINY.neighbourIds(i));
      assertThat(back.neighbourWeights(i)).isEqualTo(TINY.neighbourWeights(i));
    }
  }

  @Test
  void refusesListsOfAnotherCatalogAndOtherFiles(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("item2item.bin");
    TINY.write(file);
    assertThatThrownBy(() -> ItemNeighbours.read(file, 5)).isInstanceOf(IOException.class)
        .hasMessageContaining("neighbour lists of 4 items but the catalog has 5");
    Path other = Files.writeString(dir.resolve("popularity.tsv"), "item_index\tcount\n0\t3\n");
    assertThatThrownBy(() -> ItemNeighbours.read(other, 4)).isInstanceOf(IOException.class)
        .hasMessageContaining("is not an item2item neighbour file");
    Path cut = dir.resolve("cut.bin");
    Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(file), 30));
    assertThatThrownBy(() -> ItemNeighbours.read(cut, 4)).isInstanceOf(IOException.class)
        .hasMessageContaining("is truncated");
  }

  @Test
  void refusesADecayOutsideZeroToOne() {
    assertThatThrownBy(() -> TINY.withDecay(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("decay must be in (0, 1]");
  }

  @Test
  void rankIsWhereTopPutsTheItem() {
    java.util.Random rnd = new java.util.Random(5);
    int items = 30;
    int[][] ids = new int[items][];
    float[][] weights = new float[items][];
    for (int i = 0; i < items; i++) {
      ids[i] = rnd.ints(0, items).distinct().limit(8).toArray();
      weights[i] = new float[ids[i].length];
      for (int r = 0; r < ids[i].length; r++) {
        weights[i][r] = rnd.nextInt(4) + 1; // few distinct values, so ties happen
      }
    }
    ItemNeighbours lists = new ItemNeighbours(ids, weights, 0.5);
    float[] scratch = new float[items];
    for (int t = 0; t < 50; t++) {
      List<Interaction> h = history(rnd.ints(4, 0, items).toArray());
      java.util.function.IntPredicate exclude = i -> i % 7 == 0;
      List<Integer> top = java.util.Arrays.stream(lists.top(h, items, exclude).items()).boxed().toList();
      for (int item = 0; item < items; item++) {
        assertThat(lists.rank(h, item, exclude, scratch)).as("item %d", item).isEqualTo(top.indexOf(item));
      }
      assertThat(scratch).containsOnly(0f);
    }
  }
}
