package io.recsys.common.server;

import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.recsys.common.metrics.MetricsEndpoint;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's registry made visible: JVM metrics, the bundle served as an info metric
 * ({@code recsys_bundle_info{server,version} 1}, read at each scrape so a hot swap shows at once)
 * and the HTTP endpoint Prometheus scrapes.
 */
final class MetricsExport implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MetricsExport.class);

  private final JvmGcMetrics gc;
  private final MetricsEndpoint endpoint;

  private MetricsExport(JvmGcMetrics gc, MetricsEndpoint endpoint) {
    this.gc = gc;
    this.endpoint = endpoint;
  }

  /**
   * Starts the endpoint on {@code port}. A port that cannot be bound is logged and the server
   * serves on without metrics: metrics must never take serving down (Prometheus shows the
   * target as down).
   *
   * @return null when the port could not be bound
   */
  static MetricsExport start(String server, int port, ServerCounters counters, Supplier<BundleInfo> bundle) {
    var registry = counters.registry();
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    MultiGauge bundleInfo = MultiGauge.builder("recsys.bundle.info")
        .description("the model bundle a server serves (value 1; the version is the label)")
        .register(registry);
    Supplier<String> scrape = () -> {
      bundleInfo.register(List.of(MultiGauge.Row.of(
          Tags.of("server", server, "version", bundle.get().version()), 1)), true);
      return registry.scrape();
    };
    try {
      MetricsEndpoint endpoint = MetricsEndpoint.start(port, scrape);
      log.info("{} metrics at http://localhost:{}/metrics", server, endpoint.port());
      return new MetricsExport(gc, endpoint);
    } catch (IOException e) {
      log.error("{} serves WITHOUT metrics: cannot listen on metrics port {} ({})", server, port, e.toString());
      gc.close();
      return null;
    }
  }

  int port() {
    return endpoint.port();
  }

  @Override
  public void close() {
    endpoint.close();
    gc.close();
  }
}
