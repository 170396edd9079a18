package io.recsys.bench.ann;

import io.recsys.common.index.ExactScan;
import io.recsys.common.index.ItemVectorSearcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Where a category filter should switch from Lucene's filtered HNSW search to an exact scan of the
 * allowed items ({@link ItemVectorSearcher#FILTER_EXACT_SQRT_FACTOR}): for each share of the catalog
 * that passes, both paths of the searcher measured in turn on the same queries, one thread, with
 * the filtered graph's recall against the exact filtered top k.
 */
final class FilterSweep {

  /** One share: p50 / QPS of each path, and the graph's recall. */
  record Point(double share, int allowed, QueryLoad.Result exact, QueryLoad.Result graph, double graphRecall) {}

  private final ItemVectors data;
  private final int k;
  private final QueryLoad load;

  FilterSweep(ItemVectors data, int k, QueryLoad load) {
    this.data = data;
    this.k = k;
    this.load = load;
  }

  List<Point> run(ItemVectorSearcher searcher, List<Double> shares) throws Exception {
    List<Point> points = new ArrayList<>();
    for (double share : shares) {
      int[] allowed = allowed(share);
      float[][] qs = data.queries();
      QueryLoad.Result exact = load.measure(q -> searcher.searchAmongExactly(qs[q], k, item -> false, allowed).size(), 1);
      QueryLoad.Result graph = load.measure(q -> searcher.searchAmongInGraph(qs[q], k, item -> false, 0, allowed).size(), 1);
      Point p = new Point(share, allowed.length, exact, graph, recall(searcher, allowed));
      points.add(p);
      System.out.printf("[ann] filter %.3f%% (%d items): exact scan p50 %.3f ms, filtered HNSW p50 %.3f ms"
              + " (%.2fx), HNSW recall@%d %.4f%n", 100 * share, allowed.length, exact.p50Ms(), graph.p50Ms(),
          exact.p50Ms() / graph.p50Ms(), k, p.graphRecall());
    }
    return points;
  }

  /** A random share of the items, as a category spread over the whole space would be. */
  private int[] allowed(double share) {
    SplittableRandom rnd = new SplittableRandom(Double.doubleToLongBits(share));
    return IntStream.range(0, data.items()).filter(i -> rnd.nextDouble() < share).toArray();
  }

  private double recall(ItemVectorSearcher searcher, int[] allowed) throws Exception {
    float[][] subset = Arrays.stream(allowed).mapToObj(i -> data.rows()[i]).toArray(float[][]::new);
    ExactScan exact = new ExactScan(subset);
    double sum = 0;
    for (float[] q : data.queries()) {
      int[] truth = Arrays.stream(exact.topK(q, k)).map(row -> allowed[row]).sorted().toArray();
      int[] found = searcher.searchAmongInGraph(q, k, item -> false, 0, allowed).items();
      sum += Arrays.stream(found).filter(i -> Arrays.binarySearch(truth, i) >= 0).count()
          / (double) Math.max(1, truth.length);
    }
    return sum / data.queries().length;
  }

  static void printTable(List<Point> points, int k) {
    System.out.printf("%nCategory filter: exact scan of the allowed items vs Lucene's filtered HNSW, k=%d, 1 thread%n", k);
    System.out.printf("%-9s %-9s | %-13s %-13s %-10s | %s%n", "share", "items", "exact p50 ms",
        "HNSW p50 ms", "exact/HNSW", "HNSW recall");
    for (Point p : points) {
      System.out.printf("%-9s %-9d | %-13.3f %-13.3f %-10.2f | %.4f%n", String.format("%.2f%%", 100 * p.share()),
          p.allowed(), p.exact().p50Ms(), p.graph().p50Ms(), p.exact().p50Ms() / p.graph().p50Ms(), p.graphRecall());
    }
  }
}
