package io.recsys.common.catalog;

import io.recsys.api.v1.CatalogRecord;
import java.io.IOException;
import java.util.List;

/**
 * The durable catalog log every server of a deployment reads (the gateway appends, the retrieval
 * and ranking servers tail it), so they agree on the live catalog, and a restart replays it. A
 * file ({@link FileCatalogLog}) where the servers share a file system, a Kafka topic
 * ({@link KafkaCatalogLog}) where they do not (pods on several nodes); see {@link CatalogLogs}.
 */
public interface CatalogLog extends AutoCloseable {

  /**
   * Records read from a position on, and the position to read on from. Each record's
   * {@code sequence} grows along the log.
   */
  record Batch(List<CatalogRecord> records, long nextOffset) {}

  /**
   * Appends the changes durably (their schema version, sequence and time are set here) and
   * returns only then: an acknowledged upsert or delete survives a crash.
   *
   * @return the sequence of the last record written
   */
  long append(List<CatalogRecord> changes, long nowMs) throws IOException;

  /** The complete records from position {@code offset} on (0: the start of the log). */
  Batch read(long offset) throws IOException;

  /** Where the log is, for messages. */
  String describe();

  @Override
  void close();
}
