package io.recsys.gateway.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventRecord;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.FeedbackRequest;
import io.recsys.api.v1.FeedbackResponse;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.ServedItem;
import io.recsys.common.server.ServerCounters;
import io.recsys.gateway.GatewayBundle;
import io.recsys.gateway.experiment.ExperimentArms;
import io.recsys.gateway.testing.FakeRanking;
import io.recsys.gateway.testing.FakeRetrieval;
import io.recsys.gateway.testing.GatewayHarness;
import io.recsys.gateway.testing.HarnessTest;
import io.recsys.gateway.testing.TestBundle;
import io.recsys.state.log.EventLogs;
import io.recsys.state.testing.RedisServerProcess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Feedback and answers in the event log, history rebuilt from it, and a history store that goes away. */
class UserStateTest extends HarnessTest {

  private static FakeRetrieval retrieval() {
    return new FakeRetrieval().ignoreExcludes()
        .answer("two_tower", IntStream.range(10, 20).mapToObj(TestBundle::id).toList());
  }

  private List<EventRecord> logged() throws IOException {
    List<EventRecord> out = new ArrayList<>();
    EventLogs.reader("file:" + harness.eventLog).readAll(out::add);
    return out;
  }

  /** Answers are appended without waiting: wait for the writer. */
  private List<EventRecord> loggedAtLeast(int n) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    List<EventRecord> records = logged();
    while (records.size() < n && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
      records = logged();
    }
    return records;
  }

  @Test
  void feedbackAndAnswersAreLoggedAndJoinedByRequestId() throws Exception {
    harness = new GatewayHarness(dir, retrieval(), new FakeRanking());
    var client = harness.client();
    RecommendResponse answer = client.recommend(RecommendRequest.newBuilder().setUserId("shopper").setK(3).build());
    client.feedback(FeedbackRequest.newBuilder().setUserId("shopper").setRequestId(answer.getRequestId())
        .addEvents(Event.newBuilder().setItemId(answer.getItems(0).getItemId()).setType(EventType.CLICK)).build());

    List<EventRecord> records = loggedAtLeast(2);
    assertThat(records).hasSize(2);
    EventRecord served = records.stream().filter(EventRecord::hasAnswer).findFirst().orElseThrow();
    EventRecord feedback = records.stream().filter(EventRecord::hasFeedback).findFirst().orElseThrow();
    assertThat(served.getSchemaVersion()).isEqualTo(1);
    assertThat(served.getUserId()).isEqualTo("shopper");
    assertThat(served.getAnswer().getRequestId()).isEqualTo(answer.getRequestId());
    assertThat(served.getAnswer().getBundleVersion()).isEqualTo(TestBundle.VERSION);
    assertThat(served.getAnswer().getArm()).isIn("control", "treatment");
    assertThat(served.getAnswer().getK()).isEqualTo(3);
    assertThat(served.getAnswer().getItemsList()).extracting(ServedItem::getItemId)
        .containsExactlyElementsOf(answer.getItemsList().stream().map(i -> i.getItemId()).toList());
    assertThat(served.getAnswer().getItemsList()).extracting(ServedItem::getPosition).containsExactly(0, 1, 2);
    assertThat(served.getAnswer().getItems(0).getSourcesList()).containsExactlyElementsOf(answer.getItems(0).getSourcesList());
    assertThat(served.getAnswer().getItems(0).getScore()).isEqualTo(answer.getItems(0).getScore());

    assertThat(feedback.getFeedback().getRequestId()).isEqualTo(answer.getRequestId());
    assertThat(feedback.getFeedback().getArm()).isEqualTo(served.getAnswer().getArm());
    assertThat(feedback.getFeedback().getEvents(0).getTimestampMs()).as("0 = now, resolved").isPositive();
  }

  @Test
  void feedbackNamingARecentAnswerIsCountedLivePerArmAndSource() throws Exception {
    harness = new GatewayHarness(dir, retrieval(), new FakeRanking());
    var client = harness.client();
    RecommendResponse answer = client.recommend(RecommendRequest.newBuilder().setUserId("live").setK(3).build());
    var first = answer.getItems(0);
    var second = answer.getItems(1);
    client.feedback(FeedbackRequest.newBuilder().setUserId("live").setRequestId(answer.getRequestId())
        .addEvents(Event.newBuilder().setItemId(first.getItemId()).setType(EventType.CLICK))
        .addEvents(Event.newBuilder().setItemId(second.getItemId()).setType(EventType.WATCH).setValue(90))
        .addEvents(Event.newBuilder().setItemId(first.getItemId()).setType(EventType.VIEW))
        .addEvents(Event.newBuilder().setItemId("i29").setType(EventType.CLICK)).build());
    // no request id, or one this gateway never served: left to online-report
    client.feedback(FeedbackRequest.newBuilder().setUserId("live")
        .addEvents(Event.newBuilder().setItemId(first.getItemId()).setType(EventType.CLICK)).build());
    client.feedback(FeedbackRequest.newBuilder().setUserId("live").setRequestId("elsewhere")
        .addEvents(Event.newBuilder().setItemId(first.getItemId()).setType(EventType.PURCHASE)).build());

    String arm = "arm." + new ExperimentArms(GatewayHarness.SETTINGS.experimentArms())
        .armOf("live") + ".attributed.";
    assertThat(first.getSourcesList()).isNotEmpty();
    for (String source : first.getSourcesList()) {
      assertThat(harness.counters.get(arm + "CLICK." + source)).as(source).isEqualTo(1);
      assertThat(harness.counters.get(arm + "PURCHASE." + source)).isZero();
    }
    for (String source : second.getSourcesList()) {
      assertThat(harness.counters.get(arm + "WATCH_SECONDS." + source)).isEqualTo(90);
    }
  }

  @Test
  void aRestartedGatewayRebuildsTheHistoryFromTheLog() throws Exception {
    harness = new GatewayHarness(dir, retrieval(), new FakeRanking());
    var client = harness.client();
    client.feedback(FeedbackRequest.newBuilder().setUserId("returning")
        .addEvents(Event.newBuilder().setItemId("i19").setType(EventType.PURCHASE))
        .addEvents(Event.newBuilder().setItemId("i02").setType(EventType.IMPRESSION)).build());
    harness.gateway.state().events().close();

    // what a new process does at start, over the same log and bundle
    try (UserState restarted = UserState.open("file:" + harness.eventLog, "embedded", 50, 1000,
        GatewayBundle.load(dir), new ServerCounters())) {
      assertThat(restarted.history().recent("returning")).extracting(Event::getItemId).containsExactly("i19");
      assertThat(restarted.history().recent("known")).as("the bundle's seed").extracting(Event::getItemId)
          .containsExactly("i05");
    }
  }

  @Test
  void feedbackIsNotAcknowledgedWhenTheLogCannotKeepIt() throws Exception {
    harness = new GatewayHarness(dir, retrieval(), new FakeRanking());
    harness.gateway.state().events().close();
    assertThatThrownBy(() -> harness.client().feedback(FeedbackRequest.newBuilder().setUserId("u")
        .addEvents(Event.newBuilder().setItemId("i01").setType(EventType.CLICK)).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.getStatus().getDescription()).contains("send it again").contains("closed");
        });
    assertThat(harness.gateway.history().recent("u")).isEmpty();
  }

  @Test
  void withRedisDownAnswersAreDegradedFromTheRequestsOwnEventsAndFeedbackStillReachesTheLog() throws Exception {
    Assumptions.assumeTrue(RedisServerProcess.available(), "redis-server is not installed (.ci/run installs it)");
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      harness = new GatewayHarness(GatewayBundle.load(TestBundle.write(dir)), retrieval(), new FakeRanking(),
          // reads may wait up to the harness's hydrator budget on a busy machine; an outage fails at once
          GatewayHarness.SETTINGS, redis.url() + "?timeout-ms=400");
      var client = harness.client();
      client.feedback(FeedbackRequest.newBuilder().setUserId("r")
          .addEvents(Event.newBuilder().setItemId("i19").setType(EventType.PURCHASE)).build());
      RecommendRequest ask = RecommendRequest.newBuilder().setUserId("r").setK(3)
          .addRecentEvents(Event.newBuilder().setItemId("i18").setType(EventType.VIEW)).build();
      RecommendResponse fresh = client.recommend(ask);
      assertThat(fresh.getDegraded()).isFalse();
      assertThat(fresh.getItemsList()).extracting(i -> i.getItemId()).doesNotContain("i19", "i18");

      redis.stop();
      RecommendResponse degraded = client.recommend(ask);
      assertThat(degraded.getDegraded()).isTrue();
      assertThat(degraded.getDegradedReasonsList()).anyMatch(r -> r.contains("recent_history") && r.contains(redis.url()));
      // the stored purchase is unknown now, the request's own view is still filtered
      assertThat(degraded.getItemsList()).extracting(i -> i.getItemId()).contains("i19").doesNotContain("i18");
      FeedbackResponse during = client.feedback(FeedbackRequest.newBuilder().setUserId("r")
          .addEvents(Event.newBuilder().setItemId("i17").setType(EventType.CLICK)).build());
      assertThat(during.getAccepted()).isEqualTo(1);
      assertThat(logged()).filteredOn(EventRecord::hasFeedback).hasSize(2);
      assertThat(harness.counters.get("history.write_failed")).isEqualTo(1);

      redis.startAgain();
      long deadline = System.currentTimeMillis() + 10_000;
      RecommendResponse again = client.recommend(ask);
      while (again.getDegraded() && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
        again = client.recommend(ask);
      }
      assertThat(again.getDegraded()).as("recovered by itself").isFalse();
    }
  }
}
