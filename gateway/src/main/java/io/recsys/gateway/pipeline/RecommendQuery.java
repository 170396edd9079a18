package io.recsys.gateway.pipeline;

import io.recsys.api.v1.Context;
import io.recsys.api.v1.Event;
import io.recsys.api.v1.Filters;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One validated Recommend request plus what the hydrators add. Immutable: each hydrator's part is
 * applied with a {@code with...} copy.
 *
 * @param history the user's events, oldest first: the stored history merged with the request's
 *     recent events (until the history hydrator runs, just the request's events)
 * @param arm experiment arm; empty until hydrated
 * @param nowMs the request's clock: event timestamps of 0 were set to it
 */
public record RecommendQuery(String userId, List<Event> history, Context context, Filters filters,
                             int k, boolean debug, long nowMs, String arm) {

  public RecommendQuery {
    history = List.copyOf(history);
  }

  public static RecommendQuery of(String userId, List<Event> requestEvents, Context context,
                                  Filters filters, int k, boolean debug, long nowMs) {
    return new RecommendQuery(userId, requestEvents, context, filters, k, debug, nowMs, "");
  }

  public RecommendQuery withHistory(List<Event> newHistory) {
    return new RecommendQuery(userId, newHistory, context, filters, k, debug, nowMs, arm);
  }

  public RecommendQuery withArm(String newArm) {
    return new RecommendQuery(userId, history, context, filters, k, debug, nowMs, newArm);
  }

  /** Items the user already interacted with (the "seen" filter drops them unless allow_seen). */
  public Set<String> seenItemIds() {
    Set<String> seen = new HashSet<>();
    for (Event e : history) {
      if (!e.getItemId().isEmpty()) {
        seen.add(e.getItemId());
      }
    }
    return seen;
  }

  /** Items the sources need not propose: seen ones (unless allowed) and the explicitly excluded. */
  public Set<String> excludedItemIds() {
    Set<String> out = filters.getAllowSeen() ? new HashSet<>() : seenItemIds();
    out.addAll(filters.getExcludeItemIdsList());
    return out;
  }
}
