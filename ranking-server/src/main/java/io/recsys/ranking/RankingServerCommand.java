package io.recsys.ranking;

import io.micrometer.core.instrument.Gauge;
import io.recsys.common.catalog.LiveCatalog;
import io.recsys.common.config.BundleOptions;
import io.recsys.common.config.CatalogLogOptions;
import io.recsys.common.config.EnvDefaults;
import io.recsys.common.config.ServerOptions;
import io.recsys.common.reload.BundleHolder;
import io.recsys.common.server.RecsysServer;
import io.recsys.common.server.ServerCommand;
import io.recsys.common.server.ServerCounters;
import io.recsys.ranking.batching.BatchPolicy;
import io.recsys.ranking.bundle.RankingBundle;
import io.recsys.ranking.device.DeviceReport;
import io.recsys.ranking.serving.ServingRanker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code serve ranking}: the RankingService over one model bundle, with dynamic batching. */
@Command(name = "ranking", mixinStandardHelpOptions = true, defaultValueProvider = EnvDefaults.class,
    description = "Serve the ranking model (RankingService) of a model bundle over gRPC.")
public final class RankingServerCommand implements ServerCommand {

  private static final Logger log = LoggerFactory.getLogger(RankingServerCommand.class);

  @Option(names = "--port", defaultValue = "50052", description = "gRPC port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--metrics-port", defaultValue = "9092",
      description = "HTTP port of the Prometheus /metrics endpoint (default: ${DEFAULT-VALUE}; 0 = none)")
  int metricsPort;

  @Mixin
  BundleOptions bundle;

  /** Connections, limits, TLS and the admin port, as on every server. */
  @Mixin
  ServerOptions serverOptions;

  @Mixin
  CatalogLogOptions catalogLog;

  @Option(names = "--device", defaultValue = "auto",
      description = "auto (default): TensorFlow's choice, a GPU when its GPU build (-Pgpu) finds one, else the CPU;"
          + " gpu: refuse to start unless the ranker runs on a GPU. The log says which device it uses.")
  DeviceReport.Wanted device;

  @Spec
  CommandSpec spec;

  @Option(names = "--max-batch-rows", defaultValue = "4096",
      description = "Most feature rows in one model call; concurrent requests are joined up to this (default: ${DEFAULT-VALUE}).")
  int maxBatchRows;

  @Option(names = "--max-queue-delay-micros", defaultValue = "0",
      description = "Longest a request waits for others to join its batch, in microseconds. 0 (default) batches greedily:"
          + " a batch takes every request that queued while the model ran, and a lone request never waits"
          + " (2 cores, 250 candidates: p50 0.65 ms at 1 caller and 1.6M rows/s at 32, vs 1.42 ms and 1.2M with 500).")
  long maxQueueDelayMicros;

  @Option(names = "--max-queued-rows", defaultValue = "0",
      description = "Most feature rows waiting for the model; a request beyond them is refused at once with"
          + " RESOURCE_EXHAUSTED. 0 (default) = " + BatchPolicy.DEFAULT_QUEUED_BATCHES + " x --max-batch-rows"
          + " (~20 ms of model time on 2 cores: a longer wait would outlive the gateway's ranking deadline).")
  int maxQueuedRows;

  @Option(names = "--max-candidates", defaultValue = "2000",
      description = "Most candidates per Rank request; more get RESOURCE_EXHAUSTED (default: ${DEFAULT-VALUE}).")
  int maxCandidates;

  /** Loads the bundle and starts the server; the returned server owns (and closes) everything. */
  @Override
  public RecsysServer start() throws IOException {
    try {
      DeviceReport.require(device);
    } catch (DeviceReport.NoUsableGpuException e) {
      // a usage error: picocli prints the reason alone and exits 2, no stack trace to read past
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Duration maxQueueDelay = Duration.ofNanos(maxQueueDelayMicros * 1000);
    BatchPolicy policy = maxQueuedRows == 0
        ? new BatchPolicy(maxBatchRows, maxQueueDelay, RankingBundle.SPARSE_WIDTH, RankingBundle.DENSE_WIDTH)
        : new BatchPolicy(maxBatchRows, maxQueueDelay, RankingBundle.SPARSE_WIDTH, RankingBundle.DENSE_WIDTH,
            maxQueuedRows);
    if (maxCandidates < 1) {
      throw new IllegalArgumentException("--max-candidates must be at least 1, got " + maxCandidates);
    }
    ServerCounters counters = new ServerCounters();
    LiveCatalog live = catalogLog.openTailing(bundle.path);
    BundleHolder<ServingRanker> holder;
    try {
      holder = new BundleHolder<>(load(bundle.path, live, policy, counters), r -> r.bundle().version())
          .watch(bundle.path, r -> r.bundle().dir(), dir -> load(dir, live, policy, counters), counters,
              bundle.reloadIntervalMillis());
    } catch (IOException | RuntimeException e) {
      live.close();
      throw e;
    }
    // the queue of the bundle serving now (a replaced bundle's batcher only drains)
    Gauge.builder("recsys.ranking.queued.rows", holder, h -> h.read(r -> r.batcher().queuedRows()))
        .description("feature rows waiting for the model").register(counters.registry());
    log.info("ranker runs on {}; dynamic batching: up to {} rows per model call, {} µs max queue delay, {} rows queued",
        DeviceReport.describe(), maxBatchRows, maxQueueDelayMicros, policy.maxQueuedRows());
    try {
      RecsysServer.Builder server = RecsysServer.builder("ranking", port)
          .options(serverOptions);
      return server
          .metricsPort(metricsPort)
          .counters(counters)
          .service(new RankingServiceImpl(holder, maxCandidates, counters, server.executor()))
          .bundle(() -> holder.read(ServingRanker::info))
          // the current bundle's batcher drains queued requests before its model closes
          .owns(holder)
          .owns(live)
          .build()
          .start();
    } catch (IOException | RuntimeException e) {
      holder.close();
      live.close();
      throw e;
    }
  }

  private static ServingRanker load(Path dir, LiveCatalog live, BatchPolicy policy, ServerCounters counters)
      throws IOException {
    RankingBundle model = RankingBundle.load(dir, live);
    log.info("loaded ranker of bundle {} ({})", model.version(), model.dir());
    return new ServingRanker(model, policy, counters);
  }
}
