package io.recsys.retrieval.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.common.bundle.Popularity;
import io.recsys.common.index.ScoredItems;
import java.util.List;
import org.junit.jupiter.api.Test;

class PopularSourceTest {

  // item index -> count: item 3 is most popular, then 0, then 4, 1, 2
  final PopularSource popular = new PopularSource(new Popularity(new float[] {50, 5, 0, 99, 20}));
  final RetrievalQuery anyone = new RetrievalQuery("u", 0, List.of());

  @Test
  void returnsMostPopularFirstWithLogScaledScores() {
    ScoredItems top = popular.retrieve(anyone, 3, ExcludedItems.NONE);
    assertThat(top.items()).containsExactly(3, 0, 4);
    assertThat(top.scores()[0]).isEqualTo(1f);
    assertThat(top.scores()[1]).isCloseTo((float) (Math.log1p(50) / Math.log1p(99)), within(1e-6f));
  }

  @Test
  void skipsExcludedItemsAndStillFillsK() {
    ScoredItems top = popular.retrieve(anyone, 3, ExcludedItems.of(new int[] {3, 4, 3}));
    assertThat(top.items()).containsExactly(0, 1, 2);
  }

  @Test
  void returnsTheWholeCatalogWhenKIsLarger() {
    assertThat(popular.retrieve(anyone, 100, ExcludedItems.of(new int[] {1})).items())
        .containsExactly(3, 0, 4, 2);
  }
}
