package io.recsys.gateway.history;

import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.common.validation.EventValidator;
import java.util.ArrayList;
import java.util.List;

/** How client events become history: real timestamps, and only events that say something about interest. */
public final class HistoryEvents {

  private HistoryEvents() {}

  /** The events with "0 = now" timestamps replaced by {@code nowMs}. */
  public static List<Event> resolved(List<Event> events, long nowMs) {
    List<Event> out = new ArrayList<>(events.size());
    for (Event e : events) {
      out.add(e.getTimestampMs() == 0 ? e.toBuilder().setTimestampMs(EventValidator.timeOf(e, nowMs)).build() : e);
    }
    return out;
  }

  /** The events that belong in a history, timestamps resolved as by {@link #resolved}. */
  public static List<Event> interest(List<Event> events, long nowMs) {
    return resolved(events.stream().filter(HistoryEvents::isInterest).toList(), nowMs);
  }

  /** An impression says the item was shown, not that the user cared: metrics only. */
  public static boolean isInterest(Event e) {
    return e.getType() != EventType.IMPRESSION;
  }
}
