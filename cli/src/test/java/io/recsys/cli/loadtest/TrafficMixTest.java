package io.recsys.cli.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.recsys.api.v1.Event;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.common.bundle.BundleLayout;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.UserTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrafficMixTest {

  @TempDir
  Path root;

  @Test
  void readsKnownUsersItemsAndCategoriesFromTheBundle() throws Exception {
    TrafficIds ids = TrafficIds.fromBundle(writeBundle());
    assertThat(ids.users()).containsExactly("alice", "bob");
    assertThat(ids.items()).containsExactly("x1", "x2", "x3");
    assertThat(ids.categories()).containsExactlyInAnyOrder("books", "tea");
    assertThat(ids.source()).contains("v1");
  }

  @Test
  void drawsEachKindOfCallAtItsShare() throws Exception {
    TrafficIds ids = TrafficIds.fromBundle(writeBundle());
    TrafficMix mix = new TrafficMix(ids, 0.1, 0.2, 0.3, 0.05, List.of(10, 50));
    SplittableRandom rnd = new SplittableRandom(3);
    int n = 20_000;
    int feedback = 0;
    int unknown = 0;
    int withEvents = 0;
    int filtered = 0;
    int recommends = 0;
    Set<Integer> ks = new HashSet<>();
    for (int i = 0; i < n; i++) {
      switch (mix.next(rnd)) {
        case TrafficMix.Call.Feedback f -> {
          feedback++;
          assertThat(ids.users()).contains(f.request().getUserId());
          assertThat(f.request().getEventsList()).isNotEmpty().extracting(Event::getItemId).isSubsetOf(ids.items());
        }
        case TrafficMix.Call.Recommend r -> {
          RecommendRequest q = r.request();
          recommends++;
          unknown += ids.users().contains(q.getUserId()) ? 0 : 1;
          withEvents += q.getRecentEventsCount() > 0 ? 1 : 0;
          assertThat(q.getRecentEventsList()).extracting(Event::getItemId).isSubsetOf(ids.items());
          if (q.hasFilters()) {
            filtered++;
            assertThat(q.getFilters().getIncludeCategoriesList()).hasSize(1).isSubsetOf(ids.categories());
          }
          ks.add(q.getK());
        }
      }
    }
    assertThat(feedback / (double) n).isCloseTo(0.05, within(0.01));
    assertThat(unknown / (double) recommends).isCloseTo(0.1, within(0.015));
    assertThat(withEvents / (double) recommends).isCloseTo(0.2, within(0.015));
    assertThat(filtered / (double) recommends).isCloseTo(0.3, within(0.015));
    assertThat(ks).containsExactlyInAnyOrder(10, 50);
  }

  @Test
  void withoutABundleUsesTheBuiltInIdsAndNoFilters() {
    TrafficIds ids = TrafficIds.synthetic(3, 2);
    assertThat(ids.users()).containsExactly("u00001", "u00002", "u00003");
    assertThat(ids.items()).containsExactly("i00001", "i00002");
    TrafficMix mix = new TrafficMix(ids, 0, 0, 1.0, 0, List.of(10));
    assertThat(((TrafficMix.Call.Recommend) mix.next(new SplittableRandom(1))).request().hasFilters()).isFalse();
  }

  @Test
  void rejectsSharesAndKsOutOfRange() {
    TrafficIds ids = TrafficIds.synthetic(1, 1);
    assertThatThrownBy(() -> new TrafficMix(ids, 1.5, 0, 0, 0, List.of(10))).hasMessageContaining("0..1");
    assertThatThrownBy(() -> new TrafficMix(ids, 0, 0, 0, 0, List.of(0))).hasMessageContaining("1..200");
  }

  private Path writeBundle() throws Exception {
    BundleLayout layout = new BundleLayout(root.resolve("v1"));
    Files.createDirectories(layout.dir());
    Files.writeString(layout.manifest(), "{}");
    ItemCatalog.withCategoryIndices(List.of(
        new ItemCatalog.Item("x1", "tea", 0, 1f, 0, "green tea"),
        new ItemCatalog.Item("x2", "books", 0, 2f, 0, "a book"),
        new ItemCatalog.Item("x3", "tea", 0, 3f, 0, "black tea"))).write(layout.items());
    new UserTable(List.of("alice", "bob")).write(layout.users());
    return root;
  }
}
