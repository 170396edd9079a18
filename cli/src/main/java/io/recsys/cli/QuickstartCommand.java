package io.recsys.cli;

import io.recsys.api.v1.RecommendRequest;
import io.recsys.common.bundle.BundleLayout;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.Manifest;
import io.recsys.common.features.Interaction;
import io.recsys.common.features.RankerFeatures;
import io.recsys.common.logging.JulBridge;
import io.recsys.common.server.RecsysServer;
import io.recsys.common.server.ServerCommand;
import io.recsys.gateway.GatewayServerCommand;
import io.recsys.models.data.Dataset;
import io.recsys.models.data.io.GenericFormat;
import io.recsys.models.data.synthetic.SyntheticConfig;
import io.recsys.models.data.synthetic.SyntheticTruth;
import io.recsys.models.data.synthetic.TruthFile;
import io.recsys.ranking.RankingServerCommand;
import io.recsys.retrieval.RetrievalServerCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quickstart}: the whole system on the built-in data in one command. Generates the data if
 * absent, trains if there is no bundle yet (a second run reuses it), starts the retrieval, ranking
 * and gateway servers on localhost, prints recommendations for a few users next to their history,
 * and keeps serving until Ctrl-C.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
    description = "Generate data, train (if no bundle yet), start all three servers and show recommendations.")
final class QuickstartCommand implements Callable<Integer> {

  static final int DEMO_USERS = 3;

  @Option(names = "--data", defaultValue = "data/synthetic", description = "data directory (default: ${DEFAULT-VALUE})")
  Path data;

  @Option(names = "--bundles", defaultValue = "bundles", description = "root of versioned bundles (default: ${DEFAULT-VALUE})")
  Path bundles;

  @Option(names = "--gateway-port", defaultValue = "50050", description = "(default: ${DEFAULT-VALUE})")
  int gatewayPort;

  @Option(names = "--retrieval-port", defaultValue = "50051", description = "(default: ${DEFAULT-VALUE})")
  int retrievalPort;

  @Option(names = "--ranking-port", defaultValue = "50052", description = "(default: ${DEFAULT-VALUE})")
  int rankingPort;

  @Option(names = "--exit-after-demo", description = "stop the servers after printing the demo instead of serving on")
  boolean exitAfterDemo;

  @Override
  public Integer call() throws Exception {
    JulBridge.install();
    long t0 = System.nanoTime();
    if (!Files.exists(data.resolve(GenericFormat.INTERACTIONS))) {
      System.out.println("[quickstart] no data at " + data + ": generating the built-in synthetic data set");
      GenerateCommand.generate(SyntheticConfig.defaults(), data);
    }
    Optional<BundleLayout> existing = BundleLayout.newestUnder(bundles);
    if (existing.isPresent() && servesTheseFeatures(existing.get())) {
      System.out.println("[quickstart] reusing bundle " + existing.get().dir()
          + " (run 'bin/recsys train' to train a new one)");
    } else {
      System.out.println(existing.isPresent()
          ? "[quickstart] bundle " + existing.get().dir() + " was trained by an older version (other ranker features): training"
          : "[quickstart] no bundle under " + bundles + ": training");
      TrainCommand.train(data, "generic", bundles, null, null);
    }

    List<RecsysServer> servers = new ArrayList<>();
    Runnable stopAll = () -> {
      for (int i = servers.size() - 1; i >= 0; i--) {
        servers.get(i).close();
      }
    };
    try {
      String b = bundles.toString();
      servers.add(start(new RetrievalServerCommand(), "--port", "" + retrievalPort, "--bundle", b));
      servers.add(start(new RankingServerCommand(), "--port", "" + rankingPort, "--bundle", b));
      servers.add(start(new GatewayServerCommand(), "--port", "" + gatewayPort, "--bundle", b,
          "--retrieval", "localhost:" + retrievalPort, "--ranking", "localhost:" + rankingPort));
      System.out.printf("[quickstart] servers up: gateway :%d, retrieval :%d, ranking :%d (%.1fs since start)%n",
          gatewayPort, retrievalPort, rankingPort, (System.nanoTime() - t0) / 1e9);
      demo();
      System.out.printf("[quickstart] done in %.1fs%n", (System.nanoTime() - t0) / 1e9);
    } catch (Exception e) {
      stopAll.run();
      throw e;
    }
    if (exitAfterDemo) {
      stopAll.run();
      return 0;
    }
    System.out.println();
    System.out.println("Serving until Ctrl-C. In another terminal try:");
    System.out.println("  bin/recsys recommend --user u00001");
    System.out.println("  bin/recsys feedback --user u00001 --item i00010 --type purchase");
    System.out.println("  bin/recsys recommend --user someone-new --viewed i00010,i00030 --debug");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopAll.run();
      stopped.countDown();
    }, "quickstart-shutdown"));
    stopped.await();
    return 0;
  }

  private static RecsysServer start(ServerCommand command, String... args) throws java.io.IOException {
    new CommandLine(command).parseArgs(args);
    return command.start();
  }

  /** Prints, for a few users, what they did lately and what the system recommends now. */
  private void demo() throws Exception {
    Dataset ds = GenericFormat.read(data, "synthetic");
    ItemCatalog items = ds.items();
    SyntheticTruth truth = Files.exists(data.resolve(TruthFile.NAME))
        ? TruthFile.read(data, 0) : null;
    try (GatewayClient client = new GatewayClient("localhost:" + gatewayPort)) {
      for (int u = 0; u < Math.min(DEMO_USERS, ds.users()); u++) {
        String user = ds.userIds().get(u);
        List<Interaction> h = ds.histories().get(u);
        System.out.println();
        System.out.println("user " + user + (truth == null ? "" : " (likes " + truth.liked(user) + ")"));
        System.out.println("  recent history:");
        for (Interaction e : h.subList(Math.max(0, h.size() - 5), h.size())) {
          ItemCatalog.Item it = items.get(e.itemIndex());
          System.out.printf("    %-10s %-12s %-12s %s%n", it.id(), it.category(), e.type(), it.title());
        }
        System.out.println("  recommendations:");
        GatewayClient.print(client.stub(5000).recommend(
            RecommendRequest.newBuilder().setUserId(user).setK(10).build()), System.out);
      }
      System.out.println();
      System.out.println("user new-visitor (unknown: cold start)");
      GatewayClient.print(client.stub(5000).recommend(
          RecommendRequest.newBuilder().setUserId("new-visitor").setK(5).setDebug(true).build()), System.out);
    }
  }

  /** Whether this version's ranking server can serve the bundle's ranker (it refuses other feature lists). */
  private static boolean servesTheseFeatures(BundleLayout bundle) throws java.io.IOException {
    Manifest.RankerFeatureSpec spec = Manifest.read(bundle.manifest()).rankerFeatures();
    return spec != null && RankerFeatures.SPARSE.equals(spec.sparse()) && RankerFeatures.DENSE.equals(spec.dense());
  }
}
