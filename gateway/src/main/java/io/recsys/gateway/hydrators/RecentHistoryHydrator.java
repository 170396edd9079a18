package io.recsys.gateway.hydrators;

import io.recsys.api.v1.Event;
import io.recsys.gateway.pipeline.QueryHydrator;
import io.recsys.gateway.pipeline.RecommendQuery;
import io.recsys.state.history.HistoryStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The user's stored history merged with the events the request brought (clients may resend events
 * the store already has: exact duplicates count once), oldest first, bounded like the store. The
 * store is read once per request; when it cannot answer (Redis down or slow) this hydrator fails,
 * and the pipeline goes on with the request's own events and marks the answer degraded.
 */
public final class RecentHistoryHydrator implements QueryHydrator {

  private final HistoryStore store;

  public RecentHistoryHydrator(HistoryStore store) {
    this.store = store;
  }

  @Override
  public String name() {
    return "recent_history";
  }

  @Override
  public boolean inMemory() {
    return store.inProcess();
  }

  @Override
  public UnaryOperator<RecommendQuery> hydrate(RecommendQuery query) {
    LinkedHashSet<Event> merged = new LinkedHashSet<>(store.recent(query.userId()));
    merged.addAll(query.history());
    List<Event> history = new ArrayList<>(merged);
    history.sort(Comparator.comparingLong(Event::getTimestampMs));
    List<Event> bounded = history.subList(Math.max(0, history.size() - store.maxPerUser()), history.size());
    List<Event> result = List.copyOf(bounded);
    return q -> q.withHistory(result);
  }
}
