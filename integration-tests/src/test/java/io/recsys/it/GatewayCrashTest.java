package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventRecord;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.FeedbackRequest;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.RecommendedItem;
import io.recsys.state.log.EventLogs;
import io.recsys.state.testing.KafkaBrokerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway process killed with SIGKILL right after Feedback returned OK loses nothing it
 * acknowledged: the events are in its event log ({@code file:} or Kafka), and after a restart in
 * its (embedded) history, even when the crash left a torn record at the end of a {@code file:} log.
 */
class GatewayCrashTest extends RunningSystemTest {

  @TempDir
  Path events;

  private static List<String> ids(RecommendResponse r) {
    return r.getItemsList().stream().map(RecommendedItem::getItemId).toList();
  }

  /**
   * Buys the user's top recommendation, kills the gateway the moment Feedback returns OK, and
   * checks the purchase is in the log.
   *
   * @return the item bought
   */
  private static String buyThenCrash(GatewayProcess gateway, RecommendRequest ask, String eventLog) throws Exception {
    RecommendResponse before = gateway.stub().recommend(ask);
    String bought = before.getItems(0).getItemId();
    gateway.stub().feedback(FeedbackRequest.newBuilder().setUserId(ask.getUserId()).setRequestId(before.getRequestId())
        .addEvents(Event.newBuilder().setItemId(bought).setType(EventType.PURCHASE)).build());
    gateway.kill();

    List<EventRecord> logged = new ArrayList<>();
    EventLogs.reader(eventLog).readAll(logged::add);
    assertThat(logged).filteredOn(EventRecord::hasFeedback).singleElement().satisfies(r -> {
      assertThat(r.getUserId()).isEqualTo(ask.getUserId());
      assertThat(r.getFeedback().getRequestId()).isEqualTo(before.getRequestId());
      assertThat(r.getFeedback().getEvents(0).getItemId()).isEqualTo(bought);
    });
    return bought;
  }

  @Test
  void acknowledgedFeedbackSurvivesKillMinusNineAndATornLastRecord() throws Exception {
    String user = system.fixture.dataset().userIds().get(7);
    RecommendRequest ask = RecommendRequest.newBuilder().setUserId(user).setK(10).build();
    try (GatewayProcess gateway = GatewayProcess.start(system, "--event-log", "file:" + events)) {
      String bought = buyThenCrash(gateway, ask, "file:" + events);

      // a write the crash cut short: half a frame after the last complete record
      Path segment;
      try (Stream<Path> files = Files.list(events)) {
        segment = files.filter(f -> f.toString().endsWith(".events")).sorted().toList().getLast();
      }
      Files.write(segment, new byte[] {0, 0, 0, 42, 1, 2, 3}, StandardOpenOption.APPEND);

      gateway.startAgain();
      RecommendResponse after = gateway.stub().recommend(ask);
      assertThat(ids(after)).as("the purchase is in the rebuilt history: filtered as seen").doesNotContain(bought);
      assertThat(after.getDegraded()).isFalse();
      assertThat(gateway.output()).contains("torn record at byte").contains("1 Feedback calls replayed from the log");

      // the restarted gateway appends after the last complete record: everything is readable
      gateway.stub().feedback(FeedbackRequest.newBuilder().setUserId(user)
          .addEvents(Event.newBuilder().setItemId(ids(after).getFirst()).setType(EventType.CLICK)).build());
      List<EventRecord> all = new ArrayList<>();
      var read = EventLogs.reader("file:" + events).readAll(all::add);
      assertThat(read.warnings()).isEmpty();
      assertThat(all).filteredOn(EventRecord::hasFeedback).hasSize(2);
    }
  }

  @Test
  void acknowledgedFeedbackSurvivesKillMinusNineWithKafkaAsTheLog() throws Exception {
    String user = system.fixture.dataset().userIds().get(8);
    RecommendRequest ask = RecommendRequest.newBuilder().setUserId(user).setK(10).build();
    try (KafkaBrokerProcess kafka = KafkaBrokerProcess.start();
         GatewayProcess gateway = GatewayProcess.start(system, "--event-log", kafka.url("events"))) {
      String bought = buyThenCrash(gateway, ask, kafka.url("events"));
      gateway.startAgain();
      assertThat(ids(gateway.stub().recommend(ask))).as("rebuilt from the topic").doesNotContain(bought);
      assertThat(gateway.output()).contains("1 Feedback calls replayed from the log");
    }
  }
}
