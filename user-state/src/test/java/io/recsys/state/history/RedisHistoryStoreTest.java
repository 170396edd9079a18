package io.recsys.state.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.state.testing.Records;
import io.recsys.state.testing.RedisServerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Against a real redis-server started by the test. */
class RedisHistoryStoreTest extends HistoryStoreContract {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();
  private static final String LENIENT = "?timeout-ms=5000";

  /**
   * The tests share one server: each starts from an empty one. Calls may wait 5 s: the tests run on
   * shared, busy machines (the 50 ms default is a serving budget; an outage fails at once anyway).
   */
  @Override
  protected HistoryStore open(int maxPerUser) {
    HistoryStore store = HistoryStores.open(redis.url() + LENIENT, maxPerUser, 1);
    flush();
    return store;
  }

  private static void flush() {
    try (var client = io.lettuce.core.RedisClient.create(redis.url()); var c = client.connect()) {
      c.sync().flushall();
    }
  }

  @Test
  void gatewaysSharingRedisSeeEachOthersEventsAndSeedOnce() throws Exception {
    try (HistoryStore a = open(10); HistoryStore b = HistoryStores.open(redis.url() + LENIENT, 10, 1)) {
      a.append("u", List.of(Records.event("i1", EventType.PURCHASE, 1)));
      assertThat(b.recent("u")).extracting(Event::getItemId).containsExactly("i1");
      Map<String, List<Event>> seed = Map.of("s", List.of(Records.event("x", EventType.VIEW, 1)));
      a.seed("bundle-7", seed);
      b.seed("bundle-7", seed);
      assertThat(b.size("s")).isEqualTo(1);
    }
  }

  @Test
  void historiesExpireAfterTheirTtl() throws Exception {
    try (HistoryStore store = HistoryStores.open(redis.url() + LENIENT + "&ttl-hours=2", 10, 1);
         var client = io.lettuce.core.RedisClient.create(redis.url()); var c = client.connect()) {
      store.append("ttl-user", List.of(Records.event("i1", EventType.VIEW, 1)));
      long ttlMs = c.sync().pttl(RedisHistoryStore.KEY_PREFIX + "ttl-user");
      assertThat(ttlMs).isBetween(2 * 3_600_000L - 60_000, 2 * 3_600_000L);
    }
  }

  @Test
  void failsFastWhileRedisIsDownAndRecoversByItself() throws Exception {
    try (HistoryStore store = open(10)) {
      store.append("u", List.of(Records.event("i1", EventType.VIEW, 1)));
      redis.stop();
      long start = System.nanoTime();
      assertThatThrownBy(() -> store.recent("u")).isInstanceOf(HistoryUnavailableException.class)
          .hasMessageContaining(redis.url());
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000);
      redis.startAgain();
      // the data died with the server (no persistence in tests); the store answers again without help
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (true) {
        try {
          store.append("u", List.of(Records.event("i2", EventType.VIEW, 2)));
          break;
        } catch (HistoryUnavailableException notYet) {
          assertThat(System.nanoTime()).isLessThan(deadline);
          Thread.sleep(50);
        }
      }
      assertThat(store.recent("u")).extracting(Event::getItemId).containsExactly("i2");
    }
  }

  @Test
  void aStoreOpenedBeforeItsRedisIsUpConnectsByItselfAndLoadsThePendingSeed() throws Exception {
    redis.stop();
    try (HistoryStore store = HistoryStores.open(redis.url() + LENIENT, 10, 1)) {
      store.seed("bundle-9", Map.of("seeded", List.of(Records.event("s1", EventType.VIEW, 1))));
      assertThatThrownBy(() -> store.recent("seeded")).isInstanceOf(HistoryUnavailableException.class)
          .hasMessageContaining(redis.url()).hasMessageContaining("cannot connect");
      redis.startAgain();
      long deadline = System.nanoTime() + 10_000_000_000L;
      List<Event> seeded = List.of();
      while (seeded.isEmpty()) {
        assertThat(System.nanoTime()).as("connected and seeded within 10 s").isLessThan(deadline);
        Thread.sleep(50);
        try {
          seeded = store.recent("seeded");
        } catch (HistoryUnavailableException notYet) {
          // still connecting
        }
      }
      assertThat(seeded).extracting(Event::getItemId).containsExactly("s1");
    }
  }
}
