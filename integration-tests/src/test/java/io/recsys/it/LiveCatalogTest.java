package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.recsys.api.v1.CatalogItem;
import io.recsys.api.v1.CatalogServiceGrpc;
import io.recsys.api.v1.CatalogServiceGrpc.CatalogServiceBlockingStub;
import io.recsys.api.v1.DeleteItemsRequest;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.RecommendedItem;
import io.recsys.api.v1.RetrievalServiceGrpc;
import io.recsys.api.v1.RetrieveRequest;
import io.recsys.api.v1.UpsertItemsRequest;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.models.data.Dataset;
import io.recsys.models.testing.TestBundles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Live catalog updates through the three real servers: CatalogService on the gateway, the catalog
 * log tailed by retrieval and ranking, a restart replaying it.
 */
class LiveCatalogTest {

  /** The bound: an upserted item is a candidate within about a second. */
  static final long VISIBLE_WITHIN_MS = 1000;

  @Test
  void anItemMatchingAUsersTasteBecomesACandidateWithinASecondReachesTheTopKAndIsGoneAtOnceWhenDeleted()
      throws Exception {
    try (LiveSystem s = new LiveSystem(Files.createTempDirectory("recsys-it-catalog"))) {
      String user = userWithATaste(s.system);
      CatalogItem item = s.itemLikeTheBestFor(user, "live-new-1");

      s.catalog().upsertItems(UpsertItemsRequest.newBuilder().addItems(item).build());
      long upserted = System.nanoTime();
      // the gateway's answer for k = 200 holds every two_tower candidate of the user it keeps
      waitUntil(() -> s.recommendedIds(user, 200).contains("live-new-1"), VISIBLE_WITHIN_MS);
      System.out.printf("live item among the user's candidates after %d ms%n", (System.nanoTime() - upserted) / 1_000_000);

      RecommendResponse r = s.recommend(user, 20);
      Optional<RecommendedItem> served = r.getItemsList().stream()
          .filter(it -> it.getItemId().equals("live-new-1")).findFirst();
      assertThat(served).as("the live item reaches the user's top 20 (two_tower proposes it at %d): %s",
          s.twoTowerCandidates(user, 200).indexOf("live-new-1"), r.getItemsList()).isPresent();
      assertThat(served.get().getTitle()).isEqualTo(item.getTitle());
      assertThat(served.get().getCategory()).isEqualTo(item.getCategory());
      assertThat(served.get().getSourcesList()).contains("two_tower");
      assertThat(r.getDegraded()).isFalse();

      s.catalog().deleteItems(DeleteItemsRequest.newBuilder().addItemIds("live-new-1").build());
      // at once: the very next answer, before any other server has read the log
      assertThat(s.recommendedIds(user, 200)).doesNotContain("live-new-1");
      waitUntil(() -> !s.twoTowerCandidates(user, 2000).contains("live-new-1"), VISIBLE_WITHIN_MS);
    }
  }

  @Test
  void aDeletedBundleItemIsNeverServedAgainByAnySourceAndTheCatalogSurvivesARestart() throws Exception {
    Path log = Files.createTempDirectory("recsys-it-catalog");
    String popular;
    try (LiveSystem s = new LiveSystem(log)) {
      popular = s.popularCandidates(1).get(0);
      assertThat(s.recommendedIds("cold-user", 200)).as("a new user's answer holds the most popular item")
          .contains(popular);

      s.catalog().deleteItems(DeleteItemsRequest.newBuilder().addItemIds(popular).build());
      assertThat(s.recommendedIds("cold-user", 200)).doesNotContain(popular);
      waitUntil(() -> !s.popularCandidates(50).contains(popular), VISIBLE_WITHIN_MS);

      s.catalog().upsertItems(UpsertItemsRequest.newBuilder().addItems(CatalogItem.newBuilder()
          .setItemId("live-kept").setTitle("kept across restarts").setCategory("c01").setPrice(3)).build());
    }
    try (LiveSystem restarted = new LiveSystem(log)) {
      assertThat(restarted.popularCandidates(50)).doesNotContain(popular);
      assertThat(restarted.recommendedIds("cold-user", 200)).doesNotContain(popular);
      // replayed at start, so searchable at once
      assertThat(restarted.twoTowerCandidates("cold-user", 2000)).contains("live-kept");
    }
  }

  @Test
  void catalogCallsAreAdminCallsAndBadOnesGetInvalidArgumentSayingWhatToFix() throws Exception {
    try (LiveSystem s = new LiveSystem(Files.createTempDirectory("recsys-it-catalog"), "--admin-token", "s3cret")) {
      CatalogItem ok = CatalogItem.newBuilder().setItemId("x1").setTitle("a title").setPrice(1).build();
      assertThatThrownBy(() -> CatalogServiceGrpc.newBlockingStub(s.admin)
          .upsertItems(UpsertItemsRequest.newBuilder().addItems(ok).build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
      expect(() -> s.catalog().upsertItems(UpsertItemsRequest.getDefaultInstance()),
          "items is empty; send 1..1000");
      expect(() -> s.catalog().upsertItems(UpsertItemsRequest.newBuilder()
          .addItems(ok.toBuilder().setTitle(" ")).build()), "items[0] (x1): title is required");
      expect(() -> s.catalog().upsertItems(UpsertItemsRequest.newBuilder()
          .addItems(ok.toBuilder().setPrice(-1)).build()), "items[0] (x1): price is -1.0; it must be a finite number >= 0");
      expect(() -> s.catalog().upsertItems(UpsertItemsRequest.newBuilder()
          .addItems(ok).addItems(ok).build()), "items[1] (x1): item_id appears twice");
      expect(() -> s.catalog().upsertItems(UpsertItemsRequest.newBuilder()
          .addItems(ok.toBuilder().setItemId("a\tb")).build()), "items[0]: item_id must not contain tabs");
      expect(() -> s.catalog().upsertItems(UpsertItemsRequest.newBuilder()
          .addAllItems(Collections.nCopies(1001, ok)).build()), "items has 1001 entries; send at most 1000");
      expect(() -> s.catalog().deleteItems(DeleteItemsRequest.newBuilder().addItemIds("").build()),
          "item_ids[0]: item_id is required");
      // nothing of that reached the log, and the service still works
      assertThat(s.catalog().upsertItems(UpsertItemsRequest.newBuilder().addItems(ok).build()).getLogSequence())
          .isEqualTo(1);
    }
  }

  static void expect(ThrowingCallable call, String message) {
    assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(e.getStatus().getDescription()).contains(message);
    });
  }

  /** A user with liked categories and a history the gateway was seeded with. */
  static String userWithATaste(RunningSystem system) {
    Dataset ds = system.fixture.dataset();
    for (int u = 0; u < ds.users(); u++) {
      String user = ds.userIds().get(u);
      if (!system.fixture.truth().liked(user).isEmpty() && ds.histories().get(u).size() >= 10) {
        return user;
      }
    }
    throw new IllegalStateException("no user with a taste in the test data");
  }

  static void waitUntil(BooleanSupplier condition, long withinMs) throws InterruptedException {
    long deadline = System.nanoTime() + withinMs * 1_000_000;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition met within %d ms", withinMs).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  /** A running system whose three servers share one catalog log, with stubs for what the tests ask. */
  static final class LiveSystem implements AutoCloseable {
    final RunningSystem system;
    final ManagedChannel retrieval;
    final ManagedChannel admin;

    /** The admin token the servers were started with, or null. */
    final String token;

    LiveSystem(Path catalogLog, String... extraArgs) throws Exception {
      this(catalogLog.toString(), extraArgs);
    }

    /** @param catalogLog the servers' --catalog-log */
    LiveSystem(String catalogLog, String... extraArgs) throws Exception {
      List<String> args = new java.util.ArrayList<>(List.of("--catalog-log", catalogLog));
      args.addAll(List.of(extraArgs));
      int token = args.indexOf("--admin-token");
      this.token = token < 0 ? null : args.get(token + 1);
      system = new RunningSystem(TestBundles.small().bundleDir(), args.toArray(String[]::new));
      retrieval = ManagedChannelBuilder.forAddress("localhost", system.retrieval.port()).usePlaintext().build();
      admin = ManagedChannelBuilder.forAddress("localhost", system.gateway.adminPort()).usePlaintext().build();
    }

    /** CatalogService on the gateway's admin port, with the admin token when the servers have one. */
    CatalogServiceBlockingStub catalog() {
      CatalogServiceBlockingStub stub = CatalogServiceGrpc.newBlockingStub(admin).withDeadlineAfter(20, TimeUnit.SECONDS);
      if (token == null) {
        return stub;
      }
      Metadata auth = new Metadata();
      auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
      return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth));
    }

    /** A new item like the best one the user is recommended now: same kind of title, same category. */
    /**
     * A copy (without its number) of the two-tower's best item for the user in a category the user
     * likes: retrieval's choice, not the ranker's, whose top items may be popular ones that the
     * user's taste does not explain.
     */
    CatalogItem itemLikeTheBestFor(String user, String itemId) {
      Set<String> liked = system.fixture.truth().liked(user);
      ItemCatalog items = system.fixture.dataset().items();
      ItemCatalog.Item best = twoTowerCandidates(user, 200).stream().map(id -> items.get(items.indexOf(id)))
          .filter(it -> liked.contains(it.category())).findFirst().orElseThrow();
      return CatalogItem.newBuilder().setItemId(itemId)
          .setTitle(best.title().replaceAll(" \\d+$", "")).setCategory(best.category())
          .setPrice(best.price()).build();
    }

    RecommendResponse recommend(String user, int k) {
      return system.gatewayStub().recommend(RecommendRequest.newBuilder().setUserId(user).setK(k).build());
    }

    List<String> recommendedIds(String user, int k) {
      return recommend(user, k).getItemsList().stream().map(RecommendedItem::getItemId).toList();
    }

    /** What the retrieval server's two_tower source proposes for the user (no recent events sent). */
    List<String> twoTowerCandidates(String user, int k) {
      return candidates(retrieval, "two_tower", user, k);
    }

    List<String> popularCandidates(int k) {
      return candidates(retrieval, "popular", "anyone", k);
    }

    /** What a retrieval server's source proposes for the user. */
    static List<String> candidates(ManagedChannel retrieval, String source, String user, int k) {
      return RetrievalServiceGrpc.newBlockingStub(retrieval).withDeadlineAfter(20, TimeUnit.SECONDS)
          .retrieve(RetrieveRequest.newBuilder().setSource(source).setUserId(user).setK(k).build())
          .getCandidatesList().stream().map(c -> c.getItemId()).toList();
    }

    @Override
    public void close() throws Exception {
      retrieval.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      admin.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      system.close();
    }
  }
}
