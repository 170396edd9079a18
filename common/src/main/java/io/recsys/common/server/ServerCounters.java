package io.recsys.common.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a server records about its work: named monotonic totals, reported by the admin API; the
 * server's Prometheus registry, where the same components keep their histograms and gauges
 * (scraped over HTTP, see {@code --metrics-port}); and the tracer its components start spans with
 * (a no-op one unless tracing is on, see {@link io.recsys.common.tracing.Tracing}). One per server,
 * so tests and the single-process quickstart never mix two servers' numbers.
 */
public final class ServerCounters {

  private final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Tracer tracer;

  /** Untraced. */
  public ServerCounters() {
    this(OpenTelemetry.noop().getTracer("io.recsys"));
  }

  public ServerCounters(Tracer tracer) {
    this.tracer = tracer;
  }

  public void increment(String name) {
    add(name, 1);
  }

  public void add(String name, long n) {
    counters.computeIfAbsent(name, k -> new LongAdder()).add(n);
  }

  public long get(String name) {
    LongAdder a = counters.get(name);
    return a == null ? 0 : a.sum();
  }

  public Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public Tracer tracer() {
    return tracer;
  }
}
