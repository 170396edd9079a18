package io.recsys.common.catalog;

import com.google.protobuf.InvalidProtocolBufferException;
import io.recsys.api.v1.CatalogRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The catalog log as one append-only file {@code catalog.log} of CatalogRecords, each framed as
 * [length, CRC32C, protobuf bytes], for servers that share a file system (one host, or a shared
 * volume). Positions are byte offsets.
 *
 * <p>An append holds an exclusive file lock (gateway replicas on one host or a shared volume may
 * append concurrently), numbers its records after the last one in the file and returns only after
 * {@code force}: an acknowledged upsert or delete survives a crash. A torn record at the end (a
 * crash mid-write) is invisible to readers and cut off by the next append.
 */
public final class FileCatalogLog implements CatalogLog {

  public static final String FILE = "catalog.log";
  /** Frame header: record length and checksum. */
  private static final int HEADER = 8;
  /** Sanity bound on one record (an item with a long text is a few KB). */
  private static final int MAX_RECORD_BYTES = 1 << 20;

  private final Path dir;
  private final Path file;
  /** Where this writer's last append ended, and its sequence: the next append reads on from there. */
  private long endOffset;
  private long endSequence;

  public FileCatalogLog(Path dir) {
    this.dir = dir;
    this.file = dir.resolve(FILE);
  }

  /**
   * The default place of the log: the directory {@code catalog} beside the bundle root (the
   * {@code --bundle} path when it is a root of versioned bundles, else the bundle's parent), so
   * every server started with the same bundles finds the same log whichever form it was given.
   */
  public static Path defaultDir(Path bundlePath) {
    Path p = bundlePath.toAbsolutePath().normalize();
    Path root = Files.isRegularFile(p.resolve(io.recsys.common.bundle.BundleLayout.MANIFEST)) ? p.getParent() : p;
    return root.resolveSibling("catalog");
  }

  public Path dir() {
    return dir;
  }

  @Override
  public String describe() {
    return file.toString();
  }

  @Override
  public synchronized long append(List<CatalogRecord> changes, long nowMs) throws IOException {
    Files.createDirectories(dir);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
         FileLock lock = ch.lock()) {
      if (ch.size() < endOffset) {
        endOffset = 0;
        endSequence = 0;
      }
      // other writers may have appended since: read on to the end
      Batch existing = read(ch, endOffset);
      if (existing.nextOffset() < ch.size()) {
        ch.truncate(existing.nextOffset());
      }
      long sequence = existing.records().isEmpty() ? endSequence
          : existing.records().get(existing.records().size() - 1).getSequence();
      ch.position(existing.nextOffset());
      for (CatalogRecord change : changes) {
        byte[] bytes = change.toBuilder().setSchemaVersion(1).setSequence(++sequence)
            .setLoggedAtMs(nowMs).build().toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        ByteBuffer frame = ByteBuffer.allocate(HEADER + bytes.length);
        frame.putInt(bytes.length).putInt((int) crc.getValue()).put(bytes).flip();
        while (frame.hasRemaining()) {
          ch.write(frame);
        }
      }
      ch.force(false);
      endOffset = ch.position();
      endSequence = sequence;
      return sequence;
    }
  }

  /** The complete records from {@code offset} on (none when the log does not exist yet). */
  @Override
  public Batch read(long offset) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(ch, offset);
    } catch (NoSuchFileException e) {
      return new Batch(List.of(), offset);
    }
  }

  private Batch read(FileChannel ch, long offset) throws IOException {
    long size = ch.size();
    List<CatalogRecord> records = new ArrayList<>();
    ByteBuffer header = ByteBuffer.allocate(HEADER);
    long at = offset;
    while (at + HEADER <= size) {
      header.clear();
      readFully(ch, header, at);
      int length = header.getInt(0);
      int crc = header.getInt(4);
      if (length < 0 || length > MAX_RECORD_BYTES || at + HEADER + length > size) {
        break;
      }
      ByteBuffer body = ByteBuffer.allocate(length);
      readFully(ch, body, at + HEADER);
      CRC32C check = new CRC32C();
      check.update(body.array());
      if ((int) check.getValue() != crc) {
        break;
      }
      try {
        records.add(CatalogRecord.parseFrom(body.array()));
      } catch (InvalidProtocolBufferException e) {
        break;
      }
      at += HEADER + length;
    }
    return new Batch(records, at);
  }

  private static void readFully(FileChannel ch, ByteBuffer into, long position) throws IOException {
    while (into.hasRemaining()) {
      if (ch.read(into, position + into.position()) < 0) {
        throw new IOException("catalog log ended while reading a record");
      }
    }
  }

  @Override
  public void close() {
    // nothing held between calls: each append and read opens the file
  }
}
