package io.recsys.gateway.pipeline;

import io.grpc.Deadline;
import io.grpc.Status;
import java.util.concurrent.TimeUnit;

/**
 * Where deadlines are decided. The client's gRPC deadline (if any) bounds the whole request; each
 * stage gets the sooner of its own timeout and what is left of the client's; a stage that would
 * start after the client's deadline stops the request with DEADLINE_EXCEEDED.
 */
public final class RequestDeadline {

  private final Deadline client;

  /** @param client the caller's deadline, or null when the caller set none */
  public RequestDeadline(Deadline client) {
    this.client = client;
  }

  /** Throws DEADLINE_EXCEEDED when the client's deadline has passed. */
  public void check(String beforeStage) {
    if (client != null && client.isExpired()) {
      throw Status.DEADLINE_EXCEEDED
          .withDescription("the request's deadline passed before " + beforeStage
              + "; give Recommend a longer deadline (the gateway needs the sum of its stage timeouts)")
          .asRuntimeException();
    }
  }

  /** The deadline of a stage that may take {@code timeoutMs}. */
  public Deadline forStage(long timeoutMs) {
    Deadline own = Deadline.after(timeoutMs, TimeUnit.MILLISECONDS);
    return client == null ? own : own.minimum(client);
  }
}
