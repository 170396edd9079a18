package io.recsys.state.history;

import io.recsys.state.Specs;
import java.time.Duration;
import java.util.Set;

/**
 * Opens the history store a {@code --history-store} value names: {@code embedded}, or
 * {@code redis://HOST:PORT[?ttl-hours=N&timeout-ms=N]} (defaults: 30 days, 50 ms).
 */
public final class HistoryStores {

  public static final long DEFAULT_TTL_HOURS = 30 * 24;
  public static final long DEFAULT_TIMEOUT_MS = 50;

  private HistoryStores() {}

  /**
   * @param maxPerUser events kept per user
   * @param maxUsers users kept by the embedded store (a shared store is bounded by its TTL instead)
   */
  public static HistoryStore open(String spec, int maxPerUser, int maxUsers) {
    if (spec.equals("embedded")) {
      return new EmbeddedHistoryStore(maxPerUser, maxUsers);
    }
    Specs s = Specs.parse("--history-store", spec, Set.of("ttl-hours", "timeout-ms"));
    if (!s.scheme().equals("redis")) {
      throw new IllegalArgumentException("--history-store '" + spec + "': use embedded or redis://HOST:PORT");
    }
    long ttlHours = s.longOption("ttl-hours", DEFAULT_TTL_HOURS);
    long timeoutMs = s.longOption("timeout-ms", DEFAULT_TIMEOUT_MS);
    if (ttlHours < 1 || timeoutMs < 1) {
      throw new IllegalArgumentException("--history-store '" + spec + "': ttl-hours and timeout-ms must be at least 1");
    }
    return new RedisHistoryStore(s.authority("--history-store"), maxPerUser, Duration.ofHours(ttlHours),
        Duration.ofMillis(timeoutMs));
  }
}
