package io.recsys.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.FeedbackRequest;
import io.recsys.api.v1.FeedbackResponse;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendedItem;
import io.recsys.gateway.experiment.ExperimentArms;
import io.recsys.gateway.testing.FakeRanking;
import io.recsys.gateway.testing.FakeRetrieval;
import io.recsys.gateway.testing.GatewayHarness;
import io.recsys.gateway.testing.HarnessTest;
import io.recsys.gateway.testing.TestBundle;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Feedback joins the user's history at once and changes the next Recommend. */
class FeedbackTest extends HarnessTest {

  private static Event event(String item, EventType type) {
    return Event.newBuilder().setItemId(item).setType(type).build();
  }

  @Test
  void aPurchaseDisappearsFromTheNextRecommendationAndReachesTheTwoTowerQuery() throws Exception {
    // the fake ignores exclude_item_ids: only the gateway's seen filter can drop the purchase
    harness = new GatewayHarness(dir, new FakeRetrieval().ignoreExcludes()
        .answer("two_tower", IntStream.range(10, 20).mapToObj(TestBundle::id).toList()), new FakeRanking());
    var client = harness.client();
    RecommendRequest ask = RecommendRequest.newBuilder().setUserId("shopper").setK(3).build();

    List<String> before = client.recommend(ask).getItemsList().stream().map(RecommendedItem::getItemId).toList();
    assertThat(before).startsWith("i19");

    FeedbackResponse fb = client.feedback(FeedbackRequest.newBuilder().setUserId("shopper")
        .addEvents(event("i19", EventType.PURCHASE)).build());
    assertThat(fb.getAccepted()).isEqualTo(1);
    assertThat(fb.getHistorySize()).isEqualTo(1);

    List<String> after = client.recommend(ask).getItemsList().stream().map(RecommendedItem::getItemId).toList();
    assertThat(after).doesNotContain("i19").startsWith("i18");
    var sent = harness.retrieval.lastRequest("two_tower");
    assertThat(sent.getRecentEventsList()).singleElement().satisfies(e -> {
      assertThat(e.getItemId()).isEqualTo("i19");
      assertThat(e.getType()).isEqualTo(EventType.PURCHASE);
      assertThat(e.getTimestampMs()).as("0 means now").isPositive();
    });
    assertThat(sent.getExcludeItemIdsList()).contains("i19");
    assertThat(harness.ranking.requests.getLast().getRecentEventsList()).extracting(Event::getItemId).contains("i19");

    FeedbackResponse more = client.feedback(FeedbackRequest.newBuilder().setUserId("shopper")
        .addEvents(event("i18", EventType.CLICK)).addEvents(event("i17", EventType.VIEW)).build());
    assertThat(more.getHistorySize()).isEqualTo(3);
  }

  @Test
  void impressionsAreCountedButAreNotInterest() throws Exception {
    harness = new GatewayHarness(dir, new FakeRetrieval(), new FakeRanking());
    var client = harness.client();
    String arm = new ExperimentArms(GatewayHarness.SETTINGS.experimentArms()).armOf("viewer");

    FeedbackResponse fb = client.feedback(FeedbackRequest.newBuilder().setUserId("viewer")
        .addEvents(event("i01", EventType.IMPRESSION)).addEvents(event("i02", EventType.IMPRESSION))
        .addEvents(event("i01", EventType.CLICK)).build());

    assertThat(fb.getAccepted()).isEqualTo(3);
    assertThat(fb.getHistorySize()).isEqualTo(1);
    assertThat(harness.gateway.history().recent("viewer")).extracting(Event::getItemId).containsExactly("i01");
    assertThat(harness.counters.get("arm." + arm + ".feedback.IMPRESSION")).isEqualTo(2);
    assertThat(harness.counters.get("arm." + arm + ".feedback.CLICK")).isEqualTo(1);
  }

  @Test
  void historyIsBoundedPerUser() throws Exception {
    harness = new GatewayHarness(dir, new FakeRetrieval(), new FakeRanking());
    var client = harness.client();
    FeedbackRequest.Builder many = FeedbackRequest.newBuilder().setUserId("busy");
    int historySize = GatewayHarness.SETTINGS.historySize();
    for (int i = 0; i < historySize + 7; i++) {
      many.addEvents(Event.newBuilder().setItemId(TestBundle.id(i % TestBundle.ITEMS))
          .setType(EventType.VIEW).setTimestampMs(1_000 + i));
    }
    assertThat(client.feedback(many.build()).getHistorySize()).isEqualTo(historySize);
    // the oldest were dropped
    assertThat(harness.gateway.history().recent("busy").getFirst().getTimestampMs()).isEqualTo(1_007);
  }
}
