package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.FeedbackRequest;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.RecommendedItem;
import io.recsys.api.v1.RecommenderServiceGrpc;
import io.recsys.common.server.RecsysServer;
import io.recsys.state.testing.RedisServerExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Gateways sharing users' history through a real redis-server, and what they do when it goes away. */
class SharedHistoryTest extends RunningSystemTest {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @TempDir
  Path dir;

  /** Reads may wait 1 s on a busy test machine (the 50 ms default is a serving budget); an outage fails at once. */
  private static String store() {
    return redis.url() + "?timeout-ms=1000";
  }

  private static List<String> ids(RecommendResponse r) {
    return r.getItemsList().stream().map(RecommendedItem::getItemId).toList();
  }

  @Test
  void feedbackOnOneGatewayShapesTheNextAnswerOfAnother() throws Exception {
    String user = system.fixture.dataset().userIds().get(11);
    RecommendRequest ask = RecommendRequest.newBuilder().setUserId(user).setK(10).build();
    RecsysServer a = system.startGateway("--history-store", store(), "--event-log", "file:" + dir.resolve("a"));
    ManagedChannel toA = ManagedChannelBuilder.forAddress("localhost", a.port()).usePlaintext().build();
    try (GatewayProcess b = GatewayProcess.start(system, "--history-store", store(),
        "--event-log", "file:" + dir.resolve("b"))) {
      var gatewayA = RecommenderServiceGrpc.newBlockingStub(toA).withDeadlineAfter(20, TimeUnit.SECONDS);
      RecommendResponse before = b.stub().recommend(ask);
      String bought = before.getItems(0).getItemId();
      var fb = gatewayA.feedback(FeedbackRequest.newBuilder().setUserId(user)
          .addEvents(Event.newBuilder().setItemId(bought).setType(EventType.PURCHASE)).build());
      assertThat(fb.getHistorySize()).isPositive();

      RecommendResponse after = b.stub().recommend(ask.toBuilder().setDebug(true).build());
      assertThat(ids(after)).doesNotContain(bought);
      assertThat(after.getDegraded()).isFalse();
      // B read the history A wrote: the seed plus the purchase
      assertThat(after.getDebug().getNotesOrThrow("history_events")).isEqualTo(Integer.toString(fb.getHistorySize()));
    } finally {
      toA.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      a.close();
    }
  }

  @Test
  void redisStoppedUnderTrafficGivesDegradedAnswersAndNoFailedCallsThenFreshOnesAgain() throws Exception {
    RecsysServer gateway = system.startGateway("--history-store", store(), "--event-log", "file:" + dir.resolve("c"));
    ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", gateway.port()).usePlaintext().build();
    var stub = RecommenderServiceGrpc.newBlockingStub(channel);
    List<String> users = system.fixture.dataset().userIds().subList(0, 50);
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger degraded = new AtomicInteger();
    AtomicInteger fresh = new AtomicInteger();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicReference<String> reason = new AtomicReference<>();
    List<Thread> clients = new ArrayList<>();
    try {
      for (int t = 0; t < 4; t++) {
        int offset = t;
        clients.add(Thread.ofPlatform().start(() -> {
          for (int i = offset; running.get(); i += 4) {
            try {
              RecommendResponse r = stub.withDeadlineAfter(10, TimeUnit.SECONDS).recommend(RecommendRequest.newBuilder()
                  .setUserId(users.get(i % users.size())).setK(10).build());
              calls.incrementAndGet();
              if (r.getDegraded()) {
                degraded.incrementAndGet();
                reason.set(String.join("; ", r.getDegradedReasonsList()));
              } else {
                fresh.incrementAndGet();
              }
            } catch (RuntimeException e) {
              failed.incrementAndGet();
            }
          }
        }));
      }
      Thread.sleep(1_500);
      assertThat(degraded.get()).as("all well while Redis is up").isZero();
      redis.stop();
      int degradedAtStop = degraded.get();
      Thread.sleep(2_000);
      assertThat(degraded.get()).as("answers during the outage are degraded").isGreaterThan(degradedAtStop);
      assertThat(reason.get()).contains("recent_history").contains(redis.url());
      redis.startAgain();
      // the gateway reconnects by itself; after that, answers are fresh again
      long deadline = System.currentTimeMillis() + 15_000;
      int freshAtRestart = fresh.get();
      while (fresh.get() < freshAtRestart + 20 && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      int degradedAfterRecovery = degraded.get();
      Thread.sleep(1_000);
      assertThat(degraded.get()).as("no degraded answers once recovered").isEqualTo(degradedAfterRecovery);
    } finally {
      running.set(false);
      for (Thread c : clients) {
        c.join();
      }
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      gateway.close();
    }
    assertThat(failed.get()).as("failed calls out of " + calls.get()).isZero();
    assertThat(fresh.get()).isPositive();
  }
}
