package io.recsys.gateway.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserHistoryStoreTest {

  @TempDir
  Path dir;

  private static Event view(String item, long ts) {
    return Event.newBuilder().setItemId(item).setType(EventType.VIEW).setTimestampMs(ts).build();
  }

  @Test
  void keepsTheNewestEventsInTimeOrder() {
    UserHistoryStore store = new UserHistoryStore(3, 1000);
    store.append("u", List.of(view("a", 10), view("b", 30)));
    // a late event lands in time order
    assertThat(store.append("u", List.of(view("c", 20)))).isEqualTo(3);
    assertThat(store.recent("u")).extracting(Event::getItemId).containsExactly("a", "c", "b");
    assertThat(store.append("u", List.of(view("d", 40)))).isEqualTo(3);
    assertThat(store.recent("u")).extracting(Event::getItemId).containsExactly("c", "b", "d");
    assertThat(store.recent("nobody")).isEmpty();
    assertThat(store.size("nobody")).isZero();
  }

  @Test
  void seededFromTheBundlesRecentHistory() throws IOException {
    Path tsv = dir.resolve("recent_history.tsv");
    Files.writeString(tsv, "user_id\titem_id\ttype\ttimestamp_ms\tvalue\n"
        + "u1\ti1\tVIEW\t100\t0\nu1\ti2\tPURCHASE\t200\t1\nu2\ti3\tWATCH\t150\t42.5\n");
    UserHistoryStore store = UserHistoryStore.seeded(tsv, 10, 1000);
    assertThat(store.users()).isEqualTo(2);
    assertThat(store.recent("u1")).extracting(Event::getType).containsExactly(EventType.VIEW, EventType.PURCHASE);
    assertThat(store.recent("u2").getFirst().getValue()).isEqualTo(42.5);
    assertThat(UserHistoryStore.seeded(dir.resolve("absent.tsv"), 10, 1000).users()).isZero();
  }

  @Test
  void aBadSeedNamesTheLine() throws IOException {
    Path tsv = dir.resolve("recent_history.tsv");
    Files.writeString(tsv, "user_id\titem_id\ttype\ttimestamp_ms\tvalue\nu1\ti1\tLIKE\t100\t0\n");
    assertThatThrownBy(() -> UserHistoryStore.seeded(tsv, 10, 1000)).hasMessageContaining(":2: unknown event type 'LIKE'");
  }

  @Test
  void concurrentAppendsLoseNothing() throws Exception {
    UserHistoryStore store = new UserHistoryStore(10_000, 1000);
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 1_000; i++) {
            store.append("shared", List.of(view("t" + thread + "-" + i, i)));
            store.recent("shared");
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    List<Event> all = store.recent("shared");
    assertThat(all).hasSize(4_000);
    assertThat(all).extracting(Event::getTimestampMs).isSorted();
  }

  @Test
  void keepsAtMostMaxUsersDroppingTheLeastRecentlyUsed() {
    UserHistoryStore store = new UserHistoryStore(5, 3);
    Event view = Event.newBuilder().setItemId("i1").setType(EventType.VIEW).setTimestampMs(1).build();
    store.append("a", List.of(view));
    store.append("b", List.of(view));
    store.append("c", List.of(view));
    store.recent("a");                       // a is used again: b is now the least recently used
    store.append("d", List.of(view));
    assertThat(store.users()).isEqualTo(3);
    assertThat(store.size("b")).isZero();
    assertThat(store.size("a")).isEqualTo(1);
    assertThat(store.size("d")).isEqualTo(1);
  }
}
