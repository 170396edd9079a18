package io.recsys.common.server;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a handler's failure becomes a gRPC status, on every recsys server. A handler
 * may throw, or pass any exception to {@code onError}: a status exception keeps its status, a few
 * well-known exception types get theirs (cancelled, rejected by a closed or full executor, timed
 * out), and anything else is a bug: INTERNAL, logged once with the method. Without this, grpc-java
 * answers UNKNOWN and logs nothing for an exception passed to {@code onError}, and cancels the
 * stream for one thrown from the handler.
 */
public final class ErrorMapping implements ServerInterceptor {

  private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);

  /** The status of a failure, INTERNAL for one no rule knows. */
  public static Status statusOf(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof StatusRuntimeException || t instanceof StatusException) {
      return Status.fromThrowable(t);
    }
    if (t instanceof CancellationException) {
      return Status.CANCELLED.withDescription("the call was cancelled").withCause(t);
    }
    if (t instanceof RejectedExecutionException) {
      return Status.UNAVAILABLE.withDescription(t.getMessage() + "; retry, or on another replica").withCause(t);
    }
    if (t instanceof TimeoutException) {
      return Status.DEADLINE_EXCEEDED.withDescription(t.getMessage()).withCause(t);
    }
    return Status.INTERNAL.withDescription("internal error: " + t).withCause(t);
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                     ServerCallHandler<Q, R> next) {
    MappingCall<Q, R> mapping = new MappingCall<>(call);
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(mapping, headers);
    } catch (RuntimeException e) {
      mapping.fail(e);
      return new ServerCall.Listener<>() {};
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(Q message) {
        mapping.guard(() -> super.onMessage(message));
      }

      @Override
      public void onHalfClose() {
        mapping.guard(super::onHalfClose);
      }

      @Override
      public void onReady() {
        mapping.guard(super::onReady);
      }
    };
  }

  /** Maps the status a handler closes with; closes at most once. */
  private static final class MappingCall<Q, R> extends SimpleForwardingServerCall<Q, R> {
    private final AtomicBoolean closed = new AtomicBoolean();

    MappingCall(ServerCall<Q, R> call) {
      super(call);
    }

    /** A failure thrown by the handler. */
    void fail(RuntimeException e) {
      Metadata trailers = Status.trailersFromThrowable(e);
      close(Status.UNKNOWN.withCause(e), trailers == null ? new Metadata() : trailers);
    }

    /** Runs a step of the handler; what it throws closes the call. */
    void guard(Runnable handlerStep) {
      try {
        handlerStep.run();
      } catch (RuntimeException e) {
        fail(e);
      }
    }

    @Override
    public void close(Status status, Metadata trailers) {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      // grpc-java turns an exception that is no status exception into UNKNOWN with it as the cause
      if (status.getCode() == Status.Code.UNKNOWN && status.getCause() != null) {
        Status mapped = statusOf(status.getCause());
        if (mapped.getCode() == Status.Code.INTERNAL) {
          log.error("{} failed", getMethodDescriptor().getFullMethodName(), status.getCause());
        }
        // the cause stays on this side: a client sees the code and the description only
        status = mapped;
      }
      super.close(status, trailers);
    }
  }
}
