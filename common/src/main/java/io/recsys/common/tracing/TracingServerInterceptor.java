package io.recsys.common.tracing;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.MDC;

/**
 * A SERVER span per call, child of the context in the call's metadata. The span is current in
 * every listener callback (they may run on different threads), so spans the handler starts and
 * calls it makes join the trace, and log lines written meanwhile carry its {@code trace_id} (MDC).
 */
final class TracingServerInterceptor implements ServerInterceptor {

  static final String TRACE_ID = "trace_id";

  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final String server;

  TracingServerInterceptor(Tracer tracer, TextMapPropagator propagator, String server) {
    this.tracer = tracer;
    this.propagator = propagator;
    this.server = server;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                     ServerCallHandler<Q, R> next) {
    Context parent = propagator.extract(Context.root(), headers, GrpcMetadata.GETTER);
    var method = call.getMethodDescriptor();
    Span span = tracer.spanBuilder(method.getFullMethodName()).setParent(parent).setSpanKind(SpanKind.SERVER)
        .setAttribute("rpc.system", "grpc")
        .setAttribute("rpc.service", method.getServiceName())
        .setAttribute("rpc.method", method.getBareMethodName())
        .setAttribute("recsys.server", server)
        .startSpan();
    if (!span.getSpanContext().isValid()) {
      // tracing is off: nothing to carry
      return next.startCall(call, headers);
    }
    Context context = parent.with(span);
    String traceId = span.getSpanContext().getTraceId();
    AtomicBoolean ended = new AtomicBoolean();
    ServerCall<Q, R> traced = new SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        if (ended.compareAndSet(false, true)) {
          Spans.endWith(span, status);
        }
        super.close(status, trailers);
      }
    };
    ServerCall.Listener<Q> listener;
    try (Scope ignored = enter(context, traceId)) {
      listener = next.startCall(traced, headers);
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(Q message) {
        try (Scope ignored = enter(context, traceId)) {
          super.onMessage(message);
        }
      }

      @Override
      public void onHalfClose() {
        try (Scope ignored = enter(context, traceId)) {
          super.onHalfClose();
        }
      }

      @Override
      public void onCancel() {
        if (ended.compareAndSet(false, true)) {
          span.setStatus(StatusCode.ERROR, "cancelled by the client");
          span.setAttribute("rpc.grpc.status_code", Status.Code.CANCELLED.value());
          span.end();
        }
        try (Scope ignored = enter(context, traceId)) {
          super.onCancel();
        }
      }

      @Override
      public void onComplete() {
        try (Scope ignored = enter(context, traceId)) {
          super.onComplete();
        }
      }

      @Override
      public void onReady() {
        try (Scope ignored = enter(context, traceId)) {
          super.onReady();
        }
      }
    };
  }

  /** Makes the call's span current and names its trace in the log context, until closed. */
  private static Scope enter(Context context, String traceId) {
    Scope scope = context.makeCurrent();
    MDC.put(TRACE_ID, traceId);
    return () -> {
      MDC.remove(TRACE_ID);
      scope.close();
    };
  }
}
