package io.recsys.gateway.history;

import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.common.bundle.Tsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Each user's recent events, in memory: at most {@code maxPerUser} per user (the oldest are dropped),
 * oldest first, and at most {@code maxUsers} users (the least recently used are dropped, so a stream
 * of new ids cannot exhaust the heap). Thread-safe: Feedback appends while Recommend reads. Seeded
 * from the bundle's stats/recent_history.tsv so known users have a history before their first Feedback.
 */
public final class UserHistoryStore {

  public static final List<String> HEADER = List.of("user_id", "item_id", "type", "timestamp_ms", "value");

  private static final Comparator<Event> BY_TIME = Comparator.comparingLong(Event::getTimestampMs);

  private final int maxPerUser;
  private final int maxUsers;
  private final ConcurrentHashMap<String, History> users = new ConcurrentHashMap<>();
  /** Logical clock of uses, for least-recently-used eviction. */
  private final AtomicLong clock = new AtomicLong();
  private final Object evictionLock = new Object();

  public UserHistoryStore(int maxPerUser, int maxUsers) {
    if (maxPerUser < 1 || maxUsers < 1) {
      throw new IllegalArgumentException("history size and user count must be at least 1, got "
          + maxPerUser + " and " + maxUsers);
    }
    this.maxPerUser = maxPerUser;
    this.maxUsers = maxUsers;
  }

  /** A store holding the events of a recent_history.tsv; a bundle without one gives an empty store. */
  public static UserHistoryStore seeded(Path recentHistory, int maxPerUser, int maxUsers) throws IOException {
    UserHistoryStore store = new UserHistoryStore(maxPerUser, maxUsers);
    if (!Files.isRegularFile(recentHistory)) {
      return store;
    }
    Tsv.read(recentHistory, HEADER, (c, line) -> {
      EventType type;
      try {
        type = EventType.valueOf(c[2]);
      } catch (IllegalArgumentException e) {
        throw new IOException(recentHistory + ":" + line + ": unknown event type '" + c[2] + "'");
      }
      store.append(c[0], List.of(Event.newBuilder().setItemId(c[1]).setType(type)
          .setTimestampMs(Long.parseLong(c[3])).setValue(Double.parseDouble(c[4])).build()));
    });
    return store;
  }

  public int maxPerUser() {
    return maxPerUser;
  }

  /**
   * Adds events (timestamps already resolved) and keeps the newest {@code maxPerUser}.
   *
   * @return the user's history size afterwards
   */
  public int append(String userId, List<Event> events) {
    History h = users.computeIfAbsent(userId, id -> new History());
    h.touched = clock.incrementAndGet();
    int size = h.append(events, maxPerUser);
    if (users.size() > maxUsers) {
      evictLeastRecentlyUsed();
    }
    return size;
  }

  /** The user's events, oldest first; empty for users never seen. */
  public List<Event> recent(String userId) {
    History h = users.get(userId);
    if (h == null) {
      return List.of();
    }
    h.touched = clock.incrementAndGet();
    return h.snapshot();
  }

  /**
   * Drops the least recently used users down to the cap, and 1% below it, so that eviction's
   * sort runs once per many new users rather than for each.
   */
  private void evictLeastRecentlyUsed() {
    synchronized (evictionLock) {
      int excess = users.size() - (maxUsers - maxUsers / 100);
      if (users.size() <= maxUsers || excess <= 0) {
        return;
      }
      List<Map.Entry<String, History>> byUse = new ArrayList<>(users.entrySet());
      byUse.sort(Comparator.comparingLong(e -> e.getValue().touched));
      for (Map.Entry<String, History> e : byUse.subList(0, Math.min(excess, byUse.size()))) {
        users.remove(e.getKey(), e.getValue());
      }
    }
  }

  public int size(String userId) {
    History h = users.get(userId);
    return h == null ? 0 : h.size();
  }

  /** Users with a stored history. */
  public int users() {
    return users.size();
  }

  /** One user's events, sorted by time; its own lock, so users never wait for each other. */
  private static final class History {
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    volatile long touched;

    synchronized int append(List<Event> added, int max) {
      for (Event e : added) {
        insertByTime(e);
      }
      while (events.size() > max) {
        events.removeFirst();
      }
      return events.size();
    }

    /** Events mostly arrive in time order, so this is usually one addLast. */
    private void insertByTime(Event e) {
      if (events.isEmpty() || BY_TIME.compare(events.peekLast(), e) <= 0) {
        events.addLast(e);
        return;
      }
      List<Event> later = new ArrayList<>();
      while (!events.isEmpty() && BY_TIME.compare(events.peekLast(), e) > 0) {
        later.add(events.removeLast());
      }
      events.addLast(e);
      for (Event x : later.reversed()) {
        events.addLast(x);
      }
    }

    synchronized List<Event> snapshot() {
      return List.copyOf(events);
    }

    synchronized int size() {
      return events.size();
    }
  }
}
