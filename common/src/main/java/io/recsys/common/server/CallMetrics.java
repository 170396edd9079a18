package io.recsys.common.server;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Timer;
import io.recsys.common.metrics.Buckets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Every call's latency and status code, once, for both readers: the Prometheus histogram
 * {@code grpc_server_call_duration_seconds{service,method,code}} and the admin API's totals
 * {@code calls.<method>} and {@code errors.<method>.<CODE>}. A call cancelled by its client
 * (deadline, disconnect) before the server answered counts as CANCELLED.
 *
 * <p>Per method everything is made on its first call (names, one timer per status code seen), so
 * a call costs a map lookup, two atomic adds and a histogram record, and allocates no tags.
 */
final class CallMetrics implements ServerInterceptor {

  static final String DURATION = "grpc.server.call.duration";
  private static final Status.Code[] CODES = Status.Code.values();

  private final ServerCounters counters;
  private final ConcurrentHashMap<String, MethodMeters> methods = new ConcurrentHashMap<>();

  CallMetrics(ServerCounters counters) {
    this.counters = counters;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                     ServerCallHandler<Q, R> next) {
    MethodDescriptor<Q, R> method = call.getMethodDescriptor();
    MethodMeters meters = methods.computeIfAbsent(method.getFullMethodName(), k -> new MethodMeters(method));
    counters.increment(meters.callsName);
    long start = System.nanoTime();
    AtomicBoolean recorded = new AtomicBoolean();
    ServerCall.Listener<Q> listener = next.startCall(new SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        if (recorded.compareAndSet(false, true)) {
          meters.record(status.getCode(), System.nanoTime() - start);
        }
        super.close(status, trailers);
      }
    }, headers);
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        if (recorded.compareAndSet(false, true)) {
          meters.record(Status.Code.CANCELLED, System.nanoTime() - start);
        }
        super.onCancel();
      }
    };
  }

  /** One method's names and timers, made once. */
  private final class MethodMeters {
    final String service;
    final String method;
    final String callsName;
    final String[] errorNames = new String[CODES.length];
    final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(CODES.length);

    MethodMeters(MethodDescriptor<?, ?> descriptor) {
      this.service = descriptor.getServiceName();
      this.method = descriptor.getBareMethodName();
      this.callsName = "calls." + method;
      for (Status.Code c : CODES) {
        errorNames[c.ordinal()] = "errors." + method + "." + c;
      }
    }

    void record(Status.Code code, long nanos) {
      int i = code.ordinal();
      if (code != Status.Code.OK) {
        counters.increment(errorNames[i]);
      }
      Timer t = timers.get(i);
      if (t == null) {
        t = Buckets.latency(DURATION, "gRPC calls served, by method and status code")
            .tags("service", service, "method", method, "code", code.name())
            .register(counters.registry());
        timers.set(i, t);
      }
      t.record(nanos, TimeUnit.NANOSECONDS);
    }
  }
}
