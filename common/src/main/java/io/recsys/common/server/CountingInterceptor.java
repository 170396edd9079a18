package io.recsys.common.server;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/** Counts calls and failures (by status code) per method: "calls.Recommend", "errors.Recommend.INVALID_ARGUMENT". */
final class CountingInterceptor implements ServerInterceptor {

  private final ServerCounters counters;

  CountingInterceptor(ServerCounters counters) {
    this.counters = counters;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                     ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getBareMethodName();
    counters.increment("calls." + method);
    return next.startCall(new SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        if (!status.isOk()) {
          counters.increment("errors." + method + "." + status.getCode());
        }
        super.close(status, trailers);
      }
    }, headers);
  }
}
