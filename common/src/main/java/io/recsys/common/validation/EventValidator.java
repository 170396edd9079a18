package io.recsys.common.validation;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.features.Interaction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Checks client events and resolves them against the catalog. Malformed events are rejected with
 * INVALID_ARGUMENT naming the event; events on items the bundle does not know are accepted (the live
 * catalog is often newer than the model) and simply carry no model signal.
 */
public final class EventValidator {

  public static final int MAX_EVENTS = 500;
  public static final int MAX_ID_LENGTH = 256;
  public static final int MAX_QUERY_LENGTH = 1024;
  /** Clock skew tolerated for client timestamps. */
  static final long MAX_FUTURE_MS = 24L * 3600 * 1000;

  private EventValidator() {}

  public static void validateUserId(String userId) {
    if (userId.isBlank()) {
      throw invalid("user_id is required (use any stable id; unknown users get cold-start recommendations)");
    }
    if (userId.length() > MAX_ID_LENGTH) {
      throw invalid("user_id is " + userId.length() + " characters; at most " + MAX_ID_LENGTH);
    }
  }

  /** @param field the request field, for messages such as "recent_events[3]" */
  public static void validate(List<Event> events, String field, long nowMs) {
    if (events.size() > MAX_EVENTS) {
      throw Status.RESOURCE_EXHAUSTED.withDescription(field + " has " + events.size()
          + " events; at most " + MAX_EVENTS + " per request (send older ones in several Feedback calls)")
          .asRuntimeException();
    }
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      String where = field + "[" + i + "]";
      if (e.getType() == EventType.EVENT_TYPE_UNSPECIFIED || e.getType() == EventType.UNRECOGNIZED) {
        throw invalid(where + ": type is required (VIEW, CLICK, ADD_TO_CART, PURCHASE, WATCH, SEARCH, IMPRESSION or RATING)");
      }
      if (e.getType() == EventType.SEARCH) {
        if (e.getQuery().isBlank()) {
          throw invalid(where + ": a SEARCH event needs a query");
        }
      } else if (e.getItemId().isBlank()) {
        throw invalid(where + ": item_id is required for " + e.getType() + " events");
      }
      ContextValidator.checkLength(e.getQuery(), where + ": query", MAX_QUERY_LENGTH);
      if (e.getItemId().length() > MAX_ID_LENGTH) {
        throw invalid(where + ": item_id longer than " + MAX_ID_LENGTH + " characters");
      }
      if (e.getTimestampMs() < 0) {
        throw invalid(where + ": timestamp_ms " + e.getTimestampMs()
            + " is negative; use milliseconds since the Unix epoch, or 0 for now");
      }
      if (e.getTimestampMs() > nowMs + MAX_FUTURE_MS) {
        throw invalid(where + ": timestamp_ms " + e.getTimestampMs()
            + " is more than a day in the future; use milliseconds (not microseconds) since the Unix epoch");
      }
      if (!Double.isFinite(e.getValue())) {
        throw invalid(where + ": value must be a finite number");
      }
    }
  }

  /** The event's time, with 0 meaning now. */
  public static long timeOf(Event e, long nowMs) {
    return e.getTimestampMs() == 0 ? nowMs : e.getTimestampMs();
  }

  /**
   * Interactions on known items, oldest first (stable for equal timestamps). Call after
   * {@link #validate}.
   */
  public static List<Interaction> resolve(List<Event> events, ItemCatalog catalog, long nowMs) {
    List<Interaction> out = new ArrayList<>(events.size());
    for (Event e : events) {
      int idx = e.getItemId().isEmpty() ? -1 : catalog.indexOf(e.getItemId());
      if (idx >= 0) {
        out.add(new Interaction(idx, e.getType(), timeOf(e, nowMs), e.getValue()));
      }
    }
    out.sort(Comparator.comparingLong(Interaction::timestampMs));
    return out;
  }

  public static StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }
}
