package io.recsys.gateway;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.FeedbackRequest;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommenderServiceGrpc.RecommenderServiceBlockingStub;
import io.recsys.gateway.testing.FakeRanking;
import io.recsys.gateway.testing.FakeRetrieval;
import io.recsys.gateway.testing.GatewayHarness;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad requests fail with INVALID_ARGUMENT and say what to fix. */
class ValidationTest {

  @TempDir
  static Path dir;

  private static GatewayHarness harness;
  private static RecommenderServiceBlockingStub client;

  @BeforeAll
  static void start() throws Exception {
    harness = new GatewayHarness(dir, new FakeRetrieval(), new FakeRanking());
    client = harness.client();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static void assertInvalid(ThrowingCallable call, String messagePart) {
    assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      org.assertj.core.api.Assertions.assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      org.assertj.core.api.Assertions.assertThat(e.getStatus().getDescription()).contains(messagePart);
    });
  }

  private static RecommendRequest.Builder recommend() {
    return RecommendRequest.newBuilder().setUserId("u").setK(10);
  }

  @Test
  void kOutsideOneTo200() {
    assertInvalid(() -> client.recommend(recommend().setK(0).build()), "k is 0; ask for 1..200 items");
    assertInvalid(() -> client.recommend(recommend().setK(201).build()), "k is 201; ask for 1..200 items");
  }

  @Test
  void missingUserId() {
    assertInvalid(() -> client.recommend(recommend().setUserId("").build()), "user_id is required");
    assertInvalid(() -> client.feedback(FeedbackRequest.newBuilder()
        .addEvents(Event.newBuilder().setItemId("i01").setType(EventType.CLICK)).build()), "user_id is required");
  }

  @Test
  void malformedEvents() {
    assertInvalid(() -> client.recommend(recommend()
        .addRecentEvents(Event.newBuilder().setItemId("i01")).build()), "recent_events[0]: type is required");
    assertInvalid(() -> client.feedback(FeedbackRequest.newBuilder().setUserId("u")
        .addEvents(Event.newBuilder().setItemId("i01").setType(EventType.CLICK))
        .addEvents(Event.newBuilder().setType(EventType.PURCHASE)).build()),
        "events[1]: item_id is required for PURCHASE events");
  }

  @Test
  void feedbackWithoutEvents() {
    assertInvalid(() -> client.feedback(FeedbackRequest.newBuilder().setUserId("u").build()),
        "events is empty: send 1..500 events");
  }
}
