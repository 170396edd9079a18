package io.recsys.bench;

import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventRecord;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.ServedAnswer;
import io.recsys.api.v1.ServedItem;
import io.recsys.state.history.HistoryStore;
import io.recsys.state.history.HistoryStores;
import io.recsys.state.log.EventLog;
import io.recsys.state.log.EventLogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * What user state adds to one Recommend call, as the gateway does it: one history read of a user
 * (50 stored events, among 10,000 users) and the answer's record built and appended to the
 * {@code file:} event log without waiting (default fsync policy; the writer commits it with its
 * group). One caller: the latency one request pays. Percentiles from JMH's sample mode.
 * {@code store=embedded} by default; for Redis start one and pass its URL:
 * {@code redis-server --port 6390 --save '' & bench/run UserStateBenchmark -p store=redis://localhost:6390}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class UserStateBenchmark {

  private static final int USERS = 10_000;
  private static final int EVENTS = 50;

  @Param({"embedded"})
  String store;

  private HistoryStore history;
  private EventLog log;
  private Path dir;

  @Setup(Level.Trial)
  public void open() throws IOException {
    history = HistoryStores.open(store, 200, 1_000_000);
    long now = System.currentTimeMillis();
    for (int u = 0; u < USERS; u++) {
      List<Event> events = new ArrayList<>(EVENTS);
      for (int e = 0; e < EVENTS; e++) {
        events.add(Event.newBuilder().setItemId(String.format("i%05d", (u * 31 + e * 7) % 3000))
            .setType(EventType.VIEW).setTimestampMs(now - (EVENTS - e) * 60_000L).build());
      }
      history.append(user(u), events);
    }
    dir = Files.createTempDirectory("recsys-user-state-bench");
    log = EventLogs.open("file:" + dir);
  }

  private static String user(int u) {
    return String.format("bench-u%05d", u);
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    log.close();
    history.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Benchmark
  public Object historyReadAndAnswerAppend() {
    String user = user(ThreadLocalRandom.current().nextInt(USERS));
    List<Event> events = history.recent(user);
    ServedAnswer.Builder a = ServedAnswer.newBuilder().setRequestId("0f8e7a52-4c1d-4b7e-9a55-3c2d1e0f9a8b")
        .setArm("control").setBundleVersion("20261202-1200").setModelVersion("20261202-1200").setK(10);
    for (int i = 0; i < 10; i++) {
      a.addItems(ServedItem.newBuilder().setItemId(events.get(i).getItemId()).setPosition(i).setScore(0.9 - i * 0.01)
          .addSources("two_tower"));
    }
    return log.append(EventRecord.newBuilder().setSchemaVersion(1).setLoggedAtMs(System.currentTimeMillis())
        .setUserId(user).setAnswer(a).build());
  }
}
