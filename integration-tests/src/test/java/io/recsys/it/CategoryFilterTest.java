package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.recsys.api.v1.Filters;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.RecommendedItem;
import io.recsys.api.v1.RecommenderServiceGrpc;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.server.RecsysServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Filters.include_categories through the whole system: the gateway pushes them into retrieval, so
 * a Recommend for k items of a rare category gets k of them, not the few a top k happened to hold.
 * The gateway asks each source for only k candidates: with the filter after retrieval, ~1/12 of
 * them (the rare category's share) would be left.
 */
class CategoryFilterTest extends RunningSystemTest {

  static final int K = 20;

  static ItemCatalog items;
  static Map<String, Long> sizes;
  @TempDir
  static Path eventLog;
  static RecsysServer narrowGateway;
  static ManagedChannel channel;

  @BeforeAll
  static void categories() throws IOException {
    narrowGateway = system.startGateway("--two-tower-k", Integer.toString(K), "--popular-k", Integer.toString(K),
        "--item2item-k", Integer.toString(K), "--event-log", "file:" + eventLog);
    channel = ManagedChannelBuilder.forAddress("localhost", narrowGateway.port()).usePlaintext().build();
    items = system.fixture.dataset().items();
    sizes = IntStream.range(0, items.size()).mapToObj(i -> items.get(i).category())
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  @AfterAll
  static void stopGateway() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    narrowGateway.close();
  }

  static RecommendResponse recommend(String userId, List<String> categories) {
    return RecommenderServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS).recommend(RecommendRequest.newBuilder().setUserId(userId).setK(K)
        .setFilters(Filters.newBuilder().addAllIncludeCategories(categories)).build());
  }

  @Test
  void kItemsOfARareCategoryForNewAndKnownUsers() {
    String rare = Collections.min(sizes.entrySet(), Map.Entry.comparingByValue()).getKey();
    List<String> two = sizes.keySet().stream().sorted().limit(2).toList();
    // the rare category's share of a plain top 20 is about 20 / categories: a post-filter would keep a few
    assertThat(sizes.get(rare)).isGreaterThanOrEqualTo(2L * K);
    for (String user : List.of("category-filter-new-user", system.fixture.dataset().userIds().get(3))) {
      RecommendResponse one = recommend(user, List.of(rare));
      assertThat(one.getItemsList()).as(user).hasSize(K);
      assertThat(one.getItemsList()).as(user).allMatch(i -> i.getCategory().equals(rare));
      assertThat(one.getDegraded()).as(user).isFalse();
      RecommendResponse both = recommend(user, two);
      assertThat(both.getItemsList()).as(user).hasSize(K)
          .extracting(RecommendedItem::getCategory).allMatch(two::contains);
    }
  }

  @Test
  void anUnknownCategoryGetsAnEmptyList() {
    assertThat(recommend("category-filter-new-user", List.of("no-such-category")).getItemsList()).isEmpty();
  }
}
