package io.recsys.state.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.state.testing.Records;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every history store must do; each implementation's test extends this. */
public abstract class HistoryStoreContract {

  /** A new, empty store keeping {@code maxPerUser} events per user. */
  protected abstract HistoryStore open(int maxPerUser) throws Exception;

  private static Event view(String item, long ts) {
    return Records.event(item, EventType.VIEW, ts);
  }

  @Test
  void keepsTheNewestEventsInTimeOrder() throws Exception {
    try (HistoryStore store = open(3)) {
      assertThat(store.append("u", List.of(view("a", 10), view("b", 30)))).isEqualTo(2);
      // a late event lands in time order
      assertThat(store.append("u", List.of(view("c", 20)))).isEqualTo(3);
      assertThat(store.recent("u")).extracting(Event::getItemId).containsExactly("a", "c", "b");
      assertThat(store.append("u", List.of(view("d", 40)))).isEqualTo(3);
      assertThat(store.recent("u")).extracting(Event::getItemId).containsExactly("c", "b", "d");
      assertThat(store.size("u")).isEqualTo(3);
      assertThat(store.recent("nobody")).isEmpty();
      assertThat(store.size("nobody")).isZero();
    }
  }

  @Test
  void keepsEveryFieldOfAnEvent() throws Exception {
    Event watch = Event.newBuilder().setItemId("i9").setType(EventType.WATCH).setTimestampMs(5).setValue(42.5).build();
    Event search = Event.newBuilder().setType(EventType.SEARCH).setQuery("red shoes").setTimestampMs(6).build();
    try (HistoryStore store = open(10)) {
      store.append("u", List.of(watch, search));
      assertThat(store.recent("u")).containsExactly(watch, search);
    }
  }

  @Test
  void seededHistoriesAreRead() throws Exception {
    try (HistoryStore store = open(10)) {
      store.seed("v1", Map.of("u1", List.of(view("i1", 100), Records.event("i2", EventType.PURCHASE, 200)),
          "u2", List.of(view("i3", 150))));
      assertThat(store.recent("u1")).extracting(Event::getType).containsExactly(EventType.VIEW, EventType.PURCHASE);
      assertThat(store.recent("u2")).extracting(Event::getItemId).containsExactly("i3");
      store.append("u1", List.of(view("i4", 300)));
      assertThat(store.size("u1")).isEqualTo(3);
    }
  }

  @Test
  void concurrentAppendsLoseNothing() throws Exception {
    try (HistoryStore store = open(10_000);
         ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 500; i++) {
            store.append("shared", List.of(view("t" + thread + "-" + i, i)));
            store.recent("shared");
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      List<Event> all = store.recent("shared");
      assertThat(all).hasSize(2_000);
      assertThat(all).extracting(Event::getTimestampMs).isSorted();
    }
  }
}
