package io.recsys.common.tracing;

import io.grpc.Status;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/** How a call's span ends: its gRPC status code as an attribute, an error status unless OK. */
final class Spans {

  private Spans() {}

  static void endWith(Span span, Status status) {
    span.setAttribute("rpc.grpc.status_code", status.getCode().value());
    if (!status.isOk()) {
      span.setStatus(StatusCode.ERROR, status.getCode() + (status.getDescription() == null ? "" : ": "
          + status.getDescription()));
    }
    span.end();
  }
}
