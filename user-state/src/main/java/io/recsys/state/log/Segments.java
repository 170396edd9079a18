package io.recsys.state.log;

import io.recsys.api.v1.EventRecord;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk format of a {@code file:} event log: a directory of segment files
 * {@code 00000000000000000001.events}, {@code ...2.events}, ..., each a header ({@code RSEVENTS} and a
 * format version) followed by frames: payload length (int32, big endian), CRC32C of the payload
 * (int32), payload (a serialized {@link EventRecord}). A frame is valid only when its length is
 * sane, all its bytes are there and its checksum matches; the first invalid frame ends a segment
 * (a write the process did not finish before it died).
 */
public final class Segments {

  private static final Logger log = LoggerFactory.getLogger(Segments.class);

  static final byte[] MAGIC = "RSEVENTS".getBytes(StandardCharsets.US_ASCII);
  static final int FORMAT_VERSION = 1;
  static final int HEADER_BYTES = MAGIC.length + Integer.BYTES;
  static final int FRAME_OVERHEAD = 2 * Integer.BYTES;
  /** No record comes near this; a larger length field is damage. */
  static final int MAX_RECORD_BYTES = 16 << 20;
  /** Readers skip records of a newer schema than they know. */
  static final int SCHEMA_VERSION = 1;

  private static final String SUFFIX = ".events";

  private Segments() {}

  static Path file(Path dir, long number) {
    return dir.resolve(String.format("%020d%s", number, SUFFIX));
  }

  static long number(Path segment) {
    String name = segment.getFileName().toString();
    return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
  }

  /** The segments of a log directory, oldest first; empty when there is none (or no directory). */
  static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().matches("\\d{20}" + java.util.regex.Pattern.quote(SUFFIX)))
          .sorted()
          .toList();
    }
  }

  static ByteBuffer header() {
    return ByteBuffer.allocate(HEADER_BYTES).put(MAGIC).putInt(FORMAT_VERSION).flip();
  }

  /** Writes one frame into {@code out}, which must have {@code FRAME_OVERHEAD + payload.length} bytes left. */
  static void frame(byte[] payload, ByteBuffer out) {
    CRC32C crc = new CRC32C();
    crc.update(payload);
    out.putInt(payload.length).putInt((int) crc.getValue()).put(payload);
  }

  /** Reads a whole log directory; see {@link EventLogReader#readAll}. */
  static EventLogReader.ReadResult readAll(Path dir, Consumer<EventRecord> sink) throws IOException {
    long records = 0;
    List<String> warnings = new ArrayList<>();
    for (Path segment : list(dir)) {
      Scan scan = scan(segment, sink);
      records += scan.records();
      warnings.addAll(scan.warnings());
    }
    return new EventLogReader.ReadResult(records, warnings);
  }

  /**
   * @param validBytes where the last valid frame ends: a writer continues the segment from there
   * @param records records handed to the sink
   */
  record Scan(long validBytes, long records, List<String> warnings) {}

  /** Reads one segment's valid frames into the sink (null: only find where they end). */
  static Scan scan(Path segment, Consumer<EventRecord> sink) throws IOException {
    long size = Files.size(segment);
    List<String> warnings = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(segment);
         java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16))) {
      if (size < HEADER_BYTES) {
        warn(warnings, segment + ": " + size + " bytes, shorter than a segment header (a crash while"
            + " creating it); no records in it");
        return new Scan(0, 0, warnings);
      }
      byte[] magic = in.readNBytes(MAGIC.length);
      int version = in.readInt();
      if (!java.util.Arrays.equals(magic, MAGIC) || version != FORMAT_VERSION) {
        throw new IOException(segment + " is not an event log segment of format " + FORMAT_VERSION
            + " (header " + new String(magic, StandardCharsets.US_ASCII) + " version " + version + ")");
      }
      long offset = HEADER_BYTES;
      long records = 0;
      long newerSchema = 0;
      CRC32C crc = new CRC32C();
      while (offset < size) {
        long left = size - offset;
        String damage = null;
        byte[] payload = null;
        if (left < FRAME_OVERHEAD) {
          damage = "a frame header cut short";
        } else {
          int length = in.readInt();
          int checksum = in.readInt();
          if (length <= 0 || length > MAX_RECORD_BYTES) {
            damage = "an impossible record length " + length;
          } else if (left - FRAME_OVERHEAD < length) {
            damage = "a record of " + length + " bytes with only " + (left - FRAME_OVERHEAD) + " written";
          } else {
            payload = in.readNBytes(length);
            crc.reset();
            crc.update(payload);
            if ((int) crc.getValue() != checksum) {
              damage = "a record whose checksum does not match";
            }
          }
        }
        if (damage != null) {
          warn(warnings, segment + ": torn record at byte " + offset + " (" + damage + "; " + left
              + " bytes to the end, a write cut short by a crash): skipped with the rest of the segment; the "
              + records + " records before it are read");
          return new Scan(offset, records, warnings);
        }
        offset += FRAME_OVERHEAD + payload.length;
        if (sink != null) {
          EventRecord record = parse(segment, offset, payload);
          if (record.getSchemaVersion() > SCHEMA_VERSION) {
            newerSchema++;
            continue;
          }
          sink.accept(record);
        }
        records++;
      }
      if (newerSchema > 0) {
        warn(warnings, segment + ": " + newerSchema + " records of a schema newer than " + SCHEMA_VERSION
            + " skipped (read them with a newer recsys)");
      }
      return new Scan(offset, records, warnings);
    }
  }

  private static EventRecord parse(Path segment, long end, byte[] payload) throws IOException {
    try {
      return EventRecord.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      // the checksum matched, so the writer wrote these bytes: not damage but a bug worth stopping for
      throw new IOException(segment + ": the record ending at byte " + end + " is not an EventRecord: "
          + e.getMessage(), e);
    }
  }

  private static void warn(List<String> warnings, String message) {
    log.warn("event log {}", message);
    warnings.add(message);
  }
}
