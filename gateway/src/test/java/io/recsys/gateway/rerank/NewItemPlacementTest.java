package io.recsys.gateway.rerank;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.api.v1.CatalogItem;
import io.recsys.api.v1.Context;
import io.recsys.api.v1.Filters;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.catalog.FileCatalogLog;
import io.recsys.common.catalog.LiveCatalog;
import io.recsys.common.features.CandidateSources;
import io.recsys.gateway.pipeline.Candidate;
import io.recsys.gateway.pipeline.RecommendQuery;
import io.recsys.gateway.pipeline.SourceScores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NewItemPlacementTest {

  /**
   * Known k0..k9 with two-tower and ranker scores 0.9 .. 0.0; new n0 (two-tower 0.52, near k4)
   * and n1 (0.1, below the median), both scored near zero by the ranker.
   */
  static List<String> rerank(Path dir, int k) throws Exception {
    List<ItemCatalog.Item> items = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      items.add(new ItemCatalog.Item("k" + i, "c", 0, 1f, 0, "k" + i));
    }
    LiveCatalog live = LiveCatalog.open(new FileCatalogLog(dir));
    live.upsert(List.of(CatalogItem.newBuilder().setItemId("n0").setTitle("n0").build(),
        CatalogItem.newBuilder().setItemId("n1").setTitle("n1").build()), 1L);
    ItemCatalog catalog = ItemCatalog.withCategoryIndices(items).withLive(live, 0L);
    List<Candidate> ranked = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ranked.add(candidate(catalog, "k" + i, 0.9f - 0.1f * i, 0.9 - 0.1 * i));
    }
    ranked.add(candidate(catalog, "n0", 0.52f, 0.01));
    ranked.add(candidate(catalog, "n1", 0.1f, 0.001));
    RecommendQuery q = RecommendQuery.of("u", List.of(), Context.getDefaultInstance(), Filters.getDefaultInstance(),
        k, false, 0);
    return new NewItemPlacement(catalog).rerank(q, ranked).stream().map(Candidate::itemId).toList();
  }

  static Candidate candidate(ItemCatalog catalog, String id, float twoTower, double rankerScore) {
    return new Candidate(id, catalog.indexOf(id), SourceScores.of(CandidateSources.TWO_TOWER, twoTower), rankerScore);
  }

  @Test
  void aNewItemTakesTheRankerScoreOfTheKnownItemRetrievalPutsNextToIt(@TempDir Path dir) throws Exception {
    List<String> all = rerank(dir, 12);
    assertThat(all.indexOf("n0")).isBetween(all.indexOf("k4"), all.indexOf("k5"));
    assertThat(all.indexOf("n1")).isGreaterThan(all.indexOf("k8"));
  }

  @Test
  void newItemsCloseToTheUserAreExploredInTheLastSlotsOfTheTopK(@TempDir Path dir) throws Exception {
    // k = 4: one slot (10%, at least one) goes to n0, whose retrieval score beats the median known one
    assertThat(rerank(dir, 4)).startsWith("k0", "k1", "k2", "n0", "k3");
  }
}
