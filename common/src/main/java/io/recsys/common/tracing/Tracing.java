package io.recsys.common.tracing;

import io.grpc.ClientInterceptor;
import io.grpc.ServerInterceptor;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's OpenTelemetry tracing: the tracer its code starts spans with, and the gRPC
 * interceptors that carry the W3C trace context ({@code traceparent}) in call metadata, so one
 * Recommend is one trace across the gateway, retrieval and ranking.
 *
 * <p>Off by default, and then free: a no-op tracer, nothing recorded. It turns on with the
 * standard OpenTelemetry environment: {@code OTEL_TRACES_EXPORTER=otlp} or an
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} / {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} (every other
 * {@code OTEL_*} setting, e.g. the sampler, applies as documented); the service name defaults to
 * {@code recsys-<server>}, the protocol to {@code http/protobuf} (a collector's port 4318; OTLP
 * over gRPC would need a gRPC sender the servers do not carry). Where the process already has a
 * global OpenTelemetry that records spans (the OpenTelemetry Java agent's, or a test's), that one
 * is used.
 */
public final class Tracing implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Tracing.class);
  private static final String INSTRUMENTATION = "io.recsys";

  private final OpenTelemetry otel;
  private final OpenTelemetrySdk owned;
  private final String server;

  private Tracing(OpenTelemetry otel, OpenTelemetrySdk owned, String server) {
    this.otel = otel;
    this.owned = owned;
    this.server = server;
  }

  /** Tracing for one server, from the process's environment (see the class comment). */
  public static Tracing forServer(String server) {
    return forServer(server, System::getenv);
  }

  static Tracing forServer(String server, Function<String, String> env) {
    // a library that asked for the global before anyone set it left a no-op there: not a choice
    if (GlobalOpenTelemetry.isSet() && records(GlobalOpenTelemetry.get())) {
      return new Tracing(GlobalOpenTelemetry.get(), null, server);
    }
    if (!exportAsked(env)) {
      return off(server);
    }
    OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
        // defaults only: OTEL_* variables and otel.* system properties win
        .addPropertiesSupplier(() -> Map.of(
            "otel.service.name", "recsys-" + server,
            "otel.traces.exporter", "otlp",
            // the JDK's HttpClient sends (no OkHttp): OTLP over HTTP, a collector's port 4318
            "otel.exporter.otlp.protocol", "http/protobuf",
            "otel.metrics.exporter", "none",
            "otel.logs.exporter", "none"))
        .build().getOpenTelemetrySdk();
    log.info("{}: tracing on, spans exported per the OTEL_* environment", server);
    return new Tracing(sdk, sdk, server);
  }

  /** No tracing at all. */
  public static Tracing off(String server) {
    return new Tracing(OpenTelemetry.noop(), null, server);
  }

  /** Whether spans of this OpenTelemetry are real (a probe span, never ended, so never exported). */
  private static boolean records(OpenTelemetry otel) {
    return otel.getTracer(INSTRUMENTATION).spanBuilder("probe").startSpan().getSpanContext().isValid();
  }

  private static boolean exportAsked(Function<String, String> env) {
    String exporter = setting(env, "OTEL_TRACES_EXPORTER");
    if (exporter != null) {
      return !exporter.trim().toLowerCase(Locale.ROOT).equals("none");
    }
    return setting(env, "OTEL_EXPORTER_OTLP_ENDPOINT") != null
        || setting(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != null;
  }

  /** OTEL_X from the environment, else the system property otel.x, as the SDK reads them. */
  private static String setting(Function<String, String> env, String name) {
    String v = env.apply(name);
    if (v == null || v.isBlank()) {
      v = System.getProperty(name.toLowerCase(Locale.ROOT).replace('_', '.'));
    }
    return v == null || v.isBlank() ? null : v;
  }

  public Tracer tracer() {
    return otel.getTracer(INSTRUMENTATION);
  }

  /** Continues the caller's trace: one SERVER span per call, current while the handler runs. */
  public ServerInterceptor serverInterceptor() {
    return new TracingServerInterceptor(tracer(), otel.getPropagators().getTextMapPropagator(), server);
  }

  /** One CLIENT span per outgoing call of a traced request, its context sent along in the call's metadata. */
  public ClientInterceptor clientInterceptor() {
    return new TracingClientInterceptor(tracer(), otel.getPropagators().getTextMapPropagator());
  }

  /** Flushes and stops an exporter this made (never a global or given one). */
  @Override
  public void close() {
    if (owned != null) {
      owned.close();
    }
  }
}
