package io.recsys.common.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.common.bundle.ItemCatalog;
import java.util.List;
import org.junit.jupiter.api.Test;

class ItemTextTest {

  @Test
  void wordsAreLowerCasedDeduplicatedAndCapped() {
    assertThat(ItemText.words("Heat (1995) | Action Crime | heat, a", 10))
        .containsExactly("heat", "1995", "action", "crime");
    assertThat(ItemText.words("one two three", 2)).containsExactly("one", "two");
  }

  @Test
  void tokensHashIntoBucketsAboveZeroWithMeanPoolingWeights() {
    ItemCatalog c = ItemCatalog.withCategoryIndices(List.of(
        new ItemCatalog.Item("a", "", 0, 0f, 0L, "Toy Story | Comedy"),
        new ItemCatalog.Item("b", "", 0, 0f, 0L, "")));
    ItemText.Tokens t = ItemText.of(c, 16, 4);
    assertThat(t.ids()[0]).hasSize(4);
    assertThat(t.ids()[0][0]).isBetween(1, 15);
    assertThat(t.ids()[0][3]).isZero();
    assertThat(t.weights()[0]).containsExactly(1 / 3f, 1 / 3f, 1 / 3f, 0f);
    assertThat(t.weights()[1]).containsOnly(0f);
    assertThat(t.ids()[0][0]).isEqualTo(1 + Math.floorMod("toy".hashCode(), 15));
  }
}
