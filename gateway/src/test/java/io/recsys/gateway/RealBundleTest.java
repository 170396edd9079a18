package io.recsys.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.api.v1.Event;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.RecommendedItem;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.gateway.testing.FakeRanking;
import io.recsys.gateway.testing.FakeRetrieval;
import io.recsys.gateway.testing.GatewayHarness;
import io.recsys.models.testing.TestBundles;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The gateway on a bundle the models module trained and exported: its items, popularity and
 * recent history parse, seed the store, and answer when the remote servers cannot.
 */
class RealBundleTest {

  @Test
  void aKnownUsersBundleHistoryReachesTheSourcesAndTheLocalFallbackSkipsIt() throws IOException {
    GatewayBundle bundle = GatewayBundle.load(TestBundles.small().bundleDir());
    String user;
    try (Stream<String> lines = Files.lines(bundle.layout().recentHistory())) {
      user = lines.skip(1).findFirst().orElseThrow().split("\t")[0];
    }
    FakeRetrieval down = new FakeRetrieval().breakSource("two_tower").breakSource("popular");
    try (GatewayHarness harness = new GatewayHarness(bundle, down, new FakeRanking().down(), GatewayHarness.SETTINGS)) {
      List<Event> stored = harness.gateway.history().recent(user);
      assertThat(stored).isNotEmpty();
      Set<String> seen = stored.stream().map(Event::getItemId).collect(Collectors.toSet());

      RecommendResponse r = harness.client().recommend(RecommendRequest.newBuilder().setUserId(user).setK(10).build());

      assertThat(down.lastRequest("two_tower").getRecentEventsList()).containsAll(stored);
      assertThat(r.getDegraded()).isTrue();
      assertThat(r.getModelVersion()).isEqualTo(bundle.version()).isNotBlank();
      assertThat(r.getItemsList()).hasSize(10).noneMatch(i -> seen.contains(i.getItemId()));
      ItemCatalog catalog = bundle.catalog();
      for (RecommendedItem item : r.getItemsList()) {
        int index = catalog.indexOf(item.getItemId());
        assertThat(index).isNotNegative();
        assertThat(item.getCategory()).isEqualTo(catalog.get(index).category()).isNotBlank();
        assertThat(item.getTitle()).isEqualTo(catalog.get(index).title());
      }
      // the most popular unseen item leads; no category has more than ceil(0.5 * 10) items
      int mostPopularUnseen = java.util.Arrays.stream(bundle.popularity().ranked())
          .filter(i -> !seen.contains(catalog.id(i))).findFirst().orElseThrow();
      assertThat(r.getItems(0).getItemId()).isEqualTo(catalog.id(mostPopularUnseen));
      assertThat(r.getItemsList().stream().collect(Collectors.groupingBy(RecommendedItem::getCategory,
          Collectors.counting())).values()).allMatch(n -> n <= 5);
    }
  }
}
