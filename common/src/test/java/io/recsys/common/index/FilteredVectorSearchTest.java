package io.recsys.common.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.common.bundle.EmbeddingMatrix;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A filter pushed into the vector search: k items that pass come back whenever k pass, and they
 * are the exact filtered top k (the exact paths) or nearly (Lucene's filtered HNSW).
 */
class FilteredVectorSearchTest {

  static final int ITEMS = 6_000;
  static final int DIM = 16;
  static final int K = 20;

  @TempDir
  static Path tmp;
  static EmbeddingMatrix vectors;
  /** Forced onto the graph (and, for selective filters, the exact fallback over the allowed items). */
  static ItemVectorSearcher graph;
  /** The small-catalog path: the whole catalog scanned exactly. */
  static ItemVectorSearcher scanned;

  @BeforeAll
  static void buildIndex() throws IOException {
    vectors = ItemVectorIndexTest.randomUnitVectors(ITEMS, DIM, new Random(11));
    ItemVectorIndex.build(tmp.resolve("index"), vectors, HnswSettings.withThreads(1), BuildProgress.NONE);
    graph = ItemVectorSearcher.open(tmp.resolve("index"), ItemVectorSearcher.DEFAULT_OVER_FETCH, 0);
    scanned = ItemVectorSearcher.open(tmp.resolve("index"));
  }

  @AfterAll
  static void close() throws IOException {
    graph.close();
    scanned.close();
  }

  /** Every {@code every}-th item: a "category" of 1/every of the catalog. */
  static int[] category(int every, int offset) {
    return IntStream.range(0, ITEMS).filter(i -> i % every == offset).toArray();
  }

  static int[] exactTopK(float[] q, int k, int[] allowed) {
    return Arrays.stream(allowed).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> -vectors.dot(i, q)).thenComparingInt(i -> i))
        .limit(k).mapToInt(Integer::intValue).toArray();
  }

  @Test
  void aSelectiveFilterReturnsTheExactFilteredTopKAndAllItemsWhenFewerThanK() throws IOException {
    int[] rare = category(500, 3); // 12 items, 0.2% of the catalog: the exact fallback
    int[] small = category(100, 7); // 60 items, 1%
    assertThat(small.length).isLessThanOrEqualTo(graph.filterExactMaxItems());
    Random rnd = new Random(5);
    for (int q = 0; q < 20; q++) {
      float[] query = vectors.row(rnd.nextInt(ITEMS));
      for (ItemVectorSearcher s : new ItemVectorSearcher[] {graph, scanned}) {
        assertThat(s.search(query, K, i -> false, 0, small).items()).containsExactly(exactTopK(query, K, small));
        assertThat(s.search(query, K, i -> false, 0, rare).items())
            .hasSize(rare.length).containsExactly(exactTopK(query, K, rare));
      }
    }
  }

  @Test
  void theFilteredGraphReturnsKItemsThatPassNearlyTheExactOnes() throws IOException {
    int[] quarter = category(4, 1); // 25%: Lucene's filtered HNSW search when forced
    Random rnd = new Random(6);
    int found = 0;
    int queries = 30;
    for (int q = 0; q < queries; q++) {
      float[] query = vectors.row(rnd.nextInt(ITEMS));
      ScoredItems hits = graph.searchAmongInGraph(query, K, i -> false, 0, quarter);
      assertThat(hits.items()).hasSize(K);
      assertThat(Arrays.stream(hits.items())).allMatch(i -> i % 4 == 1);
      assertThat(hits.scores()).isSortedAccordingTo(Comparator.reverseOrder());
      int[] exact = exactTopK(query, K, quarter);
      found += (int) Arrays.stream(hits.items()).filter(i -> Arrays.stream(exact).anyMatch(e -> e == i)).count();
      assertThat(scanned.search(query, K, i -> false, 0, quarter).items()).containsExactly(exact);
    }
    double recall = found / (double) (queries * K);
    System.out.printf("filtered HNSW recall@%d at a 25%% filter: %.3f%n", K, recall);
    assertThat(recall).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void excludedItemsInsideTheFilterAreSkippedAndKStillFilled() throws IOException {
    float[] query = vectors.row(42);
    for (int[] allowed : new int[][] {category(100, 7), category(4, 1)}) {
      int[] best = exactTopK(query, K, allowed);
      int[] excluded = Arrays.copyOf(best, 5);
      java.util.function.IntPredicate exclude = i -> Arrays.stream(excluded).anyMatch(e -> e == i);
      for (ScoredItems hits : List.of(graph.search(query, K, exclude, excluded.length, allowed),
          graph.searchAmongInGraph(query, K, exclude, excluded.length, allowed))) {
        assertThat(hits.items()).hasSize(K).doesNotContain(excluded);
        assertThat(Arrays.stream(hits.items())).allMatch(i -> Arrays.binarySearch(allowed, i) >= 0);
      }
    }
  }

  @Test
  void aFilterAboveTheThresholdTakesTheGraphAndBelowItTheExactScan() throws IOException {
    // 6,000 items: 28 x sqrt(6000) = 2,168 pass at most for the exact scan
    assertThat(graph.filterExactMaxItems()).isEqualTo(2168);
    int[] most = category(2, 0); // 3,000 items: the graph
    float[] query = vectors.row(9);
    assertThat(graph.search(query, K, i -> false, 0, most).items())
        .containsExactly(graph.searchAmongInGraph(query, K, i -> false, 0, most).items());
  }

  @Test
  void itemsTheIndexDoesNotHoldAreIgnored() throws IOException {
    int[] beyond = {3, 7, ITEMS + 5, ITEMS + 9};
    assertThat(graph.search(vectors.row(1), K, i -> false, 0, beyond).items()).containsExactlyInAnyOrder(3, 7);
    assertThat(graph.search(vectors.row(1), K, i -> false, 0, new int[0]).items()).isEmpty();
  }
}
