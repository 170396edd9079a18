package io.recsys.cli.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventRecord;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.LoggedFeedback;
import io.recsys.api.v1.ServedAnswer;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.features.Interaction;
import io.recsys.models.data.Dataset;
import io.recsys.state.log.EventLog;
import io.recsys.state.log.EventLogs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingFeedbackTest {

  @TempDir
  Path dir;

  private static EventRecord feedback(String user, Event... events) {
    return EventRecord.newBuilder().setSchemaVersion(1).setUserId(user)
        .setFeedback(LoggedFeedback.newBuilder().addAllEvents(List.of(events))).build();
  }

  private static Event event(String item, EventType type, long ts) {
    return Event.newBuilder().setItemId(item).setType(type).setTimestampMs(ts).build();
  }

  @Test
  void loggedInterestJoinsTheHistoriesInTimeOrderAndNewUsersAreAdded() throws Exception {
    List<ItemCatalog.Item> items = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      items.add(new ItemCatalog.Item("i" + i, "c" + (i % 2), 0, 1f, 0L, "item " + i));
    }
    Dataset data = new Dataset("tiny", ItemCatalog.withCategoryIndices(items), List.of("u1"),
        List.of(List.of(new Interaction(0, EventType.VIEW, 100, 0), new Interaction(1, EventType.VIEW, 300, 0))));
    Path log = dir.resolve("events");
    try (EventLog events = EventLogs.open("file:" + log)) {
      events.append(feedback("u1", event("i2", EventType.CLICK, 200), event("i3", EventType.IMPRESSION, 210)))
          .get(10, TimeUnit.SECONDS);
      events.append(EventRecord.newBuilder().setSchemaVersion(1).setUserId("u1")
          .setAnswer(ServedAnswer.newBuilder().setRequestId("r")).build()).get(10, TimeUnit.SECONDS);
      events.append(feedback("new-user", event("i3", EventType.PURCHASE, 50), event("gone", EventType.CLICK, 60),
          Event.newBuilder().setType(EventType.SEARCH).setQuery("shoes").setTimestampMs(70).build()))
          .get(10, TimeUnit.SECONDS);
    }

    TrainingFeedback.Merged merged = TrainingFeedback.append(data, EventLogs.reader("file:" + log));

    assertThat(merged.added()).isEqualTo(2);
    assertThat(merged.skipped()).as("an impression, an item not in the catalog, a search").isEqualTo(3);
    assertThat(merged.newUsers()).isEqualTo(1);
    Dataset d = merged.dataset();
    assertThat(d.userIds()).containsExactly("u1", "new-user");
    assertThat(d.histories().get(0)).extracting(Interaction::itemIndex).containsExactly(0, 2, 1);
    assertThat(d.histories().get(1)).containsExactly(new Interaction(3, EventType.PURCHASE, 50, 0));
    assertThat(data.histories().get(0)).as("the input is left alone").hasSize(2);
  }
}
