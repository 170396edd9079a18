package io.recsys.common.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Off unless asked; asked, spans really leave as OTLP over HTTP. */
class TracingTest {

  @AfterEach
  void clear() {
    System.clearProperty("otel.traces.exporter");
    System.clearProperty("otel.exporter.otlp.endpoint");
  }

  @Test
  void offByDefaultAndThenNothingIsRecorded() {
    GlobalOpenTelemetry.resetForTest();
    try (Tracing tracing = Tracing.forServer("test", name -> null)) {
      Span span = tracing.tracer().spanBuilder("x").startSpan();
      assertThat(span.getSpanContext().isValid()).isFalse();
      span.end();
    }
    try (Tracing tracing = Tracing.forServer("test", name -> name.equals("OTEL_TRACES_EXPORTER") ? "none" : null)) {
      assertThat(tracing.tracer().spanBuilder("x").startSpan().getSpanContext().isValid()).isFalse();
    }
  }

  @Test
  void aNoOpGlobalLeftByALibraryDoesNotHideTheEnvironmentsExporter() {
    GlobalOpenTelemetry.resetForTest();
    GlobalOpenTelemetry.get();  // sets the no-op global, as any library asking early does
    assertThat(GlobalOpenTelemetry.isSet()).isTrue();
    try (Tracing tracing = Tracing.forServer("test",
        name -> name.equals("OTEL_EXPORTER_OTLP_ENDPOINT") ? "http://localhost:1" : null)) {
      assertThat(tracing.tracer().spanBuilder("x").startSpan().getSpanContext().isValid()).isTrue();
    } finally {
      GlobalOpenTelemetry.resetForTest();
    }
  }

  @Test
  void anOtlpEndpointTurnsItOnAndSpansArePostedThere() throws Exception {
    GlobalOpenTelemetry.resetForTest();
    List<String> posts = new CopyOnWriteArrayList<>();
    HttpServer collector = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    collector.createContext("/", exchange -> {
      posts.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
          + exchange.getRequestHeaders().getFirst("Content-Type") + " " + exchange.getRequestBody().readAllBytes().length);
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    collector.start();
    try {
      String endpoint = "http://localhost:" + collector.getAddress().getPort();
      // the SDK reads its other settings (the endpoint here) from OTEL_* / otel.* as documented
      System.setProperty("otel.exporter.otlp.endpoint", endpoint);
      try (Tracing tracing = Tracing.forServer("test", name -> name.equals("OTEL_EXPORTER_OTLP_ENDPOINT") ? endpoint : null)) {
        Span span = tracing.tracer().spanBuilder("recommend").startSpan();
        assertThat(span.getSpanContext().isValid()).isTrue();
        span.end();
      }
      // closing flushed the batch
      assertThat(posts).anySatisfy(p -> assertThat(p).startsWith("POST /v1/traces application/x-protobuf"));
    } finally {
      collector.stop(0);
    }
  }
}
