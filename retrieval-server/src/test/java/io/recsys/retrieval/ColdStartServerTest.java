package io.recsys.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.api.v1.Candidate;
import io.recsys.api.v1.CatalogItem;
import io.recsys.api.v1.CatalogRecord;
import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.RetrieveRequest;
import io.recsys.api.v1.RetrieveResponse;
import io.recsys.common.bundle.BundleLayout;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.Popularity;
import io.recsys.common.catalog.FileCatalogLog;
import io.recsys.models.testing.TestBundles;
import io.recsys.retrieval.testing.RunningRetrieval;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cold_start source on a real port over the small trained bundle, whose 30 newest items have no
 * interactions (the synthetic catalog's cold items, named "ADJECTIVE Category item N").
 */
class ColdStartServerTest {

  static final int RECENT = 5;

  static TestBundles.Fixture fixture;
  static ItemCatalog items;
  static Popularity popularity;
  /** Serves only the items no one interacted with. */
  static RunningRetrieval neverSeen;
  /** The default threshold: items with at most 5 interactions. */
  static RunningRetrieval fewSeen;

  /** An empty catalog log: the default one beside the bundle root may hold other tests' deletes. */
  @TempDir
  static Path noLiveChanges;

  @BeforeAll
  static void start() throws IOException {
    fixture = TestBundles.small();
    items = fixture.dataset().items();
    popularity = Popularity.read(new BundleLayout(fixture.bundleDir()).popularity(), items.size());
    neverSeen = RunningRetrieval.start(fixture.bundleDir(), "--cold-max-interactions", "0",
        "--catalog-log", noLiveChanges.toString());
    fewSeen = RunningRetrieval.start(fixture.bundleDir(), "--catalog-log", noLiveChanges.toString());
  }

  @AfterAll
  static void stop() throws InterruptedException {
    neverSeen.close();
    fewSeen.close();
  }

  @Test
  void returnsOnlyItemsWithAtMostTheThresholdOfInteractions() {
    Set<String> zero = IntStream.range(0, items.size()).filter(i -> popularity.count(i) == 0)
        .mapToObj(items::id).collect(Collectors.toSet());
    assertThat(zero).hasSizeGreaterThanOrEqualTo(30);
    // asked for more than there are: exactly the never-seen items, each once
    List<String> all = ids(neverSeen.stub().retrieve(request("someone", 500).build()));
    assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(zero);

    List<String> few = ids(fewSeen.stub().retrieve(request("someone", 500).build()));
    assertThat(few).hasSizeGreaterThan(zero.size())
        .allMatch(id -> popularity.count(items.indexOf(id)) <= 5)
        .containsAll(zero);
    long fewInCatalog = IntStream.range(0, items.size()).filter(i -> popularity.count(i) <= 5).count();
    assertThat(few).hasSize((int) Math.min(500, fewInCatalog));
  }

  /**
   * Synthetic users stay in their categories, and an item's content is its category and title: a
   * history in one category must bring that category's cold items first. Each category has 2-3 of
   * the 30 never-seen items, so a source ignoring the history would put one there 1 time in 12.
   */
  @Test
  void aHistoryInOneCategoryRanksThatCategorysColdItemsFirst() {
    int[] ranked = popularity.ranked();
    List<String> categories = IntStream.range(0, items.size()).mapToObj(i -> items.get(i).category())
        .distinct().sorted().toList();
    long now = System.currentTimeMillis();
    int firstInCategory = 0;
    for (String category : categories) {
      List<Event> recent = new ArrayList<>();
      for (int r = 0; r < ranked.length && recent.size() < RECENT; r++) {
        if (items.get(ranked[r]).category().equals(category)) {
          recent.add(Event.newBuilder().setItemId(items.id(ranked[r])).setType(EventType.VIEW)
              .setTimestampMs(now - 60_000L * (RECENT - recent.size())).build());
        }
      }
      List<String> top = ids(neverSeen.stub().retrieve(request("new-user", 1).addAllRecentEvents(recent).build()));
      assertThat(top).hasSize(1);
      firstInCategory += items.get(items.indexOf(top.get(0))).category().equals(category) ? 1 : 0;
    }
    System.out.printf("cold_start: the first cold item is of the history's category for %d of %d categories%n",
        firstInCategory, categories.size());
    assertThat(firstInCategory).isGreaterThanOrEqualTo(categories.size() * 3 / 4);
  }

  @Test
  void excludedAndFilteredItemsAreNotReturned() {
    List<String> first = ids(neverSeen.stub().retrieve(request("someone", 5).build()));
    List<String> next = ids(neverSeen.stub().retrieve(request("someone", 5).addExcludeItemIds(first.get(0)).build()));
    assertThat(next).hasSize(5).doesNotContain(first.get(0)).containsAll(first.subList(1, 5));

    String category = items.get(items.indexOf(first.get(0))).category();
    List<String> inCategory = ids(neverSeen.stub().retrieve(request("someone", 50).addIncludeCategories(category)
        .build()));
    assertThat(inCategory).isNotEmpty().allMatch(id -> items.get(items.indexOf(id)).category().equals(category));
  }

  /** A live catalog item is cold by definition: served beside the bundle's, ranked by its content. */
  @Test
  void liveCatalogItemsAreServedBesideTheBundlesColdItems(@TempDir Path log) throws Exception {
    String category = items.get(popularity.ranked()[0]).category();
    try (FileCatalogLog catalog = new FileCatalogLog(log)) {
      catalog.append(List.of(CatalogRecord.newBuilder().setUpsert(CatalogItem.newBuilder().setItemId("live-new-1")
          .setTitle("Fresh " + category + " item 9001").setCategory(category).setPrice(5)).build()),
          System.currentTimeMillis());
    }
    try (RunningRetrieval withLive = RunningRetrieval.start(fixture.bundleDir(), "--cold-max-interactions", "0",
        "--catalog-log", log.toString())) {
      long neverSeenCount = IntStream.range(0, items.size()).filter(i -> popularity.count(i) == 0).count();
      assertThat(ids(withLive.stub().retrieve(request("someone", 500).build())))
          .contains("live-new-1").hasSize((int) neverSeenCount + 1);
      // a history in its category: it ranks with that category's cold items, ahead of the other categories'
      long now = System.currentTimeMillis();
      List<Event> recent = IntStream.of(popularity.ranked()).filter(i -> items.get(i).category().equals(category))
          .limit(RECENT).mapToObj(i -> Event.newBuilder().setItemId(items.id(i)).setType(EventType.VIEW)
              .setTimestampMs(now - 1000).build()).toList();
      long sameCategory = IntStream.range(0, items.size())
          .filter(i -> popularity.count(i) == 0 && items.get(i).category().equals(category)).count();
      assertThat(ids(withLive.stub().retrieve(request("new-user", (int) sameCategory + 1).addAllRecentEvents(recent)
          .build()))).contains("live-new-1");
    }
  }

  private static List<String> ids(RetrieveResponse r) {
    assertThat(r.getSource()).isEqualTo("cold_start");
    return r.getCandidatesList().stream().map(Candidate::getItemId).toList();
  }

  static RetrieveRequest.Builder request(String userId, int k) {
    return RetrieveRequest.newBuilder().setSource("cold_start").setUserId(userId).setK(k);
  }
}
