package io.recsys.bench;

import io.recsys.common.index.ExactScan;
import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.index.BuildProgress;
import io.recsys.common.index.ItemVectorIndex;
import io.recsys.common.index.ItemVectorSearcher;
import io.recsys.common.index.ScoredItems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.util.IOUtils;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Retrieval's nearest-neighbour step: the Lucene HNSW index the retrieval server queries against
 * an exact dot-product scan over the same unit vectors. Setup prints the HNSW recall@k against
 * the exact scan, so speed is never reported without the quality it costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class VectorSearchBenchmark {

  @Param({"100000"})
  int items;

  @Param({"32"})
  int dim;

  @Param({"100"})
  int k;

  private EmbeddingMatrix vectors;
  private ExactScan exactScan;
  private ItemVectorSearcher searcher;
  private Path dir;
  private float[][] queries;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Random rnd = new Random(42);
    vectors = new EmbeddingMatrix(items, dim, unitRows(rnd, items));
    float[][] rows = new float[items][];
    for (int i = 0; i < items; i++) {
      rows[i] = vectors.row(i);
    }
    exactScan = new ExactScan(rows);
    queries = new float[256][];
    for (int q = 0; q < queries.length; q++) {
      queries[q] = unitRows(rnd, 1);
    }
    dir = Files.createTempDirectory("recsys-bench-index");
    long t0 = System.nanoTime();
    ItemVectorIndex.build(dir.resolve("index"), vectors, BuildProgress.NONE);
    System.out.printf("%n[bench] HNSW build: %d x %d in %.1f s%n", items, dim, (System.nanoTime() - t0) / 1e9);
    searcher = ItemVectorSearcher.open(dir.resolve("index"));
    double recall = 0;
    for (float[] q : queries) {
      recall += overlap(searcher.search(q, k).items(), exact(q));
    }
    System.out.printf("[bench] HNSW recall@%d vs exact scan: %.4f%n", k, recall / queries.length / k);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    searcher.close();
    IOUtils.rm(dir);
  }

  @Benchmark
  public ScoredItems hnsw() throws IOException {
    return searcher.search(queries[next++ & 255], k);
  }

  @Benchmark
  public int[] exactScan() {
    return exact(queries[next++ & 255]);
  }

  private int[] exact(float[] q) {
    return exactScan.topK(q, k);
  }

  private float[] unitRows(Random rnd, int rows) {
    float[] data = new float[rows * dim];
    for (int r = 0; r < rows; r++) {
      double norm = 0;
      for (int d = 0; d < dim; d++) {
        float v = (float) rnd.nextGaussian();
        data[r * dim + d] = v;
        norm += v * v;
      }
      float inv = (float) (1 / Math.sqrt(norm));
      for (int d = 0; d < dim; d++) {
        data[r * dim + d] *= inv;
      }
    }
    return data;
  }

  private static double overlap(int[] a, int[] b) {
    java.util.Set<Integer> s = new java.util.HashSet<>();
    for (int x : b) {
      s.add(x);
    }
    int n = 0;
    for (int x : a) {
      if (s.contains(x)) {
        n++;
      }
    }
    return n;
  }
}
