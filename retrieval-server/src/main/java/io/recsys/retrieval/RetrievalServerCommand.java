package io.recsys.retrieval;

import io.recsys.common.config.EnvDefaults;
import io.recsys.common.reload.BundleHolder;
import io.recsys.common.reload.BundleWatcher;
import io.recsys.common.server.RecsysServer;
import io.recsys.common.server.ServerCounters;
import java.util.Optional;
import io.recsys.common.server.ServerCommand;
import io.recsys.retrieval.bundle.RetrievalBundle;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code recsys serve retrieval}: loads a bundle and serves RetrievalService until stopped. */
@Command(name = "retrieval", mixinStandardHelpOptions = true, defaultValueProvider = EnvDefaults.class,
    description = "Serve candidate retrieval (two-tower user tower + Lucene HNSW, popularity) over gRPC.")
public final class RetrievalServerCommand implements Callable<Integer>, ServerCommand {

  @Option(names = "--port", defaultValue = "50051", description = "gRPC port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bundle", defaultValue = "bundles",
      description = "A model bundle directory, or a root of versioned bundles (newest is served; default ${DEFAULT-VALUE}).")
  Path bundle;

  @Option(names = "--max-k", defaultValue = "2000",
      description = "Most candidates one request may ask for (default ${DEFAULT-VALUE}).")
  int maxK;

  @Option(names = "--reload-interval-seconds", defaultValue = "30",
      description = "When --bundle is a root of versioned bundles, look for a newer one this often and swap it in"
          + " without dropping requests; 0 = never (default: ${DEFAULT-VALUE}).")
  long reloadIntervalSeconds;

  @Override
  public Integer call() throws Exception {
    start().serveUntilShutdown();
    return 0;
  }

  @Override
  public RecsysServer start() throws java.io.IOException {
    ServerCounters counters = new ServerCounters();
    BundleHolder<RetrievalBundle> holder = new BundleHolder<>(RetrievalBundle.load(bundle), RetrievalBundle::version);
    Optional<BundleWatcher> watcher = BundleWatcher.start(bundle, holder, RetrievalBundle::dir, RetrievalBundle::load, counters,
        reloadIntervalSeconds * 1000L);
    try {
      RecsysServer.Builder server = RecsysServer.builder("retrieval", port)
          .counters(counters)
          .service(new RetrievalServiceImpl(holder, maxK))
          .bundle(() -> holder.read(RetrievalBundle::info));
      watcher.ifPresent(server::owns);
      return server.owns(holder).build().start();
    } catch (java.io.IOException | RuntimeException e) {
      watcher.ifPresent(BundleWatcher::close);
      holder.close();
      throw e;
    }
  }
}
