package io.recsys.common.candidates;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.candidates.MergedCandidates.SourceList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MergedCandidatesTest {

  static final ItemCatalog CATALOG = new ItemCatalog(IntStream.range(0, 6)
      .mapToObj(i -> new ItemCatalog.Item("i" + i, "c", 1, 1f, 0L, "")).toList());

  static SourceList list(String source, String ids, float... scores) {
    return new SourceList(source, ids.split(","), scores);
  }

  @Test
  void oneCandidatePerItemInFirstProposedOrderWithEverySourcesScore() {
    MergedCandidates m = MergedCandidates.merge(CATALOG, List.of(
        list("two_tower", "i3,i1,i4", 0.9f, 0.5f, 0.2f),
        list("popular", "i1,i0", 0.8f, 0.7f),
        list("item2item", "i0,i9", 2f, 1f)));

    assertThat(IntStream.range(0, m.size()).mapToObj(m::itemId)).containsExactly("i3", "i1", "i4", "i0", "i9");
    assertThat(IntStream.range(0, m.size()).map(m::itemIndex)).containsExactly(3, 1, 4, 0, -1);
    assertThat(m.sources()).containsExactly("two_tower", "popular", "item2item");
    assertThat(m.column("two_tower")).containsExactly(0.9f, 0.5f, 0.2f, Float.NaN, Float.NaN);
    assertThat(m.column("popular")).containsExactly(Float.NaN, 0.8f, Float.NaN, 0.7f, Float.NaN);
    assertThat(m.column("item2item")).containsExactly(Float.NaN, Float.NaN, Float.NaN, 2f, 1f);
    assertThat(m.column("content")).isNull();
  }

  @Test
  void aSourceListingAnItemTwiceKeepsItsFirstScore() {
    MergedCandidates m = MergedCandidates.merge(CATALOG, List.of(
        list("two_tower", "i2,i5,i2", 0.9f, 0.5f, 0.1f)));
    assertThat(m.size()).isEqualTo(2);
    assertThat(m.column("two_tower")).containsExactly(0.9f, 0.5f);
  }

  @Test
  void ranksCountTheSourcesHigherScoresWhereverTheItemsStand() {
    // the merge order (i4 first, from popular) differs from two_tower's own order
    MergedCandidates m = MergedCandidates.merge(CATALOG, List.of(
        list("popular", "i4,i0", 0.8f, 0.7f),
        list("two_tower", "i1,i0,i2,i4", 0.9f, 0.6f, 0.6f, 0.1f)));
    // i4, i0, i1, i2: two_tower ranks 3, 1 (tied with i2), 0, 1
    assertThat(m.ranks("two_tower")).containsExactly(3, 1, 0, 1);
    assertThat(m.ranks("popular")).containsExactly(0, 1, -1, -1);
    assertThat(m.ranks("item2item")).containsExactly(-1, -1, -1, -1);
  }
}
