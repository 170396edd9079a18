package io.recsys.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.recsys.api.v1.Candidate;
import io.recsys.api.v1.RetrieveRequest;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.models.testing.TestBundles;
import io.recsys.retrieval.request.RetrieveRequestReader;
import io.recsys.retrieval.testing.RunningRetrieval;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * include_categories pushed into retrieval, on a real server over a small trained bundle: a source
 * fills k with items of those categories instead of returning its top k for the caller to cut down.
 */
class CategoryFilterRetrievalTest {

  static final int MAX_K = 2000;
  static final int K = 20;
  static final List<String> SOURCES = List.of("two_tower", "popular");

  static ItemCatalog items;
  static String userId;
  /** Items per category in the bundle. */
  static Map<String, Long> sizes;
  static RunningRetrieval server;

  @BeforeAll
  static void start() throws IOException {
    TestBundles.Fixture fixture = TestBundles.small();
    items = fixture.dataset().items();
    userId = fixture.dataset().userIds().getFirst();
    sizes = IntStream.range(0, items.size()).mapToObj(i -> items.get(i).category())
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    server = RunningRetrieval.start(fixture.bundleDir(), "--max-k", Integer.toString(MAX_K));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    server.close();
  }

  static List<String> retrieve(String source, int k, List<String> categories) {
    return server.stub().retrieve(RetrieveRequest.newBuilder().setSource(source).setUserId(userId).setK(k)
            .addAllIncludeCategories(categories).build())
        .getCandidatesList().stream().map(Candidate::getItemId).toList();
  }

  static String categoryOf(String itemId) {
    return items.get(items.indexOf(itemId)).category();
  }

  /** The smallest category: without the filter in retrieval, its items are rare in any top k. */
  static String rarestCategory() {
    return Collections.min(sizes.entrySet(), Map.Entry.comparingByValue()).getKey();
  }

  @Test
  void kItemsOfOneCategoryWhenTheCatalogHasThem() {
    String category = rarestCategory();
    assertThat(sizes.get(category)).isGreaterThanOrEqualTo(K);
    for (String source : SOURCES) {
      List<String> got = retrieve(source, K, List.of(category));
      assertThat(got).as(source).hasSize(K).doesNotHaveDuplicates();
      assertThat(got).as(source).allMatch(id -> categoryOf(id).equals(category));
    }
  }

  @Test
  void everyItemOfTheCategoryWhenItHasFewerThanK() {
    String category = rarestCategory();
    int k = (int) (sizes.get(category) + 10);
    for (String source : SOURCES) {
      List<String> got = retrieve(source, k, List.of(category));
      assertThat(got).as(source).hasSize(sizes.get(category).intValue())
          .allMatch(id -> categoryOf(id).equals(category));
    }
  }

  /** The filtered answer is the unfiltered full ranking cut down to the category: the exact filtered top k. */
  @Test
  void theFilteredTopKIsTheExactFilteredTopK() {
    assertThat(items.size()).isLessThanOrEqualTo(MAX_K);
    List<String> categories = sizes.keySet().stream().sorted().limit(2).toList();
    for (String source : SOURCES) {
      List<String> all = retrieve(source, items.size(), List.of());
      List<String> expected = all.stream().filter(id -> categories.contains(categoryOf(id))).limit(K).toList();
      assertThat(retrieve(source, K, categories)).as(source).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void anUnknownCategoryMatchesNothingAndTooManyAreRejected() {
    for (String source : SOURCES) {
      assertThat(retrieve(source, K, List.of("no-such-category"))).isEmpty();
    }
    List<String> many = IntStream.rangeClosed(0, RetrieveRequestReader.MAX_INCLUDED_CATEGORIES)
        .mapToObj(i -> "c" + i).toList();
    assertThatThrownBy(() -> retrieve("two_tower", K, many))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("include_categories has 101 categories; at most 100");
        });
  }
}
