package io.recsys.state.log;

import io.recsys.api.v1.EventRecord;
import java.util.concurrent.CompletableFuture;

/**
 * Where the gateway appends what users did and what they were shown. Appends from many threads
 * are committed together (one fsync or one produce request for a group of them), so callers that
 * wait share the cost of durability.
 */
public interface EventLog extends EventLogReader, AutoCloseable {

  /**
   * Appends one record. The future completes when the record is durable under the log's policy
   * (see {@link #describe()}), or fails with the reason it is not; it never completes before.
   */
  CompletableFuture<Void> append(EventRecord record);

  /** What the log is and its durability policy, for logs and status pages. */
  String describe();

  /** Waits for the appends made so far, then releases the log. Appends after close fail. */
  @Override
  void close();
}
