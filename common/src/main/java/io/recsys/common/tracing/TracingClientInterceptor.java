package io.recsys.common.tracing;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;

/**
 * A CLIENT span per outgoing call made inside a traced request, child of the current span; its
 * context goes out as {@code traceparent}.
 */
final class TracingClientInterceptor implements ClientInterceptor {

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  TracingClientInterceptor(Tracer tracer, TextMapPropagator propagator) {
    this.tracer = tracer;
    this.propagator = propagator;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    if (!Span.current().getSpanContext().isValid()) {
      // a call outside any traced request (e.g. the gateway's warm-up) starts no trace of its own
      return next.newCall(method, options);
    }
    Span span = tracer.spanBuilder(method.getFullMethodName()).setSpanKind(SpanKind.CLIENT)
        .setAttribute("rpc.system", "grpc")
        .setAttribute("rpc.service", method.getServiceName())
        .setAttribute("rpc.method", method.getBareMethodName())
        .startSpan();
    if (!span.getSpanContext().isValid()) {
      return next.newCall(method, options);
    }
    Context context = Context.current().with(span);
    return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        propagator.inject(context, headers, GrpcMetadata.SETTER);
        super.start(new SimpleForwardingClientCallListener<>(listener) {
          @Override
          public void onClose(Status status, Metadata trailers) {
            Spans.endWith(span, status);
            super.onClose(status, trailers);
          }
        }, headers);
      }

      @Override
      public void cancel(String message, Throwable cause) {
        span.addEvent("cancelled");
        super.cancel(message, cause);
      }
    };
  }
}
