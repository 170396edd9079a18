package io.recsys.common.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.recsys.common.bundle.EmbeddingMatrix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ItemVectorIndexTest {

  static final int ITEMS = 20_000;
  static final int DIM = 32;
  static final int K = 100;

  @TempDir
  static Path tmp;
  static EmbeddingMatrix vectors;
  static ItemVectorSearcher searcher;
  static final RecordedProgress progress = new RecordedProgress();

  /** Two build threads even on a one-core runner: the concurrent graph build is what exports use. */
  @BeforeAll
  static void buildIndex() throws IOException {
    vectors = randomUnitVectors(ITEMS, DIM, new Random(7));
    ItemVectorIndex.build(tmp.resolve("index"), vectors, HnswSettings.withThreads(2), progress);
    searcher = ItemVectorSearcher.open(tmp.resolve("index"));
  }

  @AfterAll
  static void close() throws IOException {
    searcher.close();
  }

  @Test
  void buildsOneSegmentWithEveryItemAndReportsProgress() throws IOException {
    assertThat(searcher.size()).isEqualTo(ITEMS);
    assertThat(searcher.dim()).isEqualTo(DIM);
    assertOneSegmentHoldingItems(tmp.resolve("index"), ITEMS);
    assertThat(progress.written).containsExactly(10_000, 20_000);
    // Lucene reports every 10k linked nodes; the build reports the end itself
    assertThat(progress.linked).isNotEmpty().isSorted();
    assertThat(progress.linked.getLast()).isEqualTo(ITEMS);
    assertThat(progress.linked.subList(0, progress.linked.size() - 1)).allMatch(n -> n < ITEMS);
    // the staging index of the first pass is gone
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".flat"));
    }
  }

  @Test
  void recallAt100AgainstExactScanIsAtLeast95Percent() throws IOException {
    double recall = recallAt100(searcher, vectors, 50);
    System.out.printf("HNSW recall@%d vs exact scan: %.4f%n", K, recall);
    assertThat(recall).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void aSingleThreadedBuildMakesTheSameKindOfIndex() throws IOException {
    EmbeddingMatrix small = randomUnitVectors(5_000, DIM, new Random(9));
    Path dir = tmp.resolve("one-thread");
    ItemVectorIndex.build(dir, small, HnswSettings.withThreads(1), BuildProgress.NONE);
    assertOneSegmentHoldingItems(dir, small.rows());
    // 5,000 x 32 is small enough for the exact scan: force the graph
    try (ItemVectorSearcher s = ItemVectorSearcher.open(dir, ItemVectorSearcher.DEFAULT_OVER_FETCH, 0)) {
      assertThat(recallAt100(s, small, 30)).isGreaterThanOrEqualTo(0.95);
    }
  }

  /**
   * A catalog written as shards answers exactly like the whole: each shard's top k merged by
   * (score, item index), and all shards opened together. A tenth of the items duplicate others'
   * vectors, so ties straddle the cut-off and must be broken the same way everywhere.
   */
  @Test
  void shardsMergedAnswerExactlyLikeTheWholeCatalogTiesIncluded() throws IOException {
    int items = 3_000;
    int k = 500;
    EmbeddingMatrix base = randomUnitVectors(items, DIM, new Random(23));
    float[] data = new float[items * DIM];
    for (int i = 0; i < items; i++) {
      System.arraycopy(base.row(i % 10 == 9 ? i - 9 : i), 0, data, i * DIM, DIM);
    }
    EmbeddingMatrix withTies = new EmbeddingMatrix(items, DIM, data);
    int[][] parts = ItemShards.partition(items, i -> "item-" + i, 3);
    ItemVectorIndex.build(tmp.resolve("whole"), withTies, HnswSettings.withThreads(1), BuildProgress.NONE);
    List<Path> shardDirs = new ArrayList<>();
    for (int s = 0; s < parts.length; s++) {
      shardDirs.add(tmp.resolve("shards").resolve("shard-" + s));
      ItemVectorIndex.build(shardDirs.get(s), withTies, parts[s], HnswSettings.withThreads(1), BuildProgress.NONE);
    }
    List<ItemVectorSearcher> shards = new ArrayList<>();
    try (ItemVectorSearcher whole = ItemVectorSearcher.open(tmp.resolve("whole"));
         ItemVectorSearcher together = ItemVectorSearcher.open(shardDirs, ItemVectorSearcher.DEFAULT_OVER_FETCH,
             ItemVectorSearcher.DEFAULT_EXACT_SCAN_MAX_FLOATS)) {
      for (Path dir : shardDirs) {
        shards.add(ItemVectorSearcher.open(dir));
      }
      assertThat(shards.stream().mapToInt(ItemVectorSearcher::size).sum()).isEqualTo(items);
      Random rnd = new Random(29);
      for (int q = 0; q < 20; q++) {
        // a stored vector as the query: its duplicates tie at the top, others further down
        float[] query = withTies.row(rnd.nextInt(items));
        ScoredItems expected = whole.search(query, k);
        List<long[]> merged = new ArrayList<>();
        for (ItemVectorSearcher shard : shards) {
          ScoredItems part = shard.search(query, k);
          for (int i = 0; i < part.size(); i++) {
            merged.add(new long[] {Float.floatToIntBits(part.scores()[i]), part.items()[i]});
          }
        }
        merged.sort((a, b) -> {
          int byScore = Float.compare(Float.intBitsToFloat((int) b[0]), Float.intBitsToFloat((int) a[0]));
          return byScore != 0 ? byScore : Long.compare(a[1], b[1]);
        });
        int[] mergedItems = merged.stream().limit(k).mapToInt(h -> (int) h[1]).toArray();
        assertThat(mergedItems).containsExactly(expected.items());
        ScoredItems all = together.search(query, k);
        assertThat(all.items()).containsExactly(expected.items());
        assertThat(all.scores()).containsExactly(expected.scores());
      }
    } finally {
      for (ItemVectorSearcher shard : shards) {
        shard.close();
      }
    }
  }

  /** A small catalog is scanned exactly: the true top k, best first, with dot-product scores, exclusions honoured. */
  @Test
  void aSmallCatalogIsSearchedExactly() throws IOException {
    EmbeddingMatrix small = randomUnitVectors(3_000, DIM, new Random(13));
    Path dir = tmp.resolve("small");
    ItemVectorIndex.build(dir, small, HnswSettings.withThreads(1), BuildProgress.NONE);
    Random rnd = new Random(17);
    try (ItemVectorSearcher s = ItemVectorSearcher.open(dir)) {
      for (int q = 0; q < 20; q++) {
        float[] query = randomUnitVectors(1, DIM, rnd).row(0);
        Set<Integer> excluded = Set.of(rnd.nextInt(3_000), rnd.nextInt(3_000), rnd.nextInt(3_000));
        Set<Integer> truth = exactTop(small, query, K, Set.of());
        ScoredItems top = s.search(query, K, excluded::contains, excluded.size());

        assertThat(top.size()).isEqualTo(K);
        assertThat(Arrays.stream(top.items()).boxed()).doesNotContainAnyElementsOf(excluded);
        assertThat(truth.stream().filter(i -> !excluded.contains(i))).allMatch(
            i -> Arrays.stream(top.items()).anyMatch(t -> t == i));
        for (int i = 0; i < K; i++) {
          assertThat(top.scores()[i]).isCloseTo(small.dot(top.items()[i], query), within(1e-5f));
          if (i > 0) {
            assertThat(top.scores()[i]).isLessThanOrEqualTo(top.scores()[i - 1]);
          }
        }
      }
    }
  }

  @Test
  void rejectsImpossibleGraphSettingsAndOverFetch() {
    assertThatThrownBy(() -> new HnswSettings(0, 100, 1)).hasMessageContaining("HNSW M");
    assertThatThrownBy(() -> new HnswSettings(16, 0, 1)).hasMessageContaining("beam width");
    assertThatThrownBy(() -> new HnswSettings(16, 100, 0)).hasMessageContaining("threads");
    assertThatThrownBy(() -> ItemVectorSearcher.open(tmp.resolve("index"), 0.5, 0))
        .hasMessageContaining("over-fetch must be >= 1");
  }

  @Test
  void reportsVectorizationAsTheJvmWasStarted() {
    // the build runs tests with --add-modules jdk.incubator.vector, as bin/recsys runs the servers
    assertThat(LuceneVectorization.available())
        .isEqualTo(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
  }

  @Test
  void scoresAreDotProductsBestFirst() throws IOException {
    float[] query = vectors.row(123);
    ScoredItems hits = searcher.search(query, 10);
    assertThat(hits.items()[0]).isEqualTo(123);
    assertThat(hits.scores()[0]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
    for (int i = 0; i < hits.size(); i++) {
      assertThat(hits.scores()[i]).isCloseTo(vectors.dot(hits.items()[i], query),
          org.assertj.core.data.Offset.offset(1e-4f));
      if (i > 0) {
        assertThat(hits.scores()[i]).isLessThanOrEqualTo(hits.scores()[i - 1]);
      }
    }
  }

  @Test
  void excludedItemsAreNeverReturnedAndKIsStillFilled() throws IOException {
    float[] query = randomUnitVectors(1, DIM, new Random(3)).row(0);
    // exclude exactly the best 60 items: all of them would otherwise be in the top 100
    Set<Integer> excluded = exactTop(query, 60, Set.of());
    ScoredItems hits = searcher.search(query, K, excluded::contains, excluded.size());
    assertThat(hits.size()).isEqualTo(K);
    assertThat(Arrays.stream(hits.items()).boxed()).doesNotContainAnyElementsOf(excluded);
    Set<Integer> exactRest = exactTop(query, K, excluded);
    long overlap = Arrays.stream(hits.items()).filter(exactRest::contains).count();
    assertThat(overlap).isGreaterThanOrEqualTo((long) (0.95 * K));
  }

  @Test
  void returnsItemIndicesFromDocValuesNotLuceneDocIds() throws IOException {
    // documents written in reverse item order: doc id d holds item (n - 1 - d)
    int n = 50;
    EmbeddingMatrix small = randomUnitVectors(n, 8, new Random(5));
    Path dir = tmp.resolve("reversed");
    try (FSDirectory d = FSDirectory.open(dir);
         IndexWriter w = new IndexWriter(d, new IndexWriterConfig())) {
      for (int item = n - 1; item >= 0; item--) {
        Document doc = new Document();
        doc.add(new KnnFloatVectorField(ItemVectorIndex.VECTOR_FIELD, small.row(item),
            VectorSimilarityFunction.DOT_PRODUCT));
        doc.add(new NumericDocValuesField(ItemVectorIndex.ITEM_FIELD, item));
        w.addDocument(doc);
      }
    }
    try (ItemVectorSearcher s = ItemVectorSearcher.open(dir)) {
      for (int item : new int[] {0, 7, 49}) {
        assertThat(s.search(small.row(item), 1).items()).containsExactly(item);
      }
    }
  }

  @Test
  void rejectsWrongQueryDimensionAndNonUnitVectors() {
    assertThatThrownBy(() -> searcher.search(new float[DIM + 1], 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("33 dimensions; the index has 32");
    EmbeddingMatrix notUnit = new EmbeddingMatrix(2, 2, new float[] {1, 0, 3, 4});
    assertThatThrownBy(() -> ItemVectorIndex.build(tmp.resolve("bad"), notUnit, BuildProgress.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("item 1")
        .hasMessageContaining("L2-normalised");
  }

  /** Mean recall@100 of {@code s} over random queries, against an exact scan of {@code items}. */
  private static double recallAt100(ItemVectorSearcher s, EmbeddingMatrix items, int queries)
      throws IOException {
    Random rnd = new Random(11);
    double recall = 0;
    for (int q = 0; q < queries; q++) {
      float[] query = randomUnitVectors(1, DIM, rnd).row(0);
      Set<Integer> exact = exactTop(items, query, K, Set.of());
      ScoredItems hnsw = s.search(query, K);
      assertThat(hnsw.size()).isEqualTo(K);
      recall += Arrays.stream(hnsw.items()).filter(exact::contains).count() / (double) K;
    }
    return recall / queries;
  }

  private static void assertOneSegmentHoldingItems(Path dir, int items) throws IOException {
    try (FSDirectory d = FSDirectory.open(dir); DirectoryReader r = DirectoryReader.open(d)) {
      assertThat(r.leaves()).hasSize(1);
      NumericDocValues item = r.leaves().getFirst().reader().getNumericDocValues(ItemVectorIndex.ITEM_FIELD);
      Set<Long> seen = new HashSet<>();
      for (int doc = item.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = item.nextDoc()) {
        seen.add(item.longValue());
      }
      assertThat(seen).hasSize(items).allMatch(i -> i >= 0 && i < items);
    }
  }

  private static Set<Integer> exactTop(float[] query, int k, Set<Integer> excluded) {
    return exactTop(vectors, query, k, excluded);
  }

  /** The exact top k by dot product: a full scan, the reference the HNSW search approximates. */
  private static Set<Integer> exactTop(EmbeddingMatrix vectors, float[] query, int k, Set<Integer> excluded) {
    float[] score = new float[vectors.rows()];
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < vectors.rows(); i++) {
      score[i] = vectors.dot(i, query);
      if (!excluded.contains(i)) {
        all.add(i);
      }
    }
    all.sort((a, b) -> Float.compare(score[b], score[a]));
    return new HashSet<>(all.subList(0, k));
  }

  static EmbeddingMatrix randomUnitVectors(int rows, int dim, Random rnd) {
    float[] data = new float[rows * dim];
    for (int r = 0; r < rows; r++) {
      double sq = 0;
      for (int d = 0; d < dim; d++) {
        float x = (float) rnd.nextGaussian();
        data[r * dim + d] = x;
        sq += x * x;
      }
      float norm = (float) Math.sqrt(sq);
      for (int d = 0; d < dim; d++) {
        data[r * dim + d] /= norm;
      }
    }
    return new EmbeddingMatrix(rows, dim, data);
  }

  /** Records what a build reports. */
  static final class RecordedProgress implements BuildProgress {
    final List<Integer> written = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> linked = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void vectorsWritten(int done, int total) {
      assertThat(total).isEqualTo(ITEMS);
      written.add(done);
    }

    @Override
    public void graphLinked(int done, int total) {
      assertThat(total).isEqualTo(ITEMS);
      linked.add(done);
    }
  }
}
