package io.recsys.bench.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.recsys.api.v1.CatalogItem;
import io.recsys.api.v1.CatalogServiceGrpc;
import io.recsys.api.v1.UpsertItemsRequest;
import io.recsys.cli.loadtest.ClosedLoopDriver;
import io.recsys.cli.loadtest.GatewayChannels;
import io.recsys.cli.loadtest.LatencyRecorder;
import io.recsys.cli.loadtest.StepResult;
import io.recsys.cli.loadtest.TrafficIds;
import io.recsys.cli.loadtest.TrafficMix;
import io.recsys.common.bundle.BundleLayout;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.server.RecsysServer;
import io.recsys.common.server.ServerCommand;
import io.recsys.gateway.GatewayServerCommand;
import io.recsys.ranking.RankingServerCommand;
import io.recsys.retrieval.RetrievalServerCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.util.IOUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Live catalog updates under load: the three servers in this JVM over one bundle, a closed loop of
 * Recommend calls through the load-test harness, and, in one phase, a burst of upserts through
 * CatalogService as fast as it takes them. Reports upserts/s sustained while serving, and the
 * Recommend latency during the burst against the same load without upserts (before, and after
 * with the new items in the live index), as ratios from one run.
 */
@Command(name = "catalog", mixinStandardHelpOptions = true,
    description = "Benchmark live catalog upserts while serving (bench/catalog).")
public final class CatalogBenchmark implements Callable<Integer> {

  @Option(names = "--bundle", required = true, description = "A bundle directory or a root of versioned bundles.")
  Path bundle;

  @Option(names = "--upserts", description = "Items upserted in the burst (default ${DEFAULT-VALUE}).")
  int upserts = 10_000;

  @Option(names = "--batch", description = "Items per UpsertItems call (default ${DEFAULT-VALUE}).")
  int batch = 100;

  @Option(names = "--clients", description = "Concurrent Recommend callers (default ${DEFAULT-VALUE}).")
  int clients = 4;

  @Option(names = "--seconds", description = "Length of each phase without upserts (default ${DEFAULT-VALUE}).")
  double seconds = 20;

  @Option(names = "--short", description = "CI mode: 2,000 upserts, 5 s phases (< 1 min).")
  boolean shortMode;

  @Option(names = "--json", description = "Also write the results as JSON to this file.")
  Path json;

  /** One load phase. */
  record Phase(String name, double seconds, long requests, double p50Ms, double p99Ms, long errors) {
    static Phase of(String name, StepResult r) {
      return new Phase(name, r.seconds(), r.requests(), r.latencyMs().p50(), r.latencyMs().p99(), r.errorCount());
    }
  }

  record Result(String bundle, int upserts, int batch, int clients, double upsertSeconds, double upsertsPerSecond,
                Phase before, Phase burst, Phase after, double burstP99Ratio, double afterP99Ratio) {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new CatalogBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (shortMode) {
      upserts = 2_000;
      seconds = 5;
    }
    Path work = Files.createTempDirectory("recsys-bench-catalog");
    List<RecsysServer> servers = new ArrayList<>();
    try {
      String[] common = {"--bundle", bundle.toString(), "--catalog-log", work.resolve("catalog").toString(),
          "--port", "0", "--metrics-port", "0", "--reload-interval-seconds", "0"};
      RecsysServer retrieval = start(new RetrievalServerCommand(), common);
      servers.add(retrieval);
      RecsysServer ranking = start(new RankingServerCommand(), common);
      servers.add(ranking);
      RecsysServer gateway = start(new GatewayServerCommand(), concat(common,
          "--retrieval", "localhost:" + retrieval.port(), "--ranking", "localhost:" + ranking.port(),
          "--event-log", "file:" + work.resolve("events")));
      servers.add(gateway);
      Result r = run("localhost:" + gateway.port(), "localhost:" + gateway.adminPort());
      print(r);
      if (json != null) {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), r);
      }
      return 0;
    } finally {
      for (int i = servers.size() - 1; i >= 0; i--) {
        servers.get(i).close();
      }
      IOUtils.rm(work);
    }
  }

  private Result run(String target, String adminTarget) throws Exception {
    TrafficMix mix = new TrafficMix(TrafficIds.fromBundle(bundle), 0.1, 0.5, 0.0, 0.0, List.of(10, 20));
    List<CatalogItem> items = newItems(ItemCatalog.read(BundleLayout.resolve(bundle).items()), upserts);
    try (GatewayChannels channels = new GatewayChannels(target, clients, 5_000)) {
      ClosedLoopDriver load = new ClosedLoopDriver(channels, mix, 42);
      System.out.printf("[catalog] warm-up %.0f s%n", Math.min(seconds, 5));
      load.run("warm-up", clients, Math.min(seconds, 5), Long.MAX_VALUE, new LatencyRecorder());
      Phase before = Phase.of("no upserts", load.run("before", clients, seconds, Long.MAX_VALUE, new LatencyRecorder()));
      System.out.printf("[catalog] %s%n", before);

      ManagedChannel admin = ManagedChannelBuilder.forTarget(adminTarget).usePlaintext().build();
      double[] upsertSeconds = new double[1];
      Thread burst = Thread.ofPlatform().name("upsert-burst").start(() -> {
        var stub = CatalogServiceGrpc.newBlockingStub(admin);
        long t0 = System.nanoTime();
        for (int from = 0; from < items.size(); from += batch) {
          stub.withDeadlineAfter(30, TimeUnit.SECONDS).upsertItems(UpsertItemsRequest.newBuilder()
              .addAllItems(items.subList(from, Math.min(items.size(), from + batch))).build());
        }
        upsertSeconds[0] = (System.nanoTime() - t0) / 1e9;
      });
      // the load runs until the burst is over (the recorder sees only calls made during it)
      LatencyRecorder during = new LatencyRecorder();
      StepResult burstLoad = runWhile(load, burst, during);
      Phase duringBurst = Phase.of(upserts + " upserts", burstLoad);
      admin.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      System.out.printf("[catalog] %s%n", duringBurst);

      Phase after = Phase.of(upserts + " live items", load.run("after", clients, seconds, Long.MAX_VALUE,
          new LatencyRecorder()));
      System.out.printf("[catalog] %s%n", after);
      return new Result(bundle.toString(), upserts, batch, clients, upsertSeconds[0], upserts / upsertSeconds[0],
          before, duringBurst, after, duringBurst.p99Ms() / before.p99Ms(), after.p99Ms() / before.p99Ms());
    }
  }

  /** Closed-loop load in short slices until the burst thread ends. */
  private StepResult runWhile(ClosedLoopDriver load, Thread burst, LatencyRecorder recorder) throws InterruptedException {
    StepResult last = null;
    double total = 0;
    while (burst.isAlive()) {
      last = load.run("burst", clients, 0.25, Long.MAX_VALUE, recorder);
      total += last.seconds();
    }
    burst.join();
    return new StepResult(last.label(), 0, clients, total, last.requests(), last.requests() / total,
        last.latencyMs(), last.errors(), last.degraded(), last.feedback(), 0, last.histogram());
  }

  /** New items like the bundle's: a bundle item's title and category, a new id. */
  static List<CatalogItem> newItems(ItemCatalog catalog, int n) {
    List<CatalogItem> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ItemCatalog.Item like = catalog.get(i % catalog.size());
      out.add(CatalogItem.newBuilder().setItemId("bench-live-" + i).setTitle("new " + like.title())
          .setCategory(like.category()).setPrice(like.price()).build());
    }
    return out;
  }

  private static void print(Result r) {
    System.out.printf("%nlive catalog: %d upserts in calls of %d while %d clients call Recommend (one JVM, %d cores)%n",
        r.upserts(), r.batch(), r.clients(), Runtime.getRuntime().availableProcessors());
    System.out.printf("  upserts/s sustained while serving: %.0f (%.1f s for the burst)%n", r.upsertsPerSecond(),
        r.upsertSeconds());
    System.out.printf("  %-24s %8s %8s %8s %7s%n", "Recommend", "calls", "p50 ms", "p99 ms", "errors");
    for (Phase p : List.of(r.before(), r.burst(), r.after())) {
      System.out.printf("  %-24s %8d %8.2f %8.2f %7d%n", p.name(), p.requests(), p.p50Ms(), p.p99Ms(), p.errors());
    }
    System.out.printf("  p99 during the burst / without upserts: %.2fx; with the live items afterwards: %.2fx%n",
        r.burstP99Ratio(), r.afterP99Ratio());
  }

  private static RecsysServer start(ServerCommand command, String... args) throws java.io.IOException {
    new CommandLine(command).parseArgs(args);
    return command.start();
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
