package io.recsys.models.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.api.v1.CatalogItem;
import io.recsys.api.v1.CatalogRecord;
import io.recsys.api.v1.EventType;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.catalog.CatalogLog;
import io.recsys.common.catalog.FileCatalogLog;
import io.recsys.common.features.Interaction;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveCatalogMergeTest {

  static final ItemCatalog ITEMS = ItemCatalog.withCategoryIndices(List.of(
      new ItemCatalog.Item("a", "books", 0, 5f, 1L, "a book"),
      new ItemCatalog.Item("b", "books", 0, 6f, 2L, "b book"),
      new ItemCatalog.Item("c", "toys", 0, 7f, 3L, "c toy")));

  @Test
  void upsertsJoinOrReplaceDeletesLeaveWithTheirInteractions(@TempDir Path dir) throws Exception {
    Dataset data = new Dataset("d", ITEMS, List.of("u1"), List.of(List.of(
        new Interaction(0, EventType.CLICK, 10, 0), new Interaction(1, EventType.VIEW, 11, 0),
        new Interaction(2, EventType.PURCHASE, 12, 0))));
    CatalogLog log = new FileCatalogLog(dir);
    log.append(List.of(
        upsert("n1", "garden", "a new rake"),
        upsert("c", "games", "c toy, now a game"),
        CatalogRecord.newBuilder().setDeleteItemId("b").build(),
        upsert("n2", "toys", "gone again"),
        CatalogRecord.newBuilder().setDeleteItemId("n2").build()), 1000L);

    LiveCatalogMerge.Merged m = LiveCatalogMerge.merge(data, log);

    ItemCatalog merged = m.dataset().items();
    assertThat(merged.size()).isEqualTo(3);
    assertThat(List.of(merged.id(0), merged.id(1), merged.id(2))).containsExactly("a", "c", "n1");
    assertThat(merged.get(1).category()).isEqualTo("games");
    assertThat(merged.get(1).title()).isEqualTo("c toy, now a game");
    assertThat(merged.get(2).categoryIndex()).isPositive();
    assertThat(m.dataset().histories().get(0)).extracting(Interaction::itemIndex).containsExactly(0, 1);
    assertThat(m.dataset().histories().get(0).get(1).type()).isEqualTo(EventType.PURCHASE);
    assertThat(m).extracting(LiveCatalogMerge.Merged::added, LiveCatalogMerge.Merged::updated,
        LiveCatalogMerge.Merged::deleted, LiveCatalogMerge.Merged::droppedInteractions).containsExactly(1, 1, 1, 1L);
  }

  @Test
  void anAbsentLogChangesNothing(@TempDir Path dir) throws Exception {
    Dataset data = new Dataset("d", ITEMS, List.of(), List.of());
    LiveCatalogMerge.Merged m = LiveCatalogMerge.merge(data, new FileCatalogLog(dir.resolve("none")));
    assertThat(m.added() + m.updated() + m.deleted()).isZero();
    assertThat(m.dataset().items().size()).isEqualTo(3);
  }

  static CatalogRecord upsert(String id, String category, String title) {
    return CatalogRecord.newBuilder().setUpsert(CatalogItem.newBuilder().setItemId(id).setCategory(category)
        .setTitle(title).setPrice(1)).build();
  }
}
