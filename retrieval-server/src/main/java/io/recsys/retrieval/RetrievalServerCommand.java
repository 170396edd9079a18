package io.recsys.retrieval;

import io.recsys.common.catalog.LiveCatalog;
import io.recsys.common.config.BundleOptions;
import io.recsys.common.config.CatalogLogOptions;
import io.recsys.common.config.EnvDefaults;
import io.recsys.common.config.ServerOptions;
import io.recsys.common.reload.BundleHolder;
import io.recsys.common.server.RecsysServer;
import io.recsys.common.server.ServerCommand;
import io.recsys.common.server.ServerCounters;
import io.recsys.retrieval.bundle.RetrievalBundle;
import io.recsys.retrieval.bundle.ServedShards;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code recsys serve retrieval}: loads a bundle and serves RetrievalService until stopped. */
@Command(name = "retrieval", mixinStandardHelpOptions = true, defaultValueProvider = EnvDefaults.class,
    description = "Serve candidate retrieval (two-tower user tower + Lucene HNSW, popularity) over gRPC.")
public final class RetrievalServerCommand implements ServerCommand {

  @Option(names = "--port", defaultValue = "50051", description = "gRPC port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--metrics-port", defaultValue = "9091",
      description = "HTTP port of the Prometheus /metrics endpoint (default: ${DEFAULT-VALUE}; 0 = none)")
  int metricsPort;

  @Mixin
  BundleOptions bundle;

  /** Connections, limits, TLS and the admin port, as on every server. */
  @Mixin
  ServerOptions serverOptions;

  @Option(names = "--max-k", defaultValue = "2000",
      description = "Most candidates one request may ask for (default ${DEFAULT-VALUE}).")
  int maxK;

  @Mixin
  CatalogLogOptions catalogLog;

  @Option(names = "--shard", defaultValue = "all",
      description = "I/N: serve shard I of a bundle exported with N index shards (the two-tower source searches"
          + " only its items; popular is answered alike by every shard); all = the whole index (default: ${DEFAULT-VALUE}).")
  String shard;

  @Option(names = "--cold-max-interactions", defaultValue = "" + RetrievalBundle.DEFAULT_COLD_MAX_INTERACTIONS,
      description = "The cold_start source serves the bundle's items with at most this many training interactions"
          + " (and the live catalog's) (default: ${DEFAULT-VALUE}).")
  int coldMaxInteractions;

  @Override
  public RecsysServer start() throws IOException {
    ServedShards shards = ServedShards.parse(shard);
    ServerCounters counters = new ServerCounters();
    LiveCatalog live = catalogLog.openTailing(bundle.path);
    BundleHolder<RetrievalBundle> holder;
    try {
      holder = new BundleHolder<>(RetrievalBundle.load(bundle.path, shards, live, coldMaxInteractions),
          RetrievalBundle::version)
          .watch(bundle.path, RetrievalBundle::dir, dir -> RetrievalBundle.load(dir, shards, live, coldMaxInteractions),
              counters,
              bundle.reloadIntervalMillis());
    } catch (IOException | RuntimeException e) {
      live.close();
      throw e;
    }
    try {
      return RecsysServer.builder("retrieval", port)
          .options(serverOptions)
          .metricsPort(metricsPort)
          .counters(counters)
          .service(new RetrievalServiceImpl(holder, maxK))
          .bundle(() -> holder.read(RetrievalBundle::info))
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
}
