package io.recsys.state.log;

import io.recsys.api.v1.EventRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded event log: append-only segment files in one directory (format in {@link Segments}),
 * written by one thread. Appends queue up while the writer is busy; the writer takes everything
 * queued, writes it with one call and forces it to disk once (group commit), so N concurrent
 * appends cost one fsync. A segment that reaches its size limit is closed and the next one begun.
 * At open, a torn last record (the process died mid-write) is cut off with a warning, so new
 * records follow the last complete one. One process per directory (a lock file says so).
 */
public final class FileEventLog implements EventLog {

  private static final Logger log = LoggerFactory.getLogger(FileEventLog.class);

  public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
  /** Appends waiting for the writer; beyond it append blocks (back pressure rather than a growing heap). */
  private static final int QUEUE_CAPACITY = 100_000;
  private static final int MAX_BATCH = 4096;

  private final Path dir;
  private final FsyncPolicy policy;
  private final long segmentBytes;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
  private final Thread writer;
  private volatile boolean closed;

  // owned by the writer thread
  private FileChannel segment;
  private long segmentNumber;
  private long segmentSize;
  private long lastSyncNanos = System.nanoTime();
  private boolean unsynced;
  private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);

  private record Pending(byte[] payload, CompletableFuture<Void> done) {}

  /** Queued by close(): the writer commits what is before it and stops. */
  private static final Pending CLOSE = new Pending(new byte[0], new CompletableFuture<>());

  private FileEventLog(Path dir, FsyncPolicy policy, long segmentBytes) throws IOException {
    if (segmentBytes < Segments.HEADER_BYTES + Segments.FRAME_OVERHEAD + 1) {
      throw new IllegalArgumentException("segment size " + segmentBytes + " bytes is too small");
    }
    this.dir = dir;
    this.policy = policy;
    this.segmentBytes = segmentBytes;
    Files.createDirectories(dir);
    this.lockChannel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock acquired;
    try {
      acquired = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      acquired = null;
    }
    if (acquired == null) {
      lockChannel.close();
      throw new IOException("event log " + dir + " is in use by another gateway; give each gateway its own"
          + " --event-log directory (or share a kafka:// log)");
    }
    this.lock = acquired;
    try {
      openLastSegment();
    } catch (IOException | RuntimeException e) {
      releaseLock();
      throw e;
    }
    this.writer = Thread.ofPlatform().name("event-log-writer").daemon().start(this::writeLoop);
  }

  /** Opens (creating it if needed) the log in {@code dir}; ready to append after its last complete record. */
  public static FileEventLog open(Path dir, FsyncPolicy policy, long segmentBytes) throws IOException {
    return new FileEventLog(dir, policy, segmentBytes);
  }

  /** Reads a log directory without opening it for writing (e.g. the log of a running gateway). */
  public static EventLogReader reader(Path dir) {
    return sink -> Segments.readAll(dir, sink);
  }

  public Path dir() {
    return dir;
  }

  @Override
  public CompletableFuture<Void> append(EventRecord record) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (closed) {
      return CompletableFuture.failedFuture(new IOException("event log " + dir + " is closed"));
    }
    try {
      queue.put(new Pending(record.toByteArray(), done));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(e);
    }
    return done;
  }

  @Override
  public ReadResult readAll(Consumer<EventRecord> sink) throws IOException {
    return Segments.readAll(dir, sink);
  }

  @Override
  public String describe() {
    return "file:" + dir + " (" + policy + ", segments of " + (segmentBytes >> 20) + " MiB)";
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      queue.put(CLOSE);
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // an append that raced with close may sit behind the close marker
    IOException late = new IOException("event log " + dir + " is closed");
    for (Pending p; (p = queue.poll()) != null; ) {
      p.done().completeExceptionally(late);
    }
    try {
      segment.force(false);
      segment.close();
    } catch (IOException e) {
      log.warn("event log {}: closing the last segment failed: {}", dir, e.toString());
    }
    releaseLock();
  }

  private void releaseLock() {
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      log.warn("event log {}: releasing the lock failed: {}", dir, e.toString());
    }
  }

  /** Continues the newest segment after its last complete record, cutting off a torn tail. */
  private void openLastSegment() throws IOException {
    List<Path> segments = Segments.list(dir);
    if (segments.isEmpty()) {
      startSegment(1);
      return;
    }
    Path last = segments.getLast();
    Segments.Scan scan = Segments.scan(last, null);
    if (scan.validBytes() < Segments.HEADER_BYTES) {
      Files.delete(last);
      startSegment(Segments.number(last));
      return;
    }
    segmentNumber = Segments.number(last);
    segment = FileChannel.open(last, StandardOpenOption.WRITE);
    if (segment.size() > scan.validBytes()) {
      log.warn("event log {}: cutting {} bytes of a torn record off {} before appending", dir,
          segment.size() - scan.validBytes(), last.getFileName());
      segment.truncate(scan.validBytes());
      segment.force(true);
    }
    segmentSize = scan.validBytes();
    segment.position(segmentSize);
  }

  private void startSegment(long number) throws IOException {
    segmentNumber = number;
    segment = FileChannel.open(Segments.file(dir, number), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    ByteBuffer header = Segments.header();
    while (header.hasRemaining()) {
      segment.write(header);
    }
    segmentSize = Segments.HEADER_BYTES;
    segment.force(true);
    // the new file's directory entry must survive a power loss too
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  /** Never interrupted: an interrupt would close the FileChannel under it. close() queues {@link #CLOSE}. */
  private void writeLoop() {
    List<Pending> batch = new ArrayList<>(MAX_BATCH);
    while (true) {
      Pending first;
      try {
        first = queue.poll(pollMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        first = null;
      }
      if (first == null) {
        syncIfDue();
        continue;
      }
      batch.add(first);
      queue.drainTo(batch, MAX_BATCH - 1);
      int end = batch.indexOf(CLOSE);
      commit(end < 0 ? batch : batch.subList(0, end));
      batch.clear();
      if (end >= 0) {
        return;
      }
    }
  }

  private long pollMillis() {
    return policy.everyBatch() ? 1000 : Math.max(1, policy.interval().toMillis());
  }

  /** Writes the batch, forces it when the policy says so, and only then answers its appends. */
  private void commit(List<Pending> batch) {
    try {
      for (Pending p : batch) {
        int frame = Segments.FRAME_OVERHEAD + p.payload().length;
        if (segmentSize + buffer.position() + frame > segmentBytes && segmentSize + buffer.position() > Segments.HEADER_BYTES) {
          flush();
          rotate();
        }
        if (buffer.remaining() < frame) {
          flush();
          if (buffer.capacity() < frame) {
            buffer = ByteBuffer.allocateDirect(frame);
          }
        }
        Segments.frame(p.payload(), buffer);
      }
      flush();
      unsynced = true;
      if (policy.everyBatch()) {
        sync();
      } else {
        syncIfDue();
      }
    } catch (IOException | RuntimeException e) {
      log.error("event log {}: appending {} records failed", dir, batch.size(), e);
      IOException failure = new IOException("event log " + dir + ": append failed: " + e, e);
      batch.forEach(p -> p.done().completeExceptionally(failure));
      return;
    }
    batch.forEach(p -> p.done().complete(null));
  }

  private void flush() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      segmentSize += segment.write(buffer);
    }
    buffer.clear();
  }

  private void rotate() throws IOException {
    segment.force(false);
    segment.close();
    startSegment(segmentNumber + 1);
  }

  private void syncIfDue() {
    if (unsynced && System.nanoTime() - lastSyncNanos >= policy.interval().toNanos()) {
      try {
        sync();
      } catch (IOException e) {
        log.error("event log {}: fsync failed", dir, e);
      }
    }
  }

  private void sync() throws IOException {
    segment.force(false);
    unsynced = false;
    lastSyncNanos = System.nanoTime();
  }
}
