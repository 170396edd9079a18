package io.recsys.state.log;

import io.recsys.state.Specs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Opens the event log an {@code --event-log} value names:
 * {@code file:DIR[?fsync=batch|<N>ms&segment-mb=N]} or {@code kafka://HOST:PORT[,HOST:PORT...]/TOPIC}.
 */
public final class EventLogs {

  private static final Set<String> FILE_OPTIONS = Set.of("fsync", "segment-mb");

  private EventLogs() {}

  public static EventLog open(String spec) throws IOException {
    Specs s = Specs.parse("--event-log", spec, FILE_OPTIONS);
    return switch (s.scheme()) {
      case "file" -> FileEventLog.open(dir(s), FsyncPolicy.parse(s.options().getOrDefault("fsync", "batch")),
          segmentBytes(s));
      case "kafka" -> KafkaEventLog.open(kafka(s).bootstrap(), kafka(s).topic());
      default -> throw unknownScheme(spec);
    };
  }

  /** A reader of the log (no lock, no writer): reading the log of a running gateway is fine. */
  public static EventLogReader reader(String spec) {
    Specs s = Specs.parse("--event-log", spec, FILE_OPTIONS);
    return switch (s.scheme()) {
      case "file" -> FileEventLog.reader(dir(s));
      case "kafka" -> KafkaEventLog.reader(kafka(s).bootstrap(), kafka(s).topic());
      default -> throw unknownScheme(spec);
    };
  }

  private static Path dir(Specs s) {
    if (s.location().isEmpty()) {
      throw new IllegalArgumentException("--event-log file: needs a directory, e.g. file:events");
    }
    return Path.of(s.location());
  }

  private static KafkaTopics.Location kafka(Specs s) {
    return KafkaTopics.Location.of("--event-log", s);
  }

  private static long segmentBytes(Specs s) {
    long mb = s.longOption("segment-mb", FileEventLog.DEFAULT_SEGMENT_BYTES >> 20);
    if (mb < 1) {
      throw new IllegalArgumentException("--event-log segment-mb must be at least 1, got " + mb);
    }
    return mb << 20;
  }

  private static IllegalArgumentException unknownScheme(String spec) {
    return new IllegalArgumentException("--event-log '" + spec + "': use file:DIR or kafka://HOST:PORT/TOPIC");
  }
}
