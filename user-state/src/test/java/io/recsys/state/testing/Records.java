package io.recsys.state.testing;

import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventRecord;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.LoggedFeedback;
import io.recsys.api.v1.ServedAnswer;
import io.recsys.api.v1.ServedItem;

/** Event-log records and events for tests. */
public final class Records {

  private Records() {}

  public static Event event(String item, EventType type, long timestampMs) {
    return Event.newBuilder().setItemId(item).setType(type).setTimestampMs(timestampMs).build();
  }

  public static EventRecord feedback(String user, String requestId, Event... events) {
    return EventRecord.newBuilder().setSchemaVersion(1).setLoggedAtMs(events.length == 0 ? 0 : events[0].getTimestampMs())
        .setUserId(user)
        .setFeedback(LoggedFeedback.newBuilder().setRequestId(requestId).setArm("control").addAllEvents(java.util.List.of(events)))
        .build();
  }

  /** An answer with the given items at positions 0, 1, ..., each from {@code source}. */
  public static EventRecord answer(String user, String requestId, String arm, String source, String... items) {
    ServedAnswer.Builder a = ServedAnswer.newBuilder().setRequestId(requestId).setArm(arm)
        .setBundleVersion("v1").setModelVersion("v1").setK(items.length);
    for (int i = 0; i < items.length; i++) {
      a.addItems(ServedItem.newBuilder().setItemId(items[i]).setPosition(i).setScore(1.0 / (i + 1)).addSources(source));
    }
    return EventRecord.newBuilder().setSchemaVersion(1).setUserId(user).setAnswer(a).build();
  }
}
