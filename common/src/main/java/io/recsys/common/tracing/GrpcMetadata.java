package io.recsys.common.tracing;

import io.grpc.Metadata;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.concurrent.ConcurrentHashMap;

/** gRPC metadata as the carrier of W3C trace context headers ({@code traceparent}, {@code tracestate}). */
final class GrpcMetadata {

  /** Keys made once: propagators ask for the same two or three names on every call. */
  private static final ConcurrentHashMap<String, Metadata.Key<String>> KEYS = new ConcurrentHashMap<>();

  static final TextMapSetter<Metadata> SETTER = (carrier, key, value) -> {
    if (carrier != null) {
      carrier.put(key(key), value);
    }
  };

  static final TextMapGetter<Metadata> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Metadata carrier) {
      return carrier.keys();
    }

    @Override
    public String get(Metadata carrier, String key) {
      return carrier == null ? null : carrier.get(key(key));
    }
  };

  private GrpcMetadata() {}

  private static Metadata.Key<String> key(String name) {
    return KEYS.computeIfAbsent(name, n -> Metadata.Key.of(n, Metadata.ASCII_STRING_MARSHALLER));
  }
}
