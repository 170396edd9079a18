package io.recsys.common.server;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.recsys.common.config.ServerOptions;
import io.recsys.common.tracing.Tracing;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gRPC server with what every recsys server has: the standard health service, server reflection,
 * the admin status API and per-method counters; explicit start, await and graceful shutdown.
 */
public final class RecsysServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RecsysServer.class);

  private final String name;
  private final Server server;
  private final HealthStatusManager health;
  private final List<String> serviceNames;
  private final long graceMillis;
  private final List<AutoCloseable> resources;
  private final ExecutorService executor;
  private final ServerTransport transport;
  /** The admin services' own server when they have a port of their own (--admin-port), else null. */
  private final Server adminServer;
  private final ServerCounters counters;
  private final Supplier<BundleInfo> bundle;
  private final int metricsPort;
  private MetricsExport metrics;
  private final Tracing tracing;

  private RecsysServer(Builder b) {
    this.name = b.name;
    this.health = new HealthStatusManager();
    this.graceMillis = b.graceMillis;
    this.resources = List.copyOf(b.resources);
    this.counters = b.counters;
    this.bundle = b.bundle;
    this.metricsPort = b.metricsPort;
    this.tracing = b.tracing == null ? Tracing.forServer(name) : b.tracing;
    var traced = tracing.serverInterceptor();
    long started = System.currentTimeMillis();
    this.executor = b.executor();
    this.transport = new ServerTransport(b.options);
    ServerBuilder<?> sb = transport.builder(b.port).executor(executor);
    // the admin services and reflection: on the API port, or on a port of their own
    ServerBuilder<?> admin = transport.separateAdminPort()
        ? transport.builder(transport.adminPort()).executor(executor) : sb;
    CallMetrics counting = new CallMetrics(b.counters);
    // the API services shed load; health, reflection and admin answer even when they do
    InFlightLimit limit = new InFlightLimit(b.maxInFlight, b.counters);
    // innermost, so the counters and the limit see the status it maps
    ErrorMapping errors = new ErrorMapping();
    this.serviceNames = new ArrayList<>();
    for (BindableService s : b.services) {
      var def = s.bindService();
      serviceNames.add(def.getServiceDescriptor().getName());
      sb.addService(ServerInterceptors.intercept(def, errors, limit, counting, traced));
    }
    admin.addService(ServerInterceptors.intercept(
        transport.admin(new AdminServiceImpl(name, started, b.counters, b.bundle).bindService()), errors, counting));
    for (BindableService s : b.adminServices) {
      var def = s.bindService();
      serviceNames.add(def.getServiceDescriptor().getName());
      admin.addService(ServerInterceptors.intercept(transport.admin(def), errors, counting));
    }
    sb.addService(health.getHealthService());
    admin.addService(ProtoReflectionServiceV1.newInstance());
    if (admin != sb) {
      admin.addService(health.getHealthService());
    }
    this.server = sb.build();
    this.adminServer = admin == sb ? null : admin.build();
  }

  /**
   * Builds (never starts) a throwaway server on a background thread, so that loading the classes
   * of gRPC, Netty and the standard services overlaps with loading the bundle: at startup that is
   * most of a second on a small machine, and a restarted server is back sooner.
   */
  public static void loadClassesInBackground() {
    Thread.ofPlatform().name("grpc-class-loading").daemon().start(() -> {
      try {
        builder("class-loading", 0).tracing(Tracing.off("class-loading")).executor(ServerExecutors.compute("class-loading", 1)).build()
            .executor.shutdown();
      } catch (RuntimeException e) {
        log.debug("loading the server classes ahead failed; they load at start instead", e);
      }
    });
  }

  public static Builder builder(String name, int port) {
    return new Builder(name, port);
  }

  public RecsysServer start() throws IOException {
    server.start();
    if (adminServer != null) {
      try {
        adminServer.start();
      } catch (IOException e) {
        server.shutdownNow();
        throw e;
      }
    }
    if (metricsPort > 0) {
      metrics = MetricsExport.start(name, metricsPort, counters, bundle);
    }
    health.setStatus("", ServingStatus.SERVING);
    for (String s : serviceNames) {
      health.setStatus(s, ServingStatus.SERVING);
    }
    log.info("{} server listening on port {} ({}){}", name, port(), transport.describe(),
        adminServer == null ? "" : "; admin API on port " + adminServer.getPort());
    return this;
  }

  /** The port of the metrics endpoint, or -1 when there is none. */
  public int metricsPort() {
    return metrics == null ? -1 : metrics.port();
  }

  /** The bound port (useful when started on port 0). */
  public int port() {
    return server.getPort();
  }

  /** The port of the admin API and server reflection: their own (--admin-port) or {@link #port()}. */
  public int adminPort() {
    return adminServer == null ? port() : adminServer.getPort();
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Blocks until the JVM is asked to stop (Ctrl-C, SIGTERM), then shuts down gracefully. */
  public void serveUntilShutdown() throws InterruptedException {
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, name + "-shutdown"));
    awaitTermination();
  }

  /**
   * Graceful shutdown: health turns NOT_SERVING so balancers stop sending, in-flight calls get
   * the grace period, then the rest is cancelled and the owned resources are closed.
   */
  @Override
  public void close() {
    if (server.isTerminated()) {
      return;
    }
    health.enterTerminalState();
    server.shutdown();
    if (adminServer != null) {
      adminServer.shutdownNow();
    }
    try {
      if (!server.awaitTermination(graceMillis, TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    executor.shutdown();
    transport.close();
    if (metrics != null) {
      metrics.close();
    }
    tracing.close();
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        log.warn("closing {} failed", r, e);
      }
    }
    log.info("{} server stopped", name);
  }

  /** Builder: services, the bundle report, resources the server owns and closes last. */
  public static final class Builder {
    private final String name;
    private final int port;
    private final List<BindableService> services = new ArrayList<>();
    private final List<BindableService> adminServices = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private ServerCounters counters = new ServerCounters();
    private Supplier<BundleInfo> bundle = () -> BundleInfo.NONE;
    private long graceMillis = 10_000;
    private ExecutorService executor;
    private int maxInFlight = InFlightLimit.defaultMax();
    private ServerOptions options = ServerOptions.defaults();
    /** Threads of the default executor; 0 = {@link ServerExecutors#computeThreads()}. */
    private int threads;
    private int metricsPort;
    private Tracing tracing;

    private Builder(String name, int port) {
      this.name = name;
      this.port = port;
    }

    /**
     * An admin service (e.g. CatalogService): registered like AdminService, so it answers while the
     * API sheds load and gets whatever admin authentication the server applies.
     */
    public Builder adminService(BindableService s) {
      adminServices.add(s);
      return this;
    }

    public Builder service(BindableService s) {
      services.add(s);
      return this;
    }

    public Builder counters(ServerCounters c) {
      this.counters = c;
      return this;
    }

    public Builder bundle(Supplier<BundleInfo> b) {
      this.bundle = b;
      return this;
    }

    /** Closed after the server has stopped (models, indexes, channels). */
    public Builder owns(AutoCloseable resource) {
      resources.add(resource);
      return this;
    }

    /**
     * Where calls run (owned: shut down with the server). Default: one thread per core, see
     * {@link ServerExecutors}.
     */
    public Builder executor(ExecutorService e) {
      this.executor = e;
      return this;
    }

    /**
     * Calls in progress beyond which new ones are refused with RESOURCE_EXHAUSTED (load shedding).
     * Default: {@code recsys.server.maxInFlight}, else 256 per core.
     */
    public Builder maxInFlight(int max) {
      this.maxInFlight = max;
      return this;
    }

    /**
     * The flags every server shares: connection age, message size and in-flight limits, TLS, the
     * admin port and token (see {@link ServerOptions}). Default: the flags' defaults.
     */
    public Builder options(ServerOptions o) {
      this.options = o;
      if (o.maxInFlight > 0) {
        this.maxInFlight = o.maxInFlight;
      }
      this.threads = o.threads;
      return this;
    }

    /** The executor calls run on, e.g. for work a handler finishes asynchronously. */
    public ExecutorService executor() {
      if (executor == null) {
        executor = ServerExecutors.compute(name + "-grpc", threads > 0 ? threads : ServerExecutors.computeThreads());
      }
      return executor;
    }

    /** Where Prometheus scrapes {@code /metrics} over HTTP; 0 (the default) = no endpoint. */
    public Builder metricsPort(int port) {
      this.metricsPort = port;
      return this;
    }

    /**
     * Spans for the API calls and the trace context they carry; closed with the server. Default:
     * {@link Tracing#forServer}, off unless the OTEL_* environment asks for export.
     */
    public Builder tracing(Tracing t) {
      this.tracing = t;
      return this;
    }

    public Builder gracePeriodMillis(long ms) {
      this.graceMillis = ms;
      return this;
    }

    public RecsysServer build() {
      return new RecsysServer(this);
    }
  }
}
