package io.recsys.bench.shards;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.recsys.bench.ann.ClusteredVectorOptions;
import io.recsys.bench.ann.ItemVectors;
import io.recsys.bench.ann.JvmProbe;
import io.recsys.bench.ann.PrintedProgress;
import io.recsys.bench.ann.QueryLoad;
import io.recsys.common.index.ExactScan;
import io.recsys.common.index.HnswSettings;
import io.recsys.common.index.ItemShards;
import io.recsys.common.index.ItemVectorIndex;
import io.recsys.common.index.ItemVectorSearcher;
import io.recsys.common.index.LuceneVectorization;
import io.recsys.common.index.ScoredItems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.lucene.util.IOUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The item index split into 1, 2, 4 ... shards the way bundles split it ({@link ItemShards} on the
 * item id, one HNSW index per shard, built by {@link ItemVectorIndex}, searched by
 * {@link ItemVectorSearcher} as a shard server does), every shard asked for k and the answers
 * merged as the gateway merges them. Per shard count: recall@k of the merged answer against an
 * exact scan of all items; latency per query as pods in parallel see it (the slowest shard) and as
 * one machine serving every shard pays it (the sum); build time; bytes per shard (vectors, graph,
 * the rest on disk, all memory-mapped, plus the searcher's heap).
 */
@Command(name = "shards", mixinStandardHelpOptions = true,
    description = "Benchmark the sharded item index: recall, latency and memory at 1, 2, 4 shards (bench/shards).")
public final class ShardBenchmark implements Callable<Integer> {

  @Mixin
  ClusteredVectorOptions synthetic;

  @Option(names = "--k", description = "Items asked per query, of every shard (default ${DEFAULT-VALUE}).")
  int k = 100;

  @Option(names = "--shards", split = ",", description = "Shard counts to measure (default ${DEFAULT-VALUE}).")
  List<Integer> shardCounts = List.of(1, 2, 4);

  @Option(names = "--rounds", description = "Measured passes over the queries, after one warm-up pass"
      + " (default ${DEFAULT-VALUE}).")
  int rounds = 3;

  @Option(names = "--index-threads", description = "Index build threads (default: available processors).")
  int indexThreads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--short", description = "CI mode: 10,000 items, 100 queries, one measured pass (< 1 min).")
  boolean shortMode;

  @Option(names = "--work-dir", description = "Where indexes are built (default: a temporary directory, removed).")
  Path workDir;

  @Option(names = "--json", description = "Also write the results as JSON to this file.")
  Path json;

  /** Bytes of one shard's index files by kind, and the heap its searcher holds. */
  record ShardBytes(int items, long vectors, long graph, long other, long heap) {}

  /**
   * One shard count. slowest*: per query the slowest shard (shards on their own pods, searched in
   * parallel); sum*: all shards one after the other (one machine's CPU per query). Both include
   * the merge.
   */
  record Row(int shards, double buildSeconds, double recall, double slowestP50Ms, double slowestP99Ms,
             double sumP50Ms, double sumP99Ms, List<ShardBytes> perShard) {}

  record Report(String vectors, int items, int dim, int queries, int k, String graph, String jdk, int cores,
                boolean luceneVectorized, List<Double> loadAverage, List<Row> rows) {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new ShardBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (shortMode) {
      synthetic.items = 10_000;
      synthetic.queries = 100;
      rounds = 1;
    }
    int items = synthetic.items;
    int queries = synthetic.queries;
    LuceneVectorization.logStatus();
    double loadAtStart = JvmProbe.loadAverage();
    ItemVectors data = synthetic.generate();
    HnswSettings graph = HnswSettings.withThreads(indexThreads);
    say("%s: %d x %d, %d queries, k=%d, graph %s; JDK %s, %d cores, Lucene vectorized: %s", data.source(),
        items, data.dim(), queries, k, graph, Runtime.version(), Runtime.getRuntime().availableProcessors(),
        LuceneVectorization.available());
    ExactScan exact = new ExactScan(data.rows());
    int[][] truth = IntStream.range(0, queries).parallel()
        .mapToObj(q -> exact.topK(data.queries()[q], k)).toArray(int[][]::new);

    Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("recsys-shards");
    List<Built> built = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    try {
      for (int n : shardCounts) {
        built.add(build(n, data, graph, truth, work.resolve("shards-" + n)));
      }
      // every shard count is measured query by query in turn, so all see the same moments of load
      long[][][] latencies = measure(built, data.queries());
      for (int c = 0; c < built.size(); c++) {
        Built b = built.get(c);
        Row row = new Row(b.shards(), b.buildSeconds(), b.recall(), ms(latencies[c][0], 0.50),
            ms(latencies[c][0], 0.99), ms(latencies[c][1], 0.50), ms(latencies[c][1], 0.99), b.bytes());
        rows.add(row);
        say("%d shard(s): slowest shard p50 %.3f p99 %.3f ms; all shards p50 %.3f p99 %.3f ms", row.shards(),
            row.slowestP50Ms(), row.slowestP99Ms(), row.sumP50Ms(), row.sumP99Ms());
      }
    } finally {
      for (Built b : built) {
        IOUtils.close(b.searchers());
      }
      if (workDir == null) {
        IOUtils.rm(work);
      }
    }
    Report report = new Report(data.source(), items, data.dim(), queries, k, graph.toString(), Runtime.version().toString(),
        Runtime.getRuntime().availableProcessors(), LuceneVectorization.available(),
        List.of(loadAtStart, JvmProbe.loadAverage()), rows);
    printTable(report);
    if (json != null) {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
      say("wrote %s", json);
    }
    return 0;
  }

  /** One shard count, built and open: its searchers, what it took and holds, its merged recall. */
  private record Built(int shards, double buildSeconds, double recall, List<ItemVectorSearcher> searchers,
                       List<ShardBytes> bytes) {}

  private Built build(int n, ItemVectors data, HnswSettings graph, int[][] truth, Path dir) throws Exception {
    int[][] parts = ItemShards.partition(data.items(), i -> "item-" + i, n);
    long t0 = System.nanoTime();
    for (int s = 0; s < n; s++) {
      say("%d shard(s): building shard %d (%d items)", n, s, parts[s].length);
      ItemVectorIndex.build(dir.resolve("shard-" + s), data.matrix(), parts[s], graph,
          new PrintedProgress("[shards]", System.nanoTime()));
    }
    double buildSeconds = (System.nanoTime() - t0) / 1e9;
    List<ItemVectorSearcher> searchers = new ArrayList<>();
    List<ShardBytes> bytes = new ArrayList<>();
    try {
      for (int s = 0; s < n; s++) {
        long heapBefore = JvmProbe.usedHeapAfterGc();
        // exact-scan limit 0: every shard searches its graph, as shards of a large catalog do
        searchers.add(ItemVectorSearcher.open(dir.resolve("shard-" + s), ItemVectorSearcher.DEFAULT_OVER_FETCH, 0));
        bytes.add(filesOf(dir.resolve("shard-" + s), parts[s].length, JvmProbe.usedHeapAfterGc() - heapBefore));
      }
      double recall = 0;
      for (int q = 0; q < truth.length; q++) {
        recall += recall(merged(searchers, data.queries()[q]), truth[q]);
      }
      recall /= truth.length;
      say("%d shard(s): built in %.1f s; recall@%d %.4f", n, buildSeconds, k, recall);
      return new Built(n, buildSeconds, recall, searchers, bytes);
    } catch (IOException | RuntimeException e) {
      IOUtils.closeWhileHandlingException(searchers);
      throw e;
    }
  }

  /**
   * Per shard count, per query: [0] the slowest shard's search + the merge, [1] every shard's search
   * + the merge; sorted. The counts take turns on each query after one warm-up pass.
   */
  private long[][][] measure(List<Built> built, float[][] qs) throws IOException {
    int total = rounds * qs.length;
    long[][][] out = new long[built.size()][2][total];
    for (int pass = -1; pass < rounds; pass++) {
      for (int q = 0; q < qs.length; q++) {
        for (int c = 0; c < built.size(); c++) {
          List<ItemVectorSearcher> searchers = built.get(c).searchers();
          ScoredItems[] answers = new ScoredItems[searchers.size()];
          long max = 0;
          long all = 0;
          for (int s = 0; s < searchers.size(); s++) {
            long t = System.nanoTime();
            answers[s] = searchers.get(s).search(qs[q], k);
            long took = System.nanoTime() - t;
            max = Math.max(max, took);
            all += took;
          }
          long t = System.nanoTime();
          int[] top = merge(answers);
          long mergeNanos = System.nanoTime() - t;
          if (pass >= 0 && top.length > 0) {
            out[c][0][pass * qs.length + q] = max + mergeNanos;
            out[c][1][pass * qs.length + q] = all + mergeNanos;
          }
        }
      }
    }
    for (long[][] config : out) {
      Arrays.sort(config[0]);
      Arrays.sort(config[1]);
    }
    return out;
  }

  private int[] merged(List<ItemVectorSearcher> searchers, float[] query) throws IOException {
    ScoredItems[] answers = new ScoredItems[searchers.size()];
    for (int s = 0; s < answers.length; s++) {
      answers[s] = searchers.get(s).search(query, k);
    }
    return merge(answers);
  }

  /** The best k of all shards' answers by score, ties by item (what the gateway's merge keeps). */
  private int[] merge(ScoredItems[] answers) {
    if (answers.length == 1) {
      return answers[0].items();
    }
    List<long[]> all = new ArrayList<>();
    for (ScoredItems a : answers) {
      for (int i = 0; i < a.size(); i++) {
        all.add(new long[] {Float.floatToIntBits(a.scores()[i]), a.items()[i]});
      }
    }
    all.sort((x, y) -> {
      int byScore = Float.compare(Float.intBitsToFloat((int) y[0]), Float.intBitsToFloat((int) x[0]));
      return byScore != 0 ? byScore : Long.compare(x[1], y[1]);
    });
    return all.stream().limit(k).mapToInt(h -> (int) h[1]).toArray();
  }

  private static double recall(int[] found, int[] truth) {
    Set<Integer> exact = new HashSet<>();
    Arrays.stream(truth).forEach(exact::add);
    return Arrays.stream(found).filter(exact::contains).count() / (double) truth.length;
  }

  /** Lucene99 HNSW: .vec holds the raw vectors, .vex the graph; the rest is doc values and metadata. */
  private static ShardBytes filesOf(Path dir, int items, long heap) throws IOException {
    long vectors = 0;
    long graph = 0;
    long other = 0;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        String name = p.getFileName().toString();
        long size = Files.size(p);
        if (name.endsWith(".vec")) {
          vectors += size;
        } else if (name.endsWith(".vex")) {
          graph += size;
        } else {
          other += size;
        }
      }
    }
    return new ShardBytes(items, vectors, graph, other, heap);
  }

  private static double ms(long[] sortedNanos, double p) {
    return QueryLoad.percentile(sortedNanos, p) / 1e6;
  }

  private void printTable(Report r) {
    System.out.printf("%nSharded HNSW: %s, %d x %d, k=%d from every shard, %d queries, graph %s; JDK %s, %d cores"
            + " (load average %.1f at start, %.1f at end), Lucene vectorized: %s%n",
        r.vectors(), r.items(), r.dim(), r.k(), r.queries(), r.graph(), r.jdk(), r.cores(),
        r.loadAverage().get(0), r.loadAverage().get(1), r.luceneVectorized());
    System.out.printf("%-6s %-8s %-9s %-25s %-25s %-10s %-28s%n", "shards", "build s", "recall",
        "slowest shard p50/p99 ms", "all shards p50/p99 ms", "items/shard",
        "per shard MB: vectors graph other heap");
    for (Row row : r.rows()) {
      ShardBytes largest = row.perShard().stream().max((a, b) -> Integer.compare(a.items(), b.items())).orElseThrow();
      System.out.printf("%-6d %-8.1f %-9.4f %-25s %-25s %-10d %.1f %.1f %.1f %.1f%n", row.shards(), row.buildSeconds(),
          row.recall(), String.format("%.3f / %.3f", row.slowestP50Ms(), row.slowestP99Ms()),
          String.format("%.3f / %.3f", row.sumP50Ms(), row.sumP99Ms()), largest.items(), largest.vectors() / 1e6,
          largest.graph() / 1e6, largest.other() / 1e6, largest.heap() / 1e6);
    }
    Row one = r.rows().getFirst();
    ShardBytes whole = one.perShard().getFirst();
    if (one.shards() == 1) {
      System.out.printf("bytes per item (1 shard): vectors %.1f, graph %.1f, other %.1f, heap %.1f%n",
          whole.vectors() / (double) whole.items(), whole.graph() / (double) whole.items(),
          whole.other() / (double) whole.items(), whole.heap() / (double) whole.items());
    }
  }

  private static void say(String format, Object... args) {
    System.out.printf("[shards] " + format + "%n", args);
  }
}
