package io.recsys.common.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a Prometheus scrape at {@code GET /metrics} over plain HTTP on its own port, away from
 * the gRPC port (Prometheus speaks HTTP/1.1, and a scrape never competes with calls for the
 * gRPC executor). One small virtual-thread executor: scrapes are rare.
 */
public final class MetricsEndpoint implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);
  /** Prometheus text exposition format 0.0.4, what Micrometer's scrape() writes. */
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer http;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  private MetricsEndpoint(HttpServer http, Supplier<String> scrape) {
    this.http = http;
    http.createContext("/metrics", exchange -> answer(exchange, scrape));
    http.setExecutor(executor);
    http.start();
  }

  /** Starts serving on {@code port} (all interfaces). */
  public static MetricsEndpoint start(int port, Supplier<String> scrape) throws IOException {
    return new MetricsEndpoint(HttpServer.create(new InetSocketAddress(port), 16), scrape);
  }

  public int port() {
    return http.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, Supplier<String> scrape) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body;
      try {
        body = scrape.get().getBytes(StandardCharsets.UTF_8);
      } catch (RuntimeException e) {
        log.warn("metrics scrape failed", e);
        exchange.sendResponseHeaders(500, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      if (exchange.getRequestMethod().equals("HEAD")) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    http.stop(0);
    executor.shutdown();
  }
}
