package io.recsys.common.catalog;

import io.recsys.api.v1.CatalogItem;
import io.recsys.api.v1.CatalogRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The items added and deleted since the bundles were trained, as one server knows them: the
 * {@link CatalogLog} replayed at start and then tailed. Shared by every bundle the server loads
 * (a bundle swap keeps the live catalog).
 *
 * <p>Each live item id gets a position (0, 1, ...) the first time it is upserted and keeps it for
 * the life of the server, also when deleted and upserted again: an item index derived from it is
 * valid in every later state, so a request never sees indices shift. Deletes are kept in a set
 * that every source and the gateway check when they answer.
 */
public final class LiveCatalog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LiveCatalog.class);

  /** Told of every change, in log order, under the catalog's lock (so nothing is missed or reordered). */
  public interface Listener {
    void upserted(List<CatalogRecord> records);

    void deleted(List<String> itemIds);
  }

  private final CatalogLog log;
  private final Map<String, Integer> positions = new ConcurrentHashMap<>();
  /** The latest upsert of each position; grows only. */
  private volatile CatalogRecord[] records = new CatalogRecord[64];
  private volatile int size;
  private final Set<String> deleted = ConcurrentHashMap.newKeySet();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private long offset;
  private volatile long sequence;
  private ScheduledExecutorService tailer;

  private LiveCatalog(CatalogLog log) {
    this.log = log;
  }

  /** Replays the log (missing: an empty catalog); the catalog owns the log from here on. */
  public static LiveCatalog open(CatalogLog log) throws IOException {
    LiveCatalog c = new LiveCatalog(log);
    try {
      c.catchUp();
    } catch (IOException | RuntimeException e) {
      log.close();
      throw e;
    }
    if (c.size > 0 || !c.deleted.isEmpty()) {
      LOG.info("live catalog {}: {} live items, {} deleted (log sequence {})", log.describe(),
          c.size - c.deletedLiveCount(), c.deleted.size(), c.sequence);
    }
    return c;
  }

  /**
   * Reads new records every {@code pollMillis} on a daemon thread: how servers that do not take
   * catalog calls themselves learn what another process appended.
   */
  public synchronized LiveCatalog tail(long pollMillis) {
    if (tailer == null) {
      tailer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "catalog-tail");
        t.setDaemon(true);
        return t;
      });
      tailer.scheduleWithFixedDelay(() -> {
        try {
          catchUp();
        } catch (IOException | RuntimeException e) {
          LOG.warn("reading the catalog log {} failed; retrying", log.describe(), e);
        }
      }, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** Appends durably, then applies (with anything other writers appended before): visible here on return. */
  public long upsert(List<CatalogItem> items, long nowMs) throws IOException {
    List<CatalogRecord> changes = new ArrayList<>(items.size());
    for (CatalogItem item : items) {
      changes.add(CatalogRecord.newBuilder().setUpsert(item).build());
    }
    return appendAndApply(changes, nowMs);
  }

  public long delete(List<String> itemIds, long nowMs) throws IOException {
    List<CatalogRecord> changes = new ArrayList<>(itemIds.size());
    for (String id : itemIds) {
      changes.add(CatalogRecord.newBuilder().setDeleteItemId(id).build());
    }
    return appendAndApply(changes, nowMs);
  }

  private long appendAndApply(List<CatalogRecord> changes, long nowMs) throws IOException {
    long last = log.append(changes, nowMs);
    catchUp();
    return last;
  }

  /** Applies what the log holds beyond what this catalog has read. */
  public synchronized void catchUp() throws IOException {
    CatalogLog.Batch batch = log.read(offset);
    if (batch.records().isEmpty()) {
      return;
    }
    List<CatalogRecord> upserts = new ArrayList<>();
    List<String> deletes = new ArrayList<>();
    for (CatalogRecord r : batch.records()) {
      if (r.getSchemaVersion() != 1) {
        continue;
      }
      // a run of one kind goes to the listeners as one batch (one embedding call per run)
      if (r.hasUpsert()) {
        flushDeletes(deletes);
        apply(r);
        upserts.add(r);
      } else if (r.getChangeCase() == CatalogRecord.ChangeCase.DELETE_ITEM_ID) {
        flushUpserts(upserts);
        deleted.add(r.getDeleteItemId());
        deletes.add(r.getDeleteItemId());
      }
      sequence = r.getSequence();
    }
    flushUpserts(upserts);
    flushDeletes(deletes);
    offset = batch.nextOffset();
  }

  private void apply(CatalogRecord r) {
    String id = r.getUpsert().getItemId();
    deleted.remove(id);
    Integer p = positions.get(id);
    if (p == null) {
      if (size == records.length) {
        records = java.util.Arrays.copyOf(records, size * 2);
      }
      records[size] = r;
      positions.put(id, size);
      size++;
    } else {
      records[p] = r;
    }
  }

  private void flushUpserts(List<CatalogRecord> upserts) {
    if (!upserts.isEmpty()) {
      List<CatalogRecord> batch = List.copyOf(upserts);
      listeners.forEach(l -> l.upserted(batch));
      upserts.clear();
    }
  }

  private void flushDeletes(List<String> deletes) {
    if (!deletes.isEmpty()) {
      List<String> batch = List.copyOf(deletes);
      listeners.forEach(l -> l.deleted(batch));
      deletes.clear();
    }
  }

  /**
   * Tells a listener the current state (the live records, then the deleted ids) and registers it
   * for every later change, under the catalog's lock: nothing is missed or told out of order.
   */
  public synchronized void subscribe(Listener listener) {
    List<CatalogRecord> current = liveRecords();
    if (!current.isEmpty()) {
      listener.upserted(current);
    }
    if (!deleted.isEmpty()) {
      listener.deleted(List.copyOf(deleted));
    }
    listeners.add(listener);
  }

  public void unsubscribe(Listener listener) {
    listeners.remove(listener);
  }

  /** The live records (not deleted), in position order. */
  public List<CatalogRecord> liveRecords() {
    // size first: a larger array is published before the size that needs it
    int n = size;
    CatalogRecord[] r = records;
    List<CatalogRecord> out = new ArrayList<>(n);
    for (int p = 0; p < n; p++) {
      if (!deleted.contains(r[p].getUpsert().getItemId())) {
        out.add(r[p]);
      }
    }
    return out;
  }

  /** Positions handed out so far (deleted ones included). */
  public int size() {
    return size;
  }

  /** The item id's position, or -1 when it was never upserted. */
  public int position(String itemId) {
    Integer p = positions.get(itemId);
    return p == null ? -1 : p;
  }

  /** The latest upsert at a position below {@link #size()}. */
  public CatalogRecord record(int position) {
    return records[position];
  }

  /** Deleted and not upserted since: never to be served, whatever bundle has the item. */
  public boolean isDeleted(String itemId) {
    return deleted.contains(itemId);
  }

  /** Every deleted id (a copy). */
  public Set<String> deletedIds() {
    return Set.copyOf(deleted);
  }

  /** The sequence of the last record applied. */
  public long sequence() {
    return sequence;
  }

  private int deletedLiveCount() {
    return size - liveRecords().size();
  }

  /** When a bundle was created: live records logged later win over its rows (see ItemCatalog#withLive). */
  public static long createdMs(io.recsys.common.bundle.Manifest manifest) {
    try {
      return java.time.Instant.parse(manifest.createdAt()).toEpochMilli();
    } catch (RuntimeException e) {
      // unknown age: every live record counts as newer than the bundle
      return Long.MIN_VALUE;
    }
  }

  public CatalogLog log() {
    return log;
  }

  @Override
  public synchronized void close() {
    if (tailer != null) {
      tailer.shutdownNow();
    }
    log.close();
  }
}
