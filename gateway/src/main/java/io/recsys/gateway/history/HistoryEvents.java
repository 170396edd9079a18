package io.recsys.gateway.history;

import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.common.validation.EventValidator;
import java.util.ArrayList;
import java.util.List;

/** How client events become history: real timestamps, and only events that say something about interest. */
public final class HistoryEvents {

  private HistoryEvents() {}

  /** The events that belong in a history, with "0 = now" timestamps replaced by {@code nowMs}. */
  public static List<Event> interest(List<Event> events, long nowMs) {
    List<Event> out = new ArrayList<>(events.size());
    for (Event e : events) {
      if (isInterest(e)) {
        out.add(e.getTimestampMs() == 0 ? e.toBuilder().setTimestampMs(EventValidator.timeOf(e, nowMs)).build() : e);
      }
    }
    return out;
  }

  /** An impression says the item was shown, not that the user cared: metrics only. */
  public static boolean isInterest(Event e) {
    return e.getType() != EventType.IMPRESSION;
  }
}
