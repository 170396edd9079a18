package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.recsys.api.v1.CandidateColumns;
import io.recsys.api.v1.Context;
import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.RankRequest;
import io.recsys.api.v1.RankingServiceGrpc;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.RetrievalServiceGrpc;
import io.recsys.api.v1.RetrieveRequest;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three real servers: what retrieval or ranking would refuse, the gateway refuses first with
 * INVALID_ARGUMENT, so a client learns its request is wrong instead of getting a degraded answer;
 * the servers behind refuse the same themselves; an oversized message is refused by size.
 */
class RequestLimitsTest extends RunningSystemTest {

  static ManagedChannel ranking;
  static ManagedChannel retrieval;

  @BeforeAll
  static void channels() {
    ranking = ManagedChannelBuilder.forAddress("localhost", system.ranking.port()).usePlaintext().build();
    retrieval = ManagedChannelBuilder.forAddress("localhost", system.retrieval.port()).usePlaintext().build();
  }

  @AfterAll
  static void close() throws InterruptedException {
    ranking.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    retrieval.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private static void assertInvalid(ThrowingCallable call, String messagePart) {
    assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(e.getStatus().getDescription()).contains(messagePart);
    });
  }

  /** The gateway, ranking and retrieval each refuse a request whose context or events are made so. */
  private static void refusedEverywhere(Consumer<Context.Builder> context, Event event, String messagePart) {
    Context.Builder c = Context.newBuilder();
    context.accept(c);
    RecommendRequest.Builder recommend = RecommendRequest.newBuilder().setUserId("u00001").setK(5).setContext(c);
    RankRequest.Builder rank = RankRequest.newBuilder().setUserId("u00001").setContext(c)
        .setColumns(CandidateColumns.newBuilder().addItemIds(system.fixture.dataset().items().id(0)));
    RetrieveRequest.Builder retrieve = RetrieveRequest.newBuilder().setSource("two_tower").setUserId("u00001")
        .setK(5).setContext(c);
    if (event != null) {
      recommend.addRecentEvents(event);
      rank.addRecentEvents(event);
      retrieve.addRecentEvents(event);
    }
    assertInvalid(() -> system.gatewayStub().recommend(recommend.build()), messagePart);
    assertInvalid(() -> RankingServiceGrpc.newBlockingStub(ranking).withDeadlineAfter(10, TimeUnit.SECONDS)
        .rank(rank.build()), messagePart);
    assertInvalid(() -> RetrievalServiceGrpc.newBlockingStub(retrieval).withDeadlineAfter(10, TimeUnit.SECONDS)
        .retrieve(retrieve.build()), messagePart);
  }

  @Test
  void aNegativeRequestTimeIsRefusedNotDegraded() {
    refusedEverywhere(c -> c.setRequestTimeMs(-5), null, "context.request_time_ms -5 is negative");
  }

  @Test
  void aRequestTimeInMicrosecondsIsRefused() {
    refusedEverywhere(c -> c.setRequestTimeMs(System.currentTimeMillis() * 1000), null, "more than a day in the future");
  }

  @Test
  void anOverlongSearchQueryIsRefused() {
    Event search = Event.newBuilder().setType(EventType.SEARCH).setQuery("q".repeat(1025)).build();
    refusedEverywhere(c -> { }, search, "recent_events[0]: query is 1025 characters; at most 1024");
  }

  @Test
  void overlongOrTooManyAttributesAreRefused() {
    refusedEverywhere(c -> c.putAttributes("campaign", "x".repeat(1025)), null,
        "context.attributes['campaign'] is 1025 characters; at most 1024");
    refusedEverywhere(c -> {
      for (int i = 0; i < 65; i++) {
        c.putAttributes("a" + i, "v");
      }
    }, null, "context.attributes has 65 entries; at most 64");
    refusedEverywhere(c -> c.setDevice("d".repeat(129)), null, "context.device is 129 characters; at most 128");
  }

  @Test
  void aContextAtTheLimitsIsServedUndegraded() {
    Context.Builder c = Context.newBuilder().setDevice("d".repeat(128)).setRequestTimeMs(System.currentTimeMillis());
    for (int i = 0; i < 64; i++) {
      c.putAttributes("a" + i, "v".repeat(1024));
    }
    RecommendResponse r = system.gatewayStub().recommend(RecommendRequest.newBuilder().setUserId("u00001").setK(5)
        .setContext(c).addRecentEvents(Event.newBuilder().setType(EventType.SEARCH).setQuery("q".repeat(1024)))
        .build());
    assertThat(r.getItemsCount()).isEqualTo(5);
    assertThat(r.getDegraded()).as("degraded: %s", r.getDegradedReasonsList()).isFalse();
  }

  @Test
  void aMessageOverTheInboundLimitIsRefusedBySize() {
    // 2 MiB is the servers' limit; 100 candidates of 30,000 characters are 3 MB
    CandidateColumns.Builder columns = CandidateColumns.newBuilder();
    for (int i = 0; i < 100; i++) {
      columns.addItemIds(i + "x".repeat(30_000));
    }
    assertThatThrownBy(() -> RankingServiceGrpc.newBlockingStub(ranking).withDeadlineAfter(10, TimeUnit.SECONDS)
        .rank(RankRequest.newBuilder().setUserId("u").setColumns(columns).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
  }
}
