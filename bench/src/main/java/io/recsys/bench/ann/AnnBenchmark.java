package io.recsys.bench.ann;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.recsys.common.index.ExactScan;
import io.recsys.common.index.HnswSettings;
import io.recsys.common.index.ItemVectorIndex;
import io.recsys.common.index.ItemVectorSearcher;
import io.recsys.common.index.LuceneVectorization;
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
 * Lucene HNSW at catalog sizes where it matters, measured through the code the servers run
 * ({@link ItemVectorIndex} builds, {@link ItemVectorSearcher} searches): recall@k against an exact
 * scan, QPS and p50/p99 per thread count, build time, index size on disk and on the heap, for each
 * graph (M / beam) and over-fetch, and HNSW's QPS as a multiple of a SIMD exact scan's, measured
 * in the same run.
 */
@Command(name = "ann", mixinStandardHelpOptions = true,
    description = "Benchmark the item HNSW index against an exact scan (bench/ann).")
public final class AnnBenchmark implements Callable<Integer> {

  @Mixin
  ClusteredVectorOptions synthetic;

  @Option(names = "--k", description = "Items asked per query (default ${DEFAULT-VALUE}).")
  int k = 100;

  @Option(names = "--vectors", description = "Search a bundle's item_embeddings.f32 instead of synthetic vectors.")
  Path vectors;

  @Option(names = "--graphs", split = ",", description = "HNSW graphs as M/beam (default ${DEFAULT-VALUE}).")
  List<String> graphs = List.of("16/100");

  @Option(names = "--over-fetch", split = ",", description = "Over-fetch factors: the search collects factor x k"
      + " candidates and keeps k (default ${DEFAULT-VALUE}).")
  List<Double> overFetch = List.of(1.0, 1.5, 2.0, 3.0);

  @Option(names = "--threads", split = ",", description = "Search threads to measure (default ${DEFAULT-VALUE}).")
  List<Integer> threads = List.of(1, 2);

  @Option(names = "--index-threads", description = "Index build threads (default: available processors).")
  int indexThreads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--seconds", description = "Measured seconds per QPS point, after a quarter of that warming up"
      + " (default ${DEFAULT-VALUE}).")
  double seconds = 2;

  @Option(names = "--work-dir", description = "Where indexes are built (default: a temporary directory, removed).")
  Path workDir;

  @Option(names = "--filter-selectivity", split = ",", description = "Also sweep category filters letting"
      + " these shares of the items through (e.g. 0.001,0.01,0.1): the exact scan of the allowed items vs"
      + " Lucene's filtered HNSW, on the first graph at the default over-fetch.")
  List<Double> filterSelectivity = List.of();

  @Option(names = "--json", description = "Also write the results as JSON to this file.")
  Path json;

  /** One graph at one over-fetch. speedup: HNSW QPS / exact-scan QPS at the same thread count. */
  record Row(int maxConn, int beamWidth, double overFetch, double recall, List<QueryLoad.Result> hnsw,
             List<Double> speedup, double buildSeconds, int buildThreads, double indexMb, double heapMb) {}

  /** loadAverage: the machine's 1-minute load at start and end; above the core count, others ran too. */
  record Report(String vectors, int items, int dim, int queries, int k, String jdk, int cores,
                boolean luceneVectorized, List<Double> loadAverage, List<QueryLoad.Result> exactScan,
                List<Row> hnsw) {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new AnnBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    LuceneVectorization.logStatus();
    double loadAtStart = JvmProbe.loadAverage();
    ItemVectors data = vectors != null
        ? ItemVectors.fromFile(vectors, synthetic.dim, synthetic.queries, synthetic.seed)
        : synthetic.generate();
    say("%s: %d x %d, %d queries, k=%d; JDK %s, %d cores, Lucene vectorized: %s", data.source(),
        data.items(), data.dim(), queries(), k, Runtime.version(), Runtime.getRuntime().availableProcessors(),
        LuceneVectorization.available());

    ExactScan exact = new ExactScan(data.rows());
    long t0 = System.nanoTime();
    int[][] truth = IntStream.range(0, queries()).parallel()
        .mapToObj(q -> exact.topK(data.queries()[q], k)).toArray(int[][]::new);
    say("exact top-%d of %d queries in %.1f s", k, queries(), (System.nanoTime() - t0) / 1e9);

    QueryLoad load = new QueryLoad(queries(), seconds);
    List<QueryLoad.Result> exactScan = new ArrayList<>();
    for (int t : threads) {
      QueryLoad.Result r = load.measure(q -> exact.topK(data.queries()[q], k).length, t);
      exactScan.add(r);
      say("exact scan, %d thread(s): %.1f QPS, p50 %.2f ms, p99 %.2f ms", t, r.qps(), r.p50Ms(), r.p99Ms());
    }

    Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("recsys-ann");
    List<Row> rows = new ArrayList<>();
    try {
      for (String graph : graphs) {
        rows.addAll(benchGraph(parseGraph(graph), data, truth, load, exactScan, work));
      }
    } finally {
      if (workDir == null) {
        IOUtils.rm(work);
      }
    }
    Report report = new Report(data.source(), data.items(), data.dim(), queries(), k,
        Runtime.version().toString(), Runtime.getRuntime().availableProcessors(),
        LuceneVectorization.available(), List.of(loadAtStart, JvmProbe.loadAverage()), exactScan, rows);
    printTable(report);
    if (json != null) {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
      say("wrote %s", json);
    }
    return 0;
  }

  private int queries() {
    return synthetic.queries;
  }

  private HnswSettings parseGraph(String graph) {
    String[] mb = graph.split("/");
    if (mb.length != 2) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--graphs takes M/beam pairs such as 16/100, got '" + graph + "'");
    }
    return new HnswSettings(Integer.parseInt(mb[0].trim()), Integer.parseInt(mb[1].trim()), indexThreads);
  }

  private List<Row> benchGraph(HnswSettings graph, ItemVectors data, int[][] truth, QueryLoad load,
                               List<QueryLoad.Result> exactScan, Path work) throws Exception {
    Path dir = work.resolve("index-m" + graph.maxConn() + "-beam" + graph.beamWidth());
    say("building HNSW %s over %d vectors", graph, data.items());
    long t0 = System.nanoTime();
    ItemVectorIndex.build(dir, data.matrix(), graph, new PrintedProgress("[ann]", t0));
    double buildSeconds = (System.nanoTime() - t0) / 1e9;
    double indexMb = sizeOf(dir) / 1e6;
    say("built %s in %.1f s; %.1f MB on disk", graph, buildSeconds, indexMb);

    List<Row> rows = new ArrayList<>();
    for (double factor : overFetch) {
      long heapBefore = JvmProbe.usedHeapAfterGc();
      try (ItemVectorSearcher searcher = ItemVectorSearcher.open(dir, factor, 0)) {
        double heapMb = (JvmProbe.usedHeapAfterGc() - heapBefore) / 1e6;
        double recall = recall(searcher, data.queries(), truth);
        List<QueryLoad.Result> results = new ArrayList<>();
        List<Double> speedup = new ArrayList<>();
        for (int i = 0; i < threads.size(); i++) {
          QueryLoad.Result r = load.measure(q -> searcher.search(data.queries()[q], k).size(), threads.get(i));
          results.add(r);
          speedup.add(r.qps() / exactScan.get(i).qps());
        }
        Row row = new Row(graph.maxConn(), graph.beamWidth(), factor, recall, results, speedup,
            buildSeconds, graph.threads(), indexMb, heapMb);
        rows.add(row);
        say("M %d / beam %d, over-fetch %.1f: recall@%d %.4f; %s", graph.maxConn(), graph.beamWidth(),
            factor, k, recall, describe(results, speedup));
      }
    }
    if (!filterSelectivity.isEmpty() && graph.equals(parseGraph(graphs.getFirst()))) {
      try (ItemVectorSearcher searcher = ItemVectorSearcher.open(dir, ItemVectorSearcher.DEFAULT_OVER_FETCH, 0)) {
        FilterSweep.printTable(new FilterSweep(data, k, load).run(searcher, filterSelectivity), k);
      }
    }
    IOUtils.rm(dir);
    return rows;
  }

  private double recall(ItemVectorSearcher searcher, float[][] qs, int[][] truth) throws IOException {
    double sum = 0;
    for (int q = 0; q < qs.length; q++) {
      Set<Integer> exact = new HashSet<>();
      Arrays.stream(truth[q]).forEach(exact::add);
      int[] found = searcher.search(qs[q], k).items();
      sum += Arrays.stream(found).filter(exact::contains).count() / (double) truth[q].length;
    }
    return sum / qs.length;
  }

  private static String describe(List<QueryLoad.Result> results, List<Double> speedup) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < results.size(); i++) {
      QueryLoad.Result r = results.get(i);
      s.append(String.format("%s%d thr %.0f QPS (%.1fx exact) p50 %.3f p99 %.3f ms", i == 0 ? "" : "; ",
          r.threads(), r.qps(), speedup.get(i), r.p50Ms(), r.p99Ms()));
    }
    return s.toString();
  }

  private void printTable(Report r) {
    System.out.printf("%nHNSW vs exact scan: %s, %d x %d, k=%d, %d queries; JDK %s, %d cores"
            + " (load average %.1f at start, %.1f at end), Lucene vectorized: %s%n",
        r.vectors(), r.items(), r.dim(), r.k(), r.queries(), r.jdk(), r.cores(), r.loadAverage().get(0),
        r.loadAverage().get(1), r.luceneVectorized());
    StringBuilder exactLine = new StringBuilder("exact scan (SIMD, bounded heap):");
    for (QueryLoad.Result e : r.exactScan()) {
      exactLine.append(String.format(" %d thr %.1f QPS p50 %.2f ms p99 %.2f ms;", e.threads(), e.qps(),
          e.p50Ms(), e.p99Ms()));
    }
    System.out.println(exactLine);
    StringBuilder head = new StringBuilder(String.format("%-4s %-5s %-6s %-9s", "M", "beam", "fetch", "recall"));
    for (int t : threads) {
      head.append(String.format(" | %dthr QPS  x exact  p50 ms  p99 ms", t));
    }
    head.append(" | build s (thr)  disk MB  heap MB");
    System.out.println(head);
    for (Row row : r.hnsw()) {
      StringBuilder line = new StringBuilder(String.format("%-4d %-5d %-6s %-9.4f", row.maxConn(),
          row.beamWidth(), String.format("%.1fx", row.overFetch()), row.recall()));
      for (int i = 0; i < row.hnsw().size(); i++) {
        QueryLoad.Result h = row.hnsw().get(i);
        line.append(String.format(" | %8.0f  %6.1fx  %6.3f  %6.3f", h.qps(), row.speedup().get(i),
            h.p50Ms(), h.p99Ms()));
      }
      line.append(String.format(" | %7.1f (%d)  %7.1f  %7.1f", row.buildSeconds(), row.buildThreads(),
          row.indexMb(), row.heapMb()));
      System.out.println(line);
    }
  }

  private static long sizeOf(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      long bytes = 0;
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        bytes += Files.size(p);
      }
      return bytes;
    }
  }

  private static void say(String format, Object... args) {
    System.out.printf("[ann] " + format + "%n", args);
  }
}
