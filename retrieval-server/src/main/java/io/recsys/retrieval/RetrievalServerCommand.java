package io.recsys.retrieval;

import io.recsys.common.config.EnvDefaults;
import io.recsys.common.server.RecsysServer;
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

  @Override
  public Integer call() throws Exception {
    start().serveUntilShutdown();
    return 0;
  }

  @Override
  public RecsysServer start() throws java.io.IOException {
    return start(RetrievalBundle.load(bundle), port, maxK);
  }

  /** Starts a retrieval server on the bundle; the server owns and closes it. */
  public static RecsysServer start(RetrievalBundle bundle, int port, int maxK) throws java.io.IOException {
    return RecsysServer.builder("retrieval", port)
        .service(new RetrievalServiceImpl(() -> bundle, maxK))
        .bundle(bundle::info)
        .owns(bundle)
        .build()
        .start();
  }
}
