package io.recsys.bench.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.recsys.api.v1.RankRequest;
import io.recsys.bench.ann.QueryLoad;
import io.recsys.bench.serving.RankRequests;
import io.recsys.ranking.bundle.RankingBundle;
import io.recsys.ranking.device.DeviceReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The ranker on whatever device TensorFlow uses in this process (bench/gpu runs it twice: GPUs
 * hidden, then visible): one caller, requests of 1, 64, 500 and 1,000 candidates through what the
 * ranking server does per request (history, feature rows, one DeepFM call), p50/p99 latency and
 * rows/s. With --compare-with, prints the other run's numbers beside these, with the ratio.
 */
@Command(name = "ranker-device", mixinStandardHelpOptions = true,
    description = "The ranker's latency and throughput on this process's TensorFlow device.")
public final class RankerDeviceBenchmark implements Callable<Integer> {

  /** What the run must compute on: a run that lands elsewhere measures the wrong thing, so it stops. */
  enum Expect { cpu, gpu }

  @Option(names = "--bundle", required = true, description = "a bundle directory or a root of versioned bundles")
  Path bundle;

  @Option(names = "--expect", required = true, description = "cpu or gpu: the device this run must use")
  Expect expect;

  @Option(names = "--candidates", defaultValue = "1,64,500,1000", split = ",",
      description = "candidates per request (default: ${DEFAULT-VALUE})")
  List<Integer> candidates;

  @Option(names = "--seconds", defaultValue = "3", description = "measured seconds per candidate count (default: ${DEFAULT-VALUE})")
  double seconds;

  @Option(names = "--warmup-s", defaultValue = "2", description = "seconds of warm-up per candidate count (default: ${DEFAULT-VALUE})")
  double warmupSeconds;

  @Option(names = "--queries", defaultValue = "200", description = "distinct requests cycled through (default: ${DEFAULT-VALUE})")
  int queries;

  @Option(names = "--json", required = true, description = "write this run's results here")
  Path json;

  @Option(names = "--compare-with", description = "an earlier run's JSON, printed beside this one")
  Path compareWith;

  record Cell(int candidates, double p50Ms, double p99Ms, double rowsPerSecond) {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new RankerDeviceBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    String device = DeviceReport.describe();
    System.out.println("[bench/gpu] TensorFlow computes on " + device);
    if (expect == Expect.gpu) {
      try {
        DeviceReport.require(DeviceReport.Wanted.gpu);
      } catch (DeviceReport.NoUsableGpuException e) {
        System.err.println("[bench/gpu] " + e.getMessage());
        return 3;
      }
    } else if (device.startsWith("GPU")) {
      System.err.println("[bench/gpu] expected the CPU, but TensorFlow uses a GPU (CUDA_VISIBLE_DEVICES=-1 hides them)");
      return 3;
    }
    List<Cell> cells = new ArrayList<>();
    try (RankingBundle ranker = RankingBundle.load(bundle)) {
      Random rnd = new Random(2);
      List<RankRequests.Session> sessions = RankRequests.sessions(queries, ranker, rnd);
      for (int n : candidates) {
        List<RankRequest> requests = new ArrayList<>();
        for (RankRequests.Session s : sessions) {
          requests.add(RankRequests.rankRequest(s, n, ranker.items(), rnd));
        }
        QueryLoad.Search rank = RankRequests.inProcess(ranker, requests);
        new QueryLoad(queries, warmupSeconds).measure(rank, 1);
        QueryLoad.Result r = new QueryLoad(queries, seconds).measure(rank, 1);
        cells.add(new Cell(n, r.p50Ms(), r.p99Ms(), r.qps() * n));
        System.out.printf("[bench/gpu] %s, %d candidates: p50 %.3f ms, p99 %.3f ms, %.0f rows/s%n",
            expect, n, r.p50Ms(), r.p99Ms(), r.qps() * n);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("expect", expect.name());
    out.put("device", device);
    out.put("bundle", bundle.toString());
    out.put("seconds_per_cell", seconds);
    out.put("cells", cells);
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    mapper.writeValue(json.toFile(), out);
    if (compareWith != null) {
      printSideBySide(mapper.readTree(compareWith.toFile()), mapper.readTree(json.toFile()));
    }
    return 0;
  }

  /** One line per candidate count: the other run (the CPU), this run, and this run's speed-up. */
  private static void printSideBySide(JsonNode other, JsonNode self) {
    String a = other.get("expect").asText();
    String b = self.get("expect").asText();
    System.out.println();
    System.out.println(a + ": " + other.get("device").asText());
    System.out.println(b + ": " + self.get("device").asText());
    System.out.printf("%10s | %9s %9s %11s | %9s %9s %11s | %9s%n", "candidates",
        a + " p50", a + " p99", a + " rows/s", b + " p50", b + " p99", b + " rows/s", "rows/s x");
    for (int i = 0; i < self.get("cells").size(); i++) {
      JsonNode x = other.get("cells").get(i);
      JsonNode y = self.get("cells").get(i);
      System.out.printf("%10d | %7.3fms %7.3fms %11.0f | %7.3fms %7.3fms %11.0f | %8.2fx%n",
          y.get("candidates").asInt(), x.get("p50Ms").asDouble(), x.get("p99Ms").asDouble(),
          x.get("rowsPerSecond").asDouble(), y.get("p50Ms").asDouble(), y.get("p99Ms").asDouble(),
          y.get("rowsPerSecond").asDouble(), y.get("rowsPerSecond").asDouble() / x.get("rowsPerSecond").asDouble());
    }
  }
}
