package io.recsys.cli.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventRecord;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.LoggedFeedback;
import io.recsys.api.v1.ServedAnswer;
import io.recsys.api.v1.ServedItem;
import io.recsys.state.log.EventLog;
import io.recsys.state.log.EventLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** online-report on a scripted stream of answers and feedback whose figures are known by construction. */
class OnlineReportCommandTest {

  private static final long T0 = 1_700_000_000_000L;
  private static final long MINUTE = 60_000;

  @TempDir
  Path dir;

  private final List<EventRecord> stream = new ArrayList<>();

  /** An answer of 5 items {@code <user>-0..4}; the first three also came from "popular" when {@code both}. */
  private void answer(String requestId, String user, String arm, long atMs, String source, boolean both) {
    ServedAnswer.Builder a = ServedAnswer.newBuilder().setRequestId(requestId).setArm(arm).setK(5);
    for (int i = 0; i < 5; i++) {
      ServedItem.Builder item = ServedItem.newBuilder().setItemId(user + "-" + i).setPosition(i).addSources(source);
      if (both && i < 3) {
        item.addSources("popular");
      }
      a.addItems(item);
    }
    stream.add(EventRecord.newBuilder().setSchemaVersion(1).setLoggedAtMs(atMs).setUserId(user).setAnswer(a).build());
  }

  private void feedback(String user, String requestId, String item, EventType type, long atMs, double value) {
    stream.add(EventRecord.newBuilder().setSchemaVersion(1).setLoggedAtMs(atMs).setUserId(user)
        .setFeedback(LoggedFeedback.newBuilder().setRequestId(requestId).addEvents(Event.newBuilder()
            .setItemId(item).setType(type).setTimestampMs(atMs).setValue(value)))
        .build());
  }

  @Test
  void reportsTheExactRatesOfAScriptedStream() throws Exception {
    // control: 4 answers x 5 items from two_tower, the first 3 of each also from popular: 20 impressions
    feedback("c1", "r-c1", "c1-0", EventType.CLICK, T0 + MINUTE, 0);   // logged before its answer
    answer("r-c1", "c1", "control", T0, "two_tower", true);
    answer("r-c2", "c2", "control", T0, "two_tower", true);
    answer("r-c3", "c3", "control", T0, "two_tower", true);
    answer("r-c4", "c4", "control", T0, "two_tower", true);
    feedback("c1", "r-c1", "c1-1", EventType.CLICK, T0 + MINUTE, 0);
    feedback("c1", "r-c1", "c1-0", EventType.PURCHASE, T0 + 2 * MINUTE, 0);
    feedback("c2", "", "c2-0", EventType.CLICK, T0 + 5 * MINUTE, 0);            // no request id: joined by user + item
    feedback("c2", "r-c2", "c2-1", EventType.WATCH, T0 + 6 * MINUTE, 120);
    feedback("c3", "r-c3", "not-shown", EventType.CLICK, T0 + MINUTE, 0);       // not in the answer
    feedback("c4", "", "c4-4", EventType.CLICK, T0 + 120 * MINUTE, 0);          // outside the 30 min window
    feedback("c4", "r-c1", "c1-2", EventType.CLICK, T0 + MINUTE, 0);            // someone else's answer
    feedback("c1", "r-c1", "c1-3", EventType.IMPRESSION, T0 + MINUTE, 0);       // not an outcome
    // treatment: t1 twice (2 h apart: a returning user), t2 once; popular only: 15 impressions
    answer("r-t1a", "t1", "treatment", T0, "popular", false);
    answer("r-t2", "t2", "treatment", T0, "popular", false);
    answer("r-t1b", "t1", "treatment", T0 + 120 * MINUTE, "popular", false);
    feedback("t1", "r-t1a", "t1-0", EventType.CLICK, T0 + MINUTE, 0);

    Path log = dir.resolve("events");
    try (EventLog events = EventLogs.open("file:" + log)) {
      for (EventRecord r : stream) {
        events.append(r).get(10, TimeUnit.SECONDS);
      }
    }
    Path out = dir.resolve("report");
    int code = new CommandLine(new OnlineReportCommand()).execute("--event-log", "file:" + log, "--out", out.toString());
    assertThat(code).isZero();

    JsonNode json = new ObjectMapper().readTree(out.resolve("online-report.json").toFile());
    assertThat(json.get("records").asLong()).isEqualTo(stream.size());
    assertThat(json.get("unattributed_feedback_events").asLong()).isEqualTo(3);
    JsonNode controlAll = row(json, "control", "all");
    assertThat(controlAll.get("impressions").asLong()).isEqualTo(20);
    assertThat(controlAll.get("clicks").asLong()).isEqualTo(3);
    assertThat(controlAll.get("ctr").get("value").asDouble()).isEqualTo(0.15);
    // the 95% Wilson interval of 3 / 20, computed by hand
    assertThat(controlAll.get("ctr").get("low").asDouble()).isCloseTo(0.0524, within(1e-4));
    assertThat(controlAll.get("ctr").get("high").asDouble()).isCloseTo(0.3604, within(1e-4));
    assertThat(controlAll.get("conversion").get("value").asDouble()).isEqualTo(0.05);
    assertThat(controlAll.get("watchSeconds").get("value").asDouble()).isEqualTo(6.0);
    assertThat(row(json, "control", "two_tower").get("ctr").get("value").asDouble()).isEqualTo(0.15);
    assertThat(row(json, "control", "popular").get("impressions").asLong()).isEqualTo(12);
    assertThat(row(json, "control", "popular").get("ctr").get("value").asDouble()).isEqualTo(0.25);
    assertThat(row(json, "treatment", "all").get("impressions").asLong()).isEqualTo(15);
    assertThat(row(json, "treatment", "all").get("ctr").get("value").asDouble()).isEqualTo(1.0 / 15);
    assertThat(row(json, "treatment", "popular").get("clicks").asLong()).isEqualTo(1);

    JsonNode users = json.get("users");
    assertThat(users.get(0).get("arm").asText()).isEqualTo("control");
    assertThat(users.get(0).get("returning").asLong()).isZero();
    assertThat(users.get(1).get("users").asLong()).isEqualTo(2);
    assertThat(users.get(1).get("returning").asLong()).isEqualTo(1);

    assertThat(Files.readString(out.resolve("online-report.md"))).contains("| control | all | 20 | 3 | 0.1500 [0.0524, 0.3604]");
    assertThat(Files.size(out.resolve("ctr.png"))).isGreaterThan(1000);
  }

  private static JsonNode row(JsonNode json, String arm, String source) {
    for (JsonNode r : json.get("rows")) {
      if (r.get("arm").asText().equals(arm) && r.get("source").asText().equals(source)) {
        return r;
      }
    }
    throw new AssertionError("no row " + arm + "/" + source + " in " + json.get("rows"));
  }
}
