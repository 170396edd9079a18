package io.recsys.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.api.v1.Candidate;
import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.ListSourcesRequest;
import io.recsys.api.v1.RetrieveRequest;
import io.recsys.api.v1.RetrieveResponse;
import io.recsys.common.bundle.BundleLayout;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.Popularity;
import io.recsys.common.bundle.UserTable;
import io.recsys.models.testing.TestBundles;
import io.recsys.retrieval.bundle.RetrievalBundle;
import io.recsys.retrieval.source.ExcludedItems;
import io.recsys.retrieval.source.RetrievalQuery;
import io.recsys.retrieval.testing.RunningRetrieval;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The item2item source on a real port over the small trained bundle, whose sessions stay in one category. */
class Item2ItemServerTest {

  static final int TOP = 20;
  /** Recent events per probe: the most popular items of one category, as one session would touch them. */
  static final int RECENT = 5;

  static TestBundles.Fixture fixture;
  static ItemCatalog items;
  static RunningRetrieval server;

  @BeforeAll
  static void start() throws IOException {
    fixture = TestBundles.small();
    items = fixture.dataset().items();
    server = RunningRetrieval.start(fixture.bundleDir());
  }

  @AfterAll
  static void stop() throws InterruptedException {
    server.close();
  }

  @Test
  void isListedBesideTheOtherSources() {
    assertThat(server.stub().listSources(ListSourcesRequest.getDefaultInstance()).getSourcesList()).contains("item2item");
  }

  /**
   * Synthetic sessions mostly stay in one category, so the co-visitation neighbours of a category's
   * items are mostly of that category; a source that ignored the history would land near the
   * category's share of the catalog.
   */
  @Test
  void recentItemsOfOneCategoryBringItemsOfThatCategory() throws IOException {
    int[] ranked = Popularity.read(new BundleLayout(fixture.bundleDir()).popularity(), items.size()).ranked();
    List<String> categories = java.util.stream.IntStream.range(0, items.size())
        .mapToObj(i -> items.get(i).category()).distinct().sorted().toList();
    double share = 0;
    double catalogShare = 0;
    long now = System.currentTimeMillis();
    for (String category : categories) {
      List<Event> recent = new ArrayList<>();
      for (int r = 0; r < ranked.length && recent.size() < RECENT; r++) {
        if (items.get(ranked[r]).category().equals(category)) {
          recent.add(Event.newBuilder().setItemId(items.id(ranked[r])).setType(EventType.VIEW)
              .setTimestampMs(now - 60_000L * (RECENT - recent.size())).build());
        }
      }
      RetrieveResponse r = server.stub().retrieve(request("new-user", TOP).addAllRecentEvents(recent).build());
      assertThat(r.getCandidatesCount()).isEqualTo(TOP);
      share += r.getCandidatesList().stream()
          .filter(c -> items.get(items.indexOf(c.getItemId())).category().equals(category)).count() / (double) TOP;
      catalogShare += java.util.stream.IntStream.range(0, items.size())
          .filter(i -> items.get(i).category().equals(category)).count() / (double) items.size();
    }
    share /= categories.size();
    catalogShare /= categories.size();
    System.out.printf("item2item top %d in the category of %d recent items: %.3f (catalog share %.3f, %d categories)%n",
        TOP, RECENT, share, catalogShare, categories.size());
    assertThat(share).isGreaterThanOrEqualTo(0.6).isGreaterThanOrEqualTo(3 * catalogShare);
  }

  @Test
  void excludedItemsAreNotReturned() {
    long now = System.currentTimeMillis();
    RetrieveRequest.Builder ask = request("u", TOP).addRecentEvents(Event.newBuilder()
        .setItemId(items.id(0)).setType(EventType.CLICK).setTimestampMs(now - 1000));
    List<String> first = server.stub().retrieve(ask.build()).getCandidatesList().stream().map(Candidate::getItemId).toList();
    assertThat(first).isNotEmpty();
    List<String> next = server.stub().retrieve(ask.addAllExcludeItemIds(first.subList(0, 1)).build())
        .getCandidatesList().stream().map(Candidate::getItemId).toList();
    assertThat(next).doesNotContain(first.get(0)).contains(first.get(first.size() - 1));
  }

  @Test
  void aUserWithoutHistoryGetsAnEmptyAnswerNotAnError() {
    assertThat(server.stub().retrieve(request("never-seen-user", TOP).build()).getCandidatesCount()).isZero();
  }

  /** A bundle exported before item2item (no stats/item2item.bin) still loads; its source answers nothing. */
  @Test
  void aBundleWithoutNeighbourListsStillLoads(@TempDir Path tmp) throws IOException {
    Path old = tmp.resolve("old");
    try (Stream<Path> files = Files.walk(fixture.bundleDir())) {
      for (Path p : files.toList()) {
        Path dest = old.resolve(fixture.bundleDir().relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest);
        }
      }
    }
    Files.delete(new BundleLayout(old).item2item());
    try (RetrievalBundle b = RetrievalBundle.load(old)) {
      RetrievalQuery someone = new RetrievalQuery("u", UserTable.UNKNOWN,
          List.of(new io.recsys.common.features.Interaction(0, EventType.VIEW, 1000L, 0)));
      assertThat(b.sourceNames()).contains("item2item", "two_tower", "popular");
      assertThat(b.source("item2item").orElseThrow().retrieve(someone, TOP, ExcludedItems.NONE).size()).isZero();
      assertThat(b.source("two_tower").orElseThrow().retrieve(someone, TOP, ExcludedItems.NONE).size()).isEqualTo(TOP);
    }
  }

  static RetrieveRequest.Builder request(String userId, int k) {
    return RetrieveRequest.newBuilder().setSource("item2item").setUserId(userId).setK(k);
  }
}
