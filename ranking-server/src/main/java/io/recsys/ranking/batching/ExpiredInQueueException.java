package io.recsys.ranking.batching;

/** The request's deadline passed while it waited for a batch; it was not scored. */
public final class ExpiredInQueueException extends RuntimeException {

  public ExpiredInQueueException(long waitedMicros) {
    super("deadline passed after " + waitedMicros + " µs in the batch queue; the request was not scored");
  }
}
