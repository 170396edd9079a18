package io.recsys.bench;

import io.recsys.common.bundle.BundleLayout;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.Manifest;
import io.recsys.common.candidates.MergedCandidates;
import io.recsys.common.candidates.MergedCandidates.SourceList;
import io.recsys.common.features.CandidateSources;
import io.recsys.common.features.Interaction;
import io.recsys.common.features.RankerFeatures;
import io.recsys.models.testing.TestBundles;
import io.recsys.ranking.bundle.RankingBundle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * The ranking server's per-request work on a real (small, freshly trained) bundle: building the
 * feature rows of a request's candidates, and one DeepFM call at the batch sizes the dynamic
 * batcher produces. Per-call overhead vs per-row cost is what makes batching pay.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RankerBenchmark {

  @Param({"1", "64", "500", "2048"})
  int rows;

  private RankingBundle bundle;
  private RankerFeatures features;
  private RankerFeatures.UserProfile profile;
  private MergedCandidates candidates;
  private int[] rowOf;
  private int[] sparse;
  private float[] dense;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    BundleLayout layout = new BundleLayout(TestBundles.small().bundleDir());
    bundle = RankingBundle.load(layout.dir());
    Manifest m = bundle.manifest();
    ItemCatalog items = ItemCatalog.read(layout.items());
    features = bundle.features(); // as the ranking server builds rows
    Random rnd = new Random(7);
    List<Interaction> history = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (int i = 0; i < m.historyLength(); i++) {
      history.add(new Interaction(rnd.nextInt(items.size()), io.recsys.api.v1.EventType.VIEW, now - i * 60_000L, 0));
    }
    profile = features.profile(history, now);
    // two thirds from two_tower, the rest popular, as RankRequests sends them
    int tt = Math.max(1, 2 * rows / 3);
    String[] ttIds = new String[tt];
    float[] ttScores = new float[tt];
    String[] popIds = new String[rows - tt];
    float[] popScores = new float[rows - tt];
    for (int i = 0; i < rows; i++) {
      String id = items.id(rnd.nextInt(items.size()));
      if (i < tt) {
        ttIds[i] = id;
        ttScores[i] = rnd.nextFloat();
      } else {
        popIds[i - tt] = id;
        popScores[i - tt] = rnd.nextFloat();
      }
    }
    candidates = MergedCandidates.merge(items, List.of(new SourceList(CandidateSources.TWO_TOWER, ttIds, ttScores),
        new SourceList(CandidateSources.POPULAR, popIds, popScores)));
    rowOf = new int[rows];
    sparse = new int[rows * RankingBundle.SPARSE_WIDTH];
    dense = new float[rows * RankingBundle.DENSE_WIDTH];
    buildRows();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    bundle.close();
  }

  /** Feature rows for every candidate of one request (profile computed once per request). */
  @Benchmark
  public float[] buildRows() {
    features.rows(profile, candidates, sparse, dense, rowOf);
    return dense;
  }

  /** One DeepFM call over all rows. */
  @Benchmark
  public float[] score() {
    return bundle.score(sparse, dense, rows);
  }
}
