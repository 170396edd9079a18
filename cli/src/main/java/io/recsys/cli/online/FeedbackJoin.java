package io.recsys.cli.online;

import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventRecord;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.ServedItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins what users were shown (served answers) with what they did (feedback): an event joins the
 * impression of its item in the answer its {@code request_id} names; without a request id, the
 * user's latest impression of the item served at most {@code windowMs} before the event. Records
 * are collected first and joined at the end, because a click can be logged before the answer it
 * responds to (answers are appended asynchronously).
 */
final class FeedbackJoin {

  /** One item shown in one answer, and what the user did with it. */
  static final class Impression {
    final String user;
    final String arm;
    final List<String> sources;
    final long servedAtMs;
    boolean clicked;
    boolean purchased;
    double watchSeconds;

    Impression(String user, String arm, List<String> sources, long servedAtMs) {
      this.user = user;
      this.arm = arm;
      this.sources = sources;
      this.servedAtMs = servedAtMs;
    }
  }

  /** Feedback events that matched no impression: sent without a matching answer, or outside the window. */
  long unattributed;

  private final long windowMs;
  private final List<Impression> impressions = new ArrayList<>();
  /** request id -> item id -> impression */
  private final Map<String, Map<String, Impression>> byRequest = new HashMap<>();
  /** user -> item id -> impressions, in log order */
  private final Map<String, Map<String, List<Impression>>> byUserItem = new HashMap<>();
  private final List<EventRecord> feedback = new ArrayList<>();

  FeedbackJoin(long windowMs) {
    this.windowMs = windowMs;
  }

  void accept(EventRecord r) {
    if (r.hasFeedback()) {
      feedback.add(r);
    } else if (r.hasAnswer()) {
      Map<String, Impression> items = byRequest.computeIfAbsent(r.getAnswer().getRequestId(), id -> new HashMap<>());
      for (ServedItem item : r.getAnswer().getItemsList()) {
        Impression i = new Impression(r.getUserId(), r.getAnswer().getArm(), item.getSourcesList(), r.getLoggedAtMs());
        impressions.add(i);
        items.put(item.getItemId(), i);
        byUserItem.computeIfAbsent(r.getUserId(), u -> new HashMap<>())
            .computeIfAbsent(item.getItemId(), x -> new ArrayList<>()).add(i);
      }
    }
  }

  /** Attributes every collected feedback event; returns all impressions with their outcomes. */
  List<Impression> join() {
    for (EventRecord r : feedback) {
      String requestId = r.getFeedback().getRequestId();
      for (Event e : r.getFeedback().getEventsList()) {
        if (!counts(e.getType())) {
          continue;
        }
        Impression i = requestId.isEmpty() ? withinWindow(r.getUserId(), e) : byRequest
            .getOrDefault(requestId, Map.of()).get(e.getItemId());
        if (i == null || !i.user.equals(r.getUserId())) {
          unattributed++;
          continue;
        }
        switch (e.getType()) {
          case CLICK -> i.clicked = true;
          case PURCHASE -> i.purchased = true;
          case WATCH -> i.watchSeconds += e.getValue();
          default -> throw new IllegalStateException("not an outcome: " + e.getType());
        }
      }
    }
    feedback.clear();
    return impressions;
  }

  private static boolean counts(EventType type) {
    return type == EventType.CLICK || type == EventType.PURCHASE || type == EventType.WATCH;
  }

  private Impression withinWindow(String user, Event e) {
    List<Impression> shown = byUserItem.getOrDefault(user, Map.of()).getOrDefault(e.getItemId(), List.of());
    Impression latest = null;
    for (Impression i : shown) {
      long age = e.getTimestampMs() - i.servedAtMs;
      if (age >= 0 && age <= windowMs && (latest == null || i.servedAtMs >= latest.servedAtMs)) {
        latest = i;
      }
    }
    return latest;
  }
}
