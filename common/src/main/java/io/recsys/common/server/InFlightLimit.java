package io.recsys.common.server;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load shedding: at most {@code max} calls in progress (a call counts from its start until it is
 * answered or cancelled, also while it waits asynchronously, e.g. in the ranker's batcher). A call
 * beyond that is refused at once with RESOURCE_EXHAUSTED instead of queueing behind the others
 * until its deadline passes, so overload costs the refused callers a retry, not everyone latency.
 * Counted as {@code shed.<method>}.
 */
final class InFlightLimit implements ServerInterceptor {

  private final int max;
  private final ServerCounters counters;
  private final AtomicInteger inFlight = new AtomicInteger();

  InFlightLimit(int max, ServerCounters counters) {
    if (max < 1) {
      throw new IllegalArgumentException("the in-flight call limit must be at least 1, got " + max);
    }
    this.max = max;
    this.counters = counters;
  }

  /** {@code recsys.server.maxInFlight}, else 256 calls per core. */
  static int defaultMax() {
    return Integer.getInteger("recsys.server.maxInFlight", 256 * Runtime.getRuntime().availableProcessors());
  }

  int inFlight() {
    return inFlight.get();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                     ServerCallHandler<Q, R> next) {
    if (inFlight.incrementAndGet() > max) {
      inFlight.decrementAndGet();
      counters.increment("shed." + call.getMethodDescriptor().getBareMethodName());
      call.close(Status.RESOURCE_EXHAUSTED.withDescription("server busy: " + max
          + " calls in progress; retry with backoff, or on another replica"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(call, headers);
    } catch (RuntimeException e) {
      inFlight.decrementAndGet();
      throw e;
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      private boolean done;

      @Override
      public void onComplete() {
        release();
        super.onComplete();
      }

      @Override
      public void onCancel() {
        release();
        super.onCancel();
      }

      private void release() {
        if (!done) {
          done = true;
          inFlight.decrementAndGet();
        }
      }
    };
  }
}
