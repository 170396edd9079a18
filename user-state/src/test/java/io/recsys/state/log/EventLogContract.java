package io.recsys.state.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.api.v1.EventRecord;
import io.recsys.api.v1.EventType;
import io.recsys.state.testing.Records;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What every event log implementation must do; each implementation's test extends this. */
public abstract class EventLogContract {

  /** Generous: a broker on a shared, busy test machine can stall for seconds. */
  protected static final long ACK_SECONDS = 120;

  /** Opens the log under test; a second call opens the same log again (as a restarted gateway would). */
  protected abstract EventLog open() throws Exception;

  /** Reads the whole log the way a separate reader (online report, training) would. */
  protected abstract EventLogReader reader() throws Exception;

  private static List<EventRecord> readAll(EventLogReader reader) throws Exception {
    List<EventRecord> out = new ArrayList<>();
    reader.readAll(out::add);
    return out;
  }

  @Test
  void appendedRecordsAreReadBackInOrder() throws Exception {
    List<EventRecord> written = new ArrayList<>();
    try (EventLog log = open()) {
      for (int i = 0; i < 50; i++) {
        EventRecord r = i % 5 == 0
            ? Records.answer("u1", "r" + i, "control", "two_tower", "i" + i, "i" + (i + 1))
            : Records.feedback("u1", "r" + (i - i % 5), Records.event("i" + i, EventType.CLICK, 1000 + i));
        written.add(r);
        log.append(r).get(ACK_SECONDS, TimeUnit.SECONDS);
      }
    }
    assertThat(readAll(reader())).containsExactlyElementsOf(written);
  }

  @Test
  void concurrentAppendsAreAllDurableOnceAcknowledged() throws Exception {
    int threads = 16;
    int each = 200;
    try (EventLog log = open()) {
      List<Thread> workers = new ArrayList<>();
      List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
      for (int t = 0; t < threads; t++) {
        String user = "user-" + t;
        workers.add(Thread.ofVirtual().start(() -> {
          for (int i = 0; i < each; i++) {
            try {
              log.append(Records.feedback(user, "", Records.event("i" + i, EventType.VIEW, i))).get(ACK_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
              failures.add(e);
            }
          }
        }));
      }
      for (Thread w : workers) {
        w.join();
      }
      assertThat(failures).isEmpty();
      // acknowledged means readable, before close
      List<EventRecord> read = readAll(reader());
      assertThat(read).hasSize(threads * each);
      Map<String, List<Long>> perUser = read.stream().collect(Collectors.groupingBy(EventRecord::getUserId,
          Collectors.mapping(r -> r.getFeedback().getEvents(0).getTimestampMs(), Collectors.toList())));
      assertThat(perUser).hasSize(threads);
      // each user's records in the order that user appended them
      perUser.values().forEach(ts -> assertThat(ts).isSorted().hasSize(each));
    }
  }

  @Test
  void aReopenedLogKeepsEverythingAndAppendsAfterIt() throws Exception {
    try (EventLog log = open()) {
      log.append(Records.feedback("u", "", Records.event("a", EventType.VIEW, 1))).get(ACK_SECONDS, TimeUnit.SECONDS);
    }
    try (EventLog log = open()) {
      log.append(Records.feedback("u", "", Records.event("b", EventType.PURCHASE, 2))).get(ACK_SECONDS, TimeUnit.SECONDS);
      Set<String> items = new HashSet<>();
      log.readAll(r -> items.add(r.getFeedback().getEvents(0).getItemId()));
      assertThat(items).containsExactlyInAnyOrder("a", "b");
    }
  }

  @Test
  void unacknowledgedAppendsCompleteByClose() throws Exception {
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    try (EventLog log = open()) {
      for (int i = 0; i < 500; i++) {
        pending.add(log.append(Records.answer("u" + i, "r" + i, "treatment", "popular", "x")));
      }
    }
    for (CompletableFuture<Void> f : pending) {
      assertThat(f).isCompleted().isNotCompletedExceptionally();
    }
    assertThat(readAll(reader())).hasSize(500);
  }

  @Test
  void appendsAfterCloseFail() throws Exception {
    EventLog log = open();
    log.close();
    CompletableFuture<Void> late = log.append(Records.feedback("u", "", Records.event("a", EventType.VIEW, 1)));
    assertThatThrownBy(() -> late.get(ACK_SECONDS, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasMessageContaining("closed");
  }
}
