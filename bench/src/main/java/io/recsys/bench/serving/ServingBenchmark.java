package io.recsys.bench.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.recsys.api.v1.Event;
import io.recsys.api.v1.RankRequest;
import io.recsys.api.v1.RankingServiceGrpc;
import io.recsys.api.v1.RetrievalServiceGrpc;
import io.recsys.api.v1.RetrieveRequest;
import io.recsys.bench.ann.QueryLoad;
import io.recsys.bench.serving.RankRequests.Session;
import io.recsys.common.features.CandidateSources;
import io.recsys.common.server.RecsysServer;
import io.recsys.common.server.ServerCommand;
import io.recsys.common.validation.EventValidator;
import io.recsys.ranking.RankingServerCommand;
import io.recsys.ranking.bundle.RankingBundle;
import io.recsys.retrieval.RetrievalServerCommand;
import io.recsys.retrieval.bundle.RetrievalBundle;
import io.recsys.retrieval.source.CandidateSource;
import io.recsys.retrieval.source.ExcludedItems;
import io.recsys.retrieval.source.RetrievalQuery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Each engine raw (in process, no gRPC) against the same engine served by its real server over
 * gRPC on localhost, measured side by side in one run with the same requests and threads:
 * two-tower retrieval (user tower + HNSW search) in queries/s, ranking (feature rows + DeepFM) in
 * rows/s at several candidate counts. The ratio served / raw is what serving costs on top of the
 * engines. Prints a table and writes JSON.
 */
@Command(name = "serving-benchmark", mixinStandardHelpOptions = true,
    description = "Raw engines vs the same engines served over gRPC, side by side.")
public final class ServingBenchmark implements Callable<Integer> {

  @Option(names = "--bundle", required = true, description = "a bundle directory or a root of versioned bundles")
  Path bundle;

  @Option(names = "--threads", defaultValue = "1,8,32", split = ",", description = "concurrent callers (default: ${DEFAULT-VALUE})")
  List<Integer> threads;

  @Option(names = "--candidates", defaultValue = "50,250,1000", split = ",",
      description = "candidates per Rank request (default: ${DEFAULT-VALUE})")
  List<Integer> candidates;

  @Option(names = "--retrieve-k", defaultValue = "200", description = "two-tower candidates per query (default: ${DEFAULT-VALUE})")
  int retrieveK;

  @Option(names = "--seconds", defaultValue = "4", description = "measured seconds per cell, after a quarter of it as warm-up (default: ${DEFAULT-VALUE})")
  double seconds;

  @Option(names = "--warmup-s", defaultValue = "5",
      description = "seconds each engine runs, raw and served, at 8 threads before its cells: the JIT compiles both paths (default: ${DEFAULT-VALUE})")
  double warmupSeconds;

  @Option(names = "--queries", defaultValue = "500", description = "distinct requests cycled through (default: ${DEFAULT-VALUE})")
  int queries;

  @Option(names = "--max-queue-delay-micros", defaultValue = "0",
      description = "the ranking server's batcher delay (default: ${DEFAULT-VALUE}, the server's default)")
  long maxQueueDelayMicros;

  @Option(names = "--json", description = "write the results here")
  Path json;

  /** One cell: the engine in process and behind its server. */
  record Row(String engine, int candidates, int threads, QueryLoad.Result raw, QueryLoad.Result served,
             double rawPerSecond, double servedPerSecond, double ratio) {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new ServingBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    QueryLoad load = new QueryLoad(queries, seconds);
    List<Row> rows = new ArrayList<>();
    rows.addAll(retrieval(load));
    rows.addAll(ranking(load));
    System.out.println();
    System.out.printf("%-10s %10s %7s %12s %12s %7s %9s %9s%n", "engine", "candidates", "threads",
        "raw/s", "served/s", "ratio", "raw p50", "srv p50");
    for (Row r : rows) {
      System.out.printf("%-10s %10d %7d %12.0f %12.0f %6.0f%% %7.2fms %7.2fms%n", r.engine(), r.candidates(),
          r.threads(), r.rawPerSecond(), r.servedPerSecond(), 100 * r.ratio(), r.raw().p50Ms(), r.served().p50Ms());
    }
    if (json != null) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("bundle", bundle.toString());
      out.put("cores", Runtime.getRuntime().availableProcessors());
      out.put("seconds_per_cell", seconds);
      out.put("max_queue_delay_micros", maxQueueDelayMicros);
      out.put("rows", rows);
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), out);
      System.out.println("wrote " + json);
    }
    return 0;
  }

  /** Two-tower queries per second: the user tower and the index search vs Retrieve over gRPC. */
  private List<Row> retrieval(QueryLoad load) throws Exception {
    List<Row> rows = new ArrayList<>();
    try (RetrievalBundle raw = RetrievalBundle.load(bundle);
         Served served = Served.start(new RetrievalServerCommand(), "--port", "0", "--bundle", bundle.toString())) {
      List<Session> sessions = RankRequests.sessions(queries, raw.items(), raw.users(), new Random(1));
      CandidateSource twoTower = raw.source(CandidateSources.TWO_TOWER).orElseThrow();
      long now = System.currentTimeMillis();
      List<RetrievalQuery> rawQueries = new ArrayList<>();
      List<ExcludedItems> excluded = new ArrayList<>();
      List<RetrieveRequest> requests = new ArrayList<>();
      for (Session s : sessions) {
        rawQueries.add(new RetrievalQuery(s.userId(), raw.users().indexOf(s.userId()),
            EventValidator.resolve(s.events(), raw.items(), now)));
        excluded.add(ExcludedItems.of(s.events().stream().mapToInt(e -> raw.items().indexOf(e.getItemId())).toArray()));
        requests.add(RetrieveRequest.newBuilder().setSource(CandidateSources.TWO_TOWER).setUserId(s.userId())
            .addAllRecentEvents(s.events()).setK(retrieveK)
            .addAllExcludeItemIds(s.events().stream().map(Event::getItemId).toList()).build());
      }
      var stub = RetrievalServiceGrpc.newBlockingStub(served.channel);
      QueryLoad.Search rawSearch = q -> twoTower.retrieve(rawQueries.get(q), retrieveK, excluded.get(q)).size();
      QueryLoad.Search servedSearch = q -> stub.withDeadlineAfter(10, TimeUnit.SECONDS)
          .retrieve(requests.get(q)).getCandidatesCount();
      warmUp("retrieval", rawSearch, servedSearch);
      for (int t : threads) {
        progress("retrieval two_tower k=" + retrieveK + ", " + t + " threads");
        QueryLoad.Result r = load.measure(rawSearch, t);
        QueryLoad.Result s = load.measure(servedSearch, t);
        rows.add(new Row("retrieval", retrieveK, t, r, s, r.qps(), s.qps(), s.qps() / r.qps()));
      }
    }
    return rows;
  }

  /** Ranking rows per second: feature rows and one model call vs Rank over gRPC (dynamic batching on). */
  private List<Row> ranking(QueryLoad load) throws Exception {
    List<Row> rows = new ArrayList<>();
    try (RankingBundle raw = RankingBundle.load(bundle);
         Served served = Served.start(new RankingServerCommand(), "--port", "0", "--bundle", bundle.toString(),
             "--max-queue-delay-micros", Long.toString(maxQueueDelayMicros))) {
      var stub = RankingServiceGrpc.newBlockingStub(served.channel);
      Random rnd = new Random(2);
      List<Session> sessions = RankRequests.sessions(queries, raw, rnd);
      for (int n : candidates) {
        List<RankRequest> requests = new ArrayList<>();
        for (Session s : sessions) {
          requests.add(RankRequests.rankRequest(s, n, raw.items(), rnd));
        }
        QueryLoad.Search rawScoring = RankRequests.inProcess(raw, requests);
        QueryLoad.Search servedScoring = q -> stub.withDeadlineAfter(10, TimeUnit.SECONDS)
            .rank(requests.get(q)).getScoresCount();
        warmUp("ranking " + n, rawScoring, servedScoring);
        for (int t : threads) {
          progress("ranking " + n + " candidates, " + t + " threads");
          QueryLoad.Result r = load.measure(rawScoring, t);
          QueryLoad.Result s = load.measure(servedScoring, t);
          rows.add(new Row("ranking", n, t, r, s, r.qps() * n, s.qps() * n, s.qps() / r.qps()));
        }
      }
    }
    return rows;
  }

  private void warmUp(String engine, QueryLoad.Search raw, QueryLoad.Search served) throws Exception {
    System.out.printf("[serving-benchmark] %s: warming up raw and served for %.0f s each%n", engine, warmupSeconds);
    QueryLoad warm = new QueryLoad(queries, warmupSeconds);
    warm.measure(raw, 8);
    warm.measure(served, 8);
  }

  private static void progress(String what) {
    System.out.println("[serving-benchmark] " + what + ": raw, then served");
  }

  /** A real server started by its own command on a free port, with a channel to it. */
  private static final class Served implements AutoCloseable {
    final RecsysServer server;
    final ManagedChannel channel;

    private Served(RecsysServer server) {
      this.server = server;
      this.channel = Grpc.newChannelBuilder("localhost:" + server.port(), InsecureChannelCredentials.create()).build();
    }

    static Served start(ServerCommand command, String... args) throws Exception {
      new CommandLine(command).parseArgs(args);
      return new Served(command.start());
    }

    @Override
    public void close() throws InterruptedException {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.close();
    }
  }
}
