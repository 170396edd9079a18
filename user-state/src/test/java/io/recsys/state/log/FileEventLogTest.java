package io.recsys.state.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.api.v1.EventRecord;
import io.recsys.api.v1.EventType;
import io.recsys.state.testing.Records;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileEventLogTest extends EventLogContract {

  @TempDir
  Path dir;

  @Override
  protected EventLog open() throws IOException {
    return FileEventLog.open(dir, FsyncPolicy.EVERY_BATCH, FileEventLog.DEFAULT_SEGMENT_BYTES);
  }

  @Override
  protected EventLogReader reader() {
    return EventLogs.reader("file:" + dir);
  }

  private static EventRecord click(int i) {
    return Records.feedback("u", "r" + i, Records.event("i" + i, EventType.CLICK, 1000L + i));
  }

  private void appendClicks(EventLog log, int from, int to) throws Exception {
    for (int i = from; i < to; i++) {
      log.append(click(i)).get(10, TimeUnit.SECONDS);
    }
  }

  private List<EventRecord> read(List<String> warnings) throws IOException {
    List<EventRecord> out = new ArrayList<>();
    warnings.addAll(reader().readAll(out::add).warnings());
    return out;
  }

  private Path lastSegment() throws IOException {
    return Segments.list(dir).getLast();
  }

  @Test
  void rotatesIntoNewSegmentsAndReadsThemAllInOrder() throws Exception {
    try (EventLog log = FileEventLog.open(dir, FsyncPolicy.EVERY_BATCH, 1024)) {
      appendClicks(log, 0, 100);
    }
    List<Path> segments = Segments.list(dir);
    assertThat(segments.size()).isGreaterThan(3);
    for (Path s : segments) {
      assertThat(Files.size(s)).isLessThanOrEqualTo(1024);
    }
    List<String> warnings = new ArrayList<>();
    assertThat(read(warnings)).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 100).mapToObj(FileEventLogTest::click).toList());
    assertThat(warnings).isEmpty();
  }

  @Test
  void aTornLastRecordIsSkippedWithAWarningAndEverythingBeforeItIsRead() throws Exception {
    try (EventLog log = open()) {
      appendClicks(log, 0, 20);
    }
    Path segment = lastSegment();
    long size = Files.size(segment);
    // a crash in the middle of writing the 20th record: its last 5 bytes never reached the disk
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      f.setLength(size - 5);
    }
    List<String> warnings = new ArrayList<>();
    List<EventRecord> records = read(warnings);
    assertThat(records).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 19).mapToObj(FileEventLogTest::click).toList());
    assertThat(warnings).singleElement().asString().contains("torn record at byte").contains("19 records before it are read");

    // the writer cuts the torn tail off and continues after the last complete record
    try (EventLog log = open()) {
      appendClicks(log, 100, 102);
    }
    warnings.clear();
    assertThat(read(warnings)).hasSize(21).last().isEqualTo(click(101));
    assertThat(warnings).isEmpty();
  }

  @Test
  void aLastRecordWithABadChecksumIsSkipped() throws Exception {
    try (EventLog log = open()) {
      appendClicks(log, 0, 3);
    }
    Path segment = lastSegment();
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      f.seek(f.length() - 1);
      int last = f.read();
      f.seek(f.length() - 1);
      f.write(last ^ 0xff);
    }
    List<String> warnings = new ArrayList<>();
    assertThat(read(warnings)).containsExactly(click(0), click(1));
    assertThat(warnings).singleElement().asString().contains("checksum does not match");
  }

  @Test
  void aHalfWrittenFrameHeaderAndGarbageLengthsAreTornToo() throws Exception {
    try (EventLog log = open()) {
      appendClicks(log, 0, 2);
    }
    Path segment = lastSegment();
    Files.write(segment, new byte[] {0, 0, 1}, java.nio.file.StandardOpenOption.APPEND);
    List<String> warnings = new ArrayList<>();
    assertThat(read(warnings)).hasSize(2);
    assertThat(warnings).singleElement().asString().contains("cut short");

    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      f.setLength(f.length() - 3);
      f.seek(f.length());
      f.writeInt(Integer.MAX_VALUE);
      f.writeInt(0);
    }
    warnings.clear();
    assertThat(read(warnings)).hasSize(2);
    assertThat(warnings).singleElement().asString().contains("impossible record length");
  }

  @Test
  void oneGatewayPerDirectory() throws Exception {
    try (EventLog first = open()) {
      assertThatThrownBy(this::open).isInstanceOf(IOException.class)
          .hasMessageContaining("in use by another gateway");
    }
    open().close();
  }

  @Test
  void theIntervalPolicyAcknowledgesWritesAndSyncsThemLater() throws Exception {
    try (EventLog log = FileEventLog.open(dir, new FsyncPolicy(Duration.ofMillis(20)), FileEventLog.DEFAULT_SEGMENT_BYTES)) {
      assertThat(log.describe()).contains("fsync every 20 ms");
      appendClicks(log, 0, 10);
      assertThat(read(new ArrayList<>())).hasSize(10);
    }
  }

  @Test
  void specsAreParsedAndBadOnesNamed() {
    assertThat(FsyncPolicy.parse("batch").everyBatch()).isTrue();
    assertThat(FsyncPolicy.parse("250ms").interval()).isEqualTo(Duration.ofMillis(250));
    assertThatThrownBy(() -> FsyncPolicy.parse("sometimes")).hasMessageContaining("use 'batch'");
    assertThatThrownBy(() -> EventLogs.open("file:" + dir + "?fsinc=batch")).hasMessageContaining("unknown option 'fsinc=batch'");
    assertThatThrownBy(() -> EventLogs.open("ftp://x")).hasMessageContaining("use file:DIR");
    assertThatThrownBy(() -> EventLogs.open(dir.toString())).hasMessageContaining("has no scheme");
  }
}
