package io.recsys.state.history;

import io.recsys.api.v1.Event;
import java.util.List;
import java.util.Map;

/**
 * Each user's recent events, newest kept, at most {@link #maxPerUser()} per user. The gateway reads
 * it once per Recommend and appends to it on Feedback. Implementations: {@code embedded} (this
 * process's memory, rebuilt from the event log at start) and {@code redis://} (shared by every
 * gateway). A store that cannot answer throws {@link HistoryUnavailableException}; it never blocks
 * longer than its timeout.
 */
public interface HistoryStore extends AutoCloseable {

  int maxPerUser();

  /**
   * Adds events (timestamps already resolved) and keeps the newest {@code maxPerUser}.
   *
   * @return the user's history size afterwards
   */
  int append(String userId, List<Event> events);

  /** The user's events, oldest first; empty for users never seen. */
  List<Event> recent(String userId);

  /** The number of events {@link #recent} would return. */
  int size(String userId);

  /**
   * Loads a starting history (the bundle's recent history). A shared store loads each seed once,
   * however many gateways start with it.
   *
   * @param seedId names the seed (the bundle version)
   */
  void seed(String seedId, Map<String, List<Event>> histories);

  /** True when the history lives in this process only, so it must be rebuilt from the event log at start. */
  boolean inProcess();

  String describe();

  @Override
  void close();
}
