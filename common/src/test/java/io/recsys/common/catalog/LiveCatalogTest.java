package io.recsys.common.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.api.v1.CatalogItem;
import io.recsys.api.v1.CatalogRecord;
import io.recsys.common.bundle.ItemCatalog;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveCatalogTest {

  static final ItemCatalog BUNDLE = ItemCatalog.withCategoryIndices(List.of(
      new ItemCatalog.Item("a", "books", 0, 5f, 1L, "a book"),
      new ItemCatalog.Item("b", "toys", 0, 6f, 2L, "b toy")));

  @Test
  void liveItemsFollowTheBundlesAndANewerUpsertOfABundleItemReplacesIt(@TempDir Path dir) throws Exception {
    LiveCatalog live = LiveCatalog.open(new FileCatalogLog(dir));
    live.upsert(List.of(item("n1", "toys"), item("a", "games")), 2_000L);
    // a bundle created between the two upserts of "b": it was trained on the first
    live.upsert(List.of(item("b", "books")), 1_000L);
    ItemCatalog view = BUNDLE.withLive(live, 1_500L);

    assertThat(view.size()).isEqualTo(5);
    assertThat(view.indexOf("n1")).isEqualTo(2);
    assertThat(view.get(2).categoryIndex()).isEqualTo(BUNDLE.categoryIndexOf("toys"));
    assertThat(view.indexOf("a")).as("upserted after the bundle: the live row").isEqualTo(3);
    assertThat(view.get(3).categoryIndex()).as("a category the bundle lacks").isZero();
    assertThat(view.isReplacedByLive(0)).isTrue();
    assertThat(view.indexOf("b")).as("the bundle already has this version: no duplicate").isEqualTo(1);
    assertThat(view.isReplacedByLive(1)).isFalse();

    live.delete(List.of("n1"), 3_000L);
    assertThat(live.isDeleted("n1")).isTrue();
    assertThat(view.indexOf("n1")).as("indices never shift").isEqualTo(2);
    live.upsert(List.of(item("n1", "toys")), 4_000L);
    assertThat(live.isDeleted("n1")).isFalse();
    assertThat(live.liveRecords()).extracting(r -> r.getUpsert().getItemId()).containsExactly("n1", "a", "b");
  }

  @Test
  void aReplayRestoresTheStateAndATornTailIsIgnoredThenCutOff(@TempDir Path dir) throws Exception {
    CatalogLog log = new FileCatalogLog(dir);
    LiveCatalog first = LiveCatalog.open(log);
    first.upsert(List.of(item("n1", "toys"), item("n2", "toys")), 1L);
    first.delete(List.of("n2"), 2L);
    try (FileChannel ch = FileChannel.open(dir.resolve(FileCatalogLog.FILE), StandardOpenOption.APPEND)) {
      ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 40, 1, 2, 3})); // a crash mid-record
    }

    LiveCatalog replayed = LiveCatalog.open(new FileCatalogLog(dir));
    assertThat(replayed.liveRecords()).extracting(r -> r.getUpsert().getItemId()).containsExactly("n1");
    assertThat(replayed.isDeleted("n2")).isTrue();
    assertThat(replayed.sequence()).isEqualTo(3);

    assertThat(new FileCatalogLog(dir).append(List.of(CatalogRecord.newBuilder().setDeleteItemId("n1").build()), 5L))
        .isEqualTo(4);
    replayed.catchUp();
    assertThat(replayed.isDeleted("n1")).isTrue();
  }

  static CatalogItem item(String id, String category) {
    return CatalogItem.newBuilder().setItemId(id).setCategory(category).setTitle("title of " + id).build();
  }
}
