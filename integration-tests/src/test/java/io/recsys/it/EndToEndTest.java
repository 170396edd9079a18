package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.FeedbackRequest;
import io.recsys.api.v1.FeedbackResponse;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.RecommendedItem;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.features.Interaction;
import io.recsys.models.data.Dataset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The whole two-stage path over real gRPC between three real servers and a trained bundle. */
class EndToEndTest extends RunningSystemTest {

  static final int K = 10;
  @Test
  void usersWithAClearTasteGetItemsFromTheirTaste() {
    Dataset ds = system.fixture.dataset();
    ItemCatalog items = ds.items();
    float[] counts = ds.itemCounts();
    double ours = 0;
    double popular = 0;
    int users = 0;
    for (int u = 0; u < ds.users() && users < 40; u++) {
      String user = ds.userIds().get(u);
      Set<String> liked = system.fixture.truth().liked(user);
      List<Interaction> h = ds.histories().get(u);
      if (liked.size() < 2 || h.size() < 10) {
        continue;
      }
      RecommendResponse r = system.gatewayStub().recommend(
          RecommendRequest.newBuilder().setUserId(user).setK(K).build());
      assertThat(r.getItemsList()).hasSize(K);
      assertThat(r.getDegraded()).as("ranker and both sources answered").isFalse();
      ours += shareLiked(r.getItemsList().stream().map(RecommendedItem::getCategory).toList(), liked);
      popular += shareLiked(popularUnseen(counts, h, items), liked);
      users++;
    }
    ours /= users;
    popular /= users;
    System.out.printf("share of top %d in the user's liked categories: recsys %.3f, popularity %.3f (%d users)%n",
        K, ours, popular, users);
    assertThat(users).isGreaterThanOrEqualTo(20);
    // the liked categories hold ~2/12 of the catalog: random picks land ~0.17, popularity about the same
    assertThat(ours).isGreaterThanOrEqualTo(0.6);
    assertThat(ours - popular).isGreaterThanOrEqualTo(0.3);
  }

  @Test
  void everyItemNamesTheSourcesThatProposedIt() {
    RecommendResponse r = system.gatewayStub().recommend(RecommendRequest.newBuilder()
        .setUserId(system.fixture.dataset().userIds().get(0)).setK(20).setDebug(true).build());
    assertThat(r.getItemsList()).isNotEmpty().allSatisfy(it ->
        assertThat(it.getSourcesList()).isNotEmpty().isSubsetOf("two_tower", "popular", "item2item"));
    assertThat(r.getItemsList()).anySatisfy(it -> assertThat(it.getSourcesList()).contains("two_tower"));
    assertThat(r.getModelVersion()).isEqualTo(system.fixture.bundleDir().getFileName().toString());
    assertThat(r.getDebug().getStagesList()).extracting(s -> s.getStage()).isNotEmpty();
  }

  @Test
  void unknownUsersGetColdStartRecommendations() {
    RecommendResponse r = system.gatewayStub().recommend(
        RecommendRequest.newBuilder().setUserId("never-seen-before").setK(K).build());
    assertThat(r.getItemsList()).hasSize(K);
    assertThat(new HashSet<>(r.getItemsList().stream().map(RecommendedItem::getItemId).toList())).hasSize(K);
  }

  @Test
  void anUnknownUsersSessionSteersTheRecommendations() {
    Dataset ds = system.fixture.dataset();
    ItemCatalog items = ds.items();
    String category = items.get(0).category();
    RecommendRequest.Builder req = RecommendRequest.newBuilder().setUserId("new-visitor-session").setK(K);
    long now = System.currentTimeMillis();
    int added = 0;
    for (int i = 0; i < items.size() && added < 5; i++) {
      if (items.get(i).category().equals(category)) {
        req.addRecentEvents(Event.newBuilder().setItemId(items.id(i)).setType(EventType.CLICK)
            .setTimestampMs(now - 60_000 + added * 1000L));
        added++;
      }
    }
    RecommendResponse r = system.gatewayStub().recommend(req.build());
    long inCategory = r.getItemsList().stream().filter(it -> it.getCategory().equals(category)).count();
    // the category cap allows at most half of k from one category
    assertThat(inCategory).isGreaterThanOrEqualTo(K / 2);
  }

  @Test
  void badRequestsGetInvalidArgumentAndTheServerKeepsServing() {
    String user = system.fixture.dataset().userIds().get(1);
    expectInvalid(RecommendRequest.newBuilder().setUserId(user).setK(0), "k");
    expectInvalid(RecommendRequest.newBuilder().setUserId(user).setK(201), "200");
    expectInvalid(RecommendRequest.newBuilder().setUserId("").setK(5), "user_id");
    expectInvalid(RecommendRequest.newBuilder().setUserId(user).setK(5)
        .addRecentEvents(Event.newBuilder().setItemId("i00001")), "type");
    expectInvalid(RecommendRequest.newBuilder().setUserId(user).setK(5)
        .addRecentEvents(Event.newBuilder().setItemId("i00001").setType(EventType.VIEW).setTimestampMs(-5)),
        "timestamp_ms");

    // documented lenient behaviour: events on items the bundle does not know are accepted
    RecommendResponse lenient = system.gatewayStub().recommend(RecommendRequest.newBuilder()
        .setUserId(user).setK(5)
        .addRecentEvents(Event.newBuilder().setItemId("no-such-item").setType(EventType.VIEW)).build());
    assertThat(lenient.getItemsList()).hasSize(5);
  }

  @Test
  void feedbackChangesTheNextRecommendation() {
    String user = system.fixture.dataset().userIds().get(2);
    RecommendResponse before = system.gatewayStub().recommend(
        RecommendRequest.newBuilder().setUserId(user).setK(K).build());
    String bought = before.getItems(0).getItemId();
    FeedbackResponse fb = system.gatewayStub().feedback(FeedbackRequest.newBuilder().setUserId(user)
        .addEvents(Event.newBuilder().setItemId(bought).setType(EventType.PURCHASE)
            .setTimestampMs(System.currentTimeMillis()))
        .build());
    assertThat(fb.getAccepted()).isEqualTo(1);
    RecommendResponse after = system.gatewayStub().recommend(
        RecommendRequest.newBuilder().setUserId(user).setK(K).build());
    assertThat(after.getItemsList()).extracting(RecommendedItem::getItemId).doesNotContain(bought);

    FeedbackResponse again = system.gatewayStub().feedback(FeedbackRequest.newBuilder().setUserId(user)
        .addEvents(Event.newBuilder().setItemId(after.getItems(0).getItemId()).setType(EventType.CLICK)).build());
    assertThat(again.getHistorySize()).isEqualTo(fb.getHistorySize() + 1);
  }

  private static void expectInvalid(RecommendRequest.Builder req, String mentioned) {
    assertThatThrownBy(() -> system.gatewayStub().recommend(req.build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains(mentioned);
        });
  }

  private static double shareLiked(List<String> categories, Set<String> liked) {
    return categories.stream().filter(liked::contains).count() / (double) categories.size();
  }

  private static List<String> popularUnseen(float[] counts, List<Interaction> h, ItemCatalog items) {
    Set<Integer> seen = new HashSet<>();
    for (Interaction e : h) {
      seen.add(e.itemIndex());
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      if (!seen.contains(i)) {
        order.add(i);
      }
    }
    order.sort((a, b) -> Float.compare(counts[b], counts[a]));
    return order.subList(0, K).stream().map(i -> items.get(i).category()).toList();
  }
}
