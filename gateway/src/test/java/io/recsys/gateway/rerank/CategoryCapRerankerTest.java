package io.recsys.gateway.rerank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.api.v1.Context;
import io.recsys.api.v1.Filters;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.gateway.pipeline.Candidate;
import io.recsys.gateway.pipeline.RecommendQuery;
import io.recsys.gateway.pipeline.SourceScores;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CategoryCapRerankerTest {

  /** a0..a5 in category "a", b0, b1 in "b", c0 in "c". */
  private final ItemCatalog catalog;
  private final List<Candidate> ranked = new ArrayList<>();

  CategoryCapRerankerTest() {
    List<ItemCatalog.Item> items = new ArrayList<>();
    for (String id : List.of("a0", "a1", "a2", "a3", "a4", "a5", "b0", "b1", "c0")) {
      items.add(new ItemCatalog.Item(id, id.substring(0, 1), 0, 1f, 0, id));
    }
    catalog = ItemCatalog.withCategoryIndices(items);
    // score order: a0 a1 a2 b0 a3 a4 b1 a5 c0
    double score = 1.0;
    for (String id : List.of("a0", "a1", "a2", "b0", "a3", "a4", "b1", "a5", "c0")) {
      ranked.add(new Candidate(id, catalog.indexOf(id), SourceScores.NONE, score));
      score -= 0.1;
    }
  }

  private List<String> rerank(double fraction, int k) {
    RecommendQuery q = RecommendQuery.of("u", List.of(), Context.getDefaultInstance(),
        Filters.getDefaultInstance(), k, false, 0);
    return new CategoryCapReranker(catalog, fraction).rerank(q, ranked).stream().map(Candidate::itemId).toList();
  }

  @Test
  void atMostCeilFractionTimesKPerCategoryInTheFirstK() {
    // k = 4, cap = 2: a0 a1, then b0, b1 (a2..a5 over the cap)
    assertThat(rerank(0.5, 4)).startsWith("a0", "a1", "b0", "b1");
    // k = 5, cap = ceil(2.5) = 3
    assertThat(rerank(0.5, 5)).startsWith("a0", "a1", "a2", "b0", "b1");
  }

  @Test
  void fillsFromTheRestInScoreOrderWhenTooFewOtherItemsExist() {
    // k = 8, cap = 4: a0 a1 a2 b0 a3 b1 c0, then one more a (a4, the best left)
    assertThat(rerank(0.5, 8)).containsExactly("a0", "a1", "a2", "b0", "a3", "b1", "c0", "a4", "a5");
  }

  @Test
  void fractionOneChangesNothing() {
    assertThat(rerank(1.0, 5)).containsExactly("a0", "a1", "a2", "b0", "a3", "a4", "b1", "a5", "c0");
  }

  @Test
  void rejectsFractionsOutsideZeroToOne() {
    assertThatThrownBy(() -> new CategoryCapReranker(catalog, 0)).hasMessageContaining("(0, 1]");
    assertThatThrownBy(() -> new CategoryCapReranker(catalog, 1.5)).hasMessageContaining("(0, 1]");
  }
}
