package io.recsys.bench;

import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventRecord;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.LoggedFeedback;
import io.recsys.api.v1.ServedAnswer;
import io.recsys.api.v1.ServedItem;
import io.recsys.state.log.EventLog;
import io.recsys.state.log.EventLogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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
 * The {@code file:} event log on this machine's disk: appends per second when each caller waits
 * until its record is durable, as Feedback does (64 concurrent callers: group commit makes them
 * share fsyncs), for a Feedback record and for a 10-item Recommend answer. {@code fsync=batch} is
 * the default policy; {@code 5ms} the interval policy. Run: {@code bench/run EventLogBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(64)
public class EventLogBenchmark {

  @Param({"batch", "5ms"})
  String fsync;

  private Path dir;
  private EventLog log;
  private EventRecord feedback;
  private EventRecord answer;

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory("recsys-event-log-bench");
    log = EventLogs.open("file:" + dir + "?fsync=" + fsync);
    long now = System.currentTimeMillis();
    feedback = EventRecord.newBuilder().setSchemaVersion(1).setLoggedAtMs(now).setUserId("u00001")
        .setFeedback(LoggedFeedback.newBuilder().setRequestId("0f8e7a52-4c1d-4b7e-9a55-3c2d1e0f9a8b").setArm("control")
            .addEvents(Event.newBuilder().setItemId("i00010").setType(EventType.PURCHASE).setTimestampMs(now)))
        .build();
    ServedAnswer.Builder a = ServedAnswer.newBuilder().setRequestId("0f8e7a52-4c1d-4b7e-9a55-3c2d1e0f9a8b")
        .setArm("treatment").setBundleVersion("20261202-1200").setModelVersion("20261202-1200").setK(10);
    for (int i = 0; i < 10; i++) {
      a.addItems(ServedItem.newBuilder().setItemId(String.format("i%05d", i * 37)).setPosition(i).setScore(0.9 - i * 0.01)
          .addSources("two_tower").addSources("popular"));
    }
    answer = EventRecord.newBuilder().setSchemaVersion(1).setLoggedAtMs(now).setUserId("u00001").setAnswer(a).build();
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    log.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Benchmark
  public void durableFeedback() throws Exception {
    log.append(feedback).get();
  }

  @Benchmark
  public void durableAnswer() throws Exception {
    log.append(answer).get();
  }
}
