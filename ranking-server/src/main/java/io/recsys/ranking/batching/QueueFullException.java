package io.recsys.ranking.batching;

import java.util.concurrent.RejectedExecutionException;

/** The batch queue holds as many rows as it may: the request was refused, not queued. */
public final class QueueFullException extends RejectedExecutionException {

  public QueueFullException(int queuedRows, int maxQueuedRows) {
    super("the ranker's batch queue is full (" + queuedRows + " rows queued, at most " + maxQueuedRows
        + "); retry with backoff, or on another replica");
  }
}
