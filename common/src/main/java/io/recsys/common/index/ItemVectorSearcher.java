package io.recsys.common.index;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.IOUtils;

/**
 * Nearest items of a query vector in a bundle's HNSW index (see {@link ItemVectorIndex}). Opened
 * once per bundle and shared: searches are thread-safe. Scores are dot products (cosine for the
 * unit vectors the index holds).
 */
public final class ItemVectorSearcher implements Closeable {

  /**
   * HNSW's k is also its beam, so we ask for this many times the wanted items and cut off the
   * rest. bench/ann at 1M x 64 clustered unit vectors, M 16 / beam 100, k=100, 2 cores: over-fetch
   * 1 / 1.5 / 2 / 3 gave recall@100 0.850 / 0.909 / 0.936 / 0.971; 3 is the first to reach 0.95,
   * at p50 0.70 ms and 45x the QPS of a SIMD exact scan (2 gave 0.54 ms). On the quickstart's
   * 3,000 x 32 item vectors it costs 0.13 instead of 0.05 ms (recall 1.0 either way).
   */
  public static final double DEFAULT_OVER_FETCH = 3;

  /**
   * The over-fetch applies to the first this-many of k: a large k is its own beam. On a trained
   * bundle's 100k x 32 item vectors, HNSW recall@k reached 0.95 with a beam of ~2k at k=20 (0.963)
   * but already at 1k for k=100 (0.958) and k=200 (0.966); 3 x 200 cost 0.36 ms per query where
   * 200 + 2 x 100 costs ~0.27 ms (recall 0.976). At k <= 100 nothing changes.
   */
  static final int OVER_FETCH_UP_TO_K = 100;

  /**
   * Catalogs of at most this many floats (items x dimensions) are searched by an exact SIMD scan
   * instead of the graph: a scan costs ~35 ns per 64-dim vector here (bench/ann: 34.8 ms at 1M),
   * while the graph, asked for 3 x k of a few hundred, visits much of a small catalog anyway
   * (3,000 x 32 at k=100: 0.06 ms exact vs 0.13 ms HNSW). 2 MB of vectors, e.g. 8,192 x 64.
   */
  public static final long DEFAULT_EXACT_SCAN_MAX_FLOATS = 1L << 19;

  /**
   * A filter that lets through at most this many x sqrt(items in the index) items is searched by an
   * exact scan of those items; a broader one by Lucene's filtered HNSW search. bench/ann
   * --filter-selectivity, k=20, 64 dims, 1 thread, exact p50 / filtered-HNSW p50: at 200k items
   * 0.70 at 5% passing and 1.61 at 10% (crossover ~6.5%, ~13k items); at 1M items 0.74 at 2% and
   * 2.10 at 5% (crossover ~3%, ~28k items). Neither a fixed share nor a fixed count fits both; 28 x
   * sqrt(n) does (12.5k at 200k, 28k at 1M): the scan grows with the items that pass, the filtered
   * graph walk far more slowly with the catalog.
   */
  public static final double FILTER_EXACT_SQRT_FACTOR = 28;

  private final List<MMapDirectory> directories;
  private final IndexReader reader;
  private final IndexSearcher searcher;
  private final int dim;
  private final double overFetch;
  /** Global Lucene doc id -> item index; the index is read-only, so this is read once. */
  private final int[] itemOfDoc;
  /** The vectors in item order when the catalog is small enough to scan; null to search the graph. */
  private final ExactScan exact;
  /** Row of {@link #exact} -> item index (ascending: a shard holds some of the bundle's items). */
  private final int[] itemOfRow;
  /** The index's items ascending, and the global doc of each: where a filter's items are. */
  private final int[] itemsSorted;
  private final int[] docOfSorted;

  private ItemVectorSearcher(List<MMapDirectory> directories, IndexReader reader, double overFetch,
                             long exactScanMaxFloats) throws IOException {
    this.directories = directories;
    this.reader = reader;
    this.overFetch = overFetch;
    this.searcher = new IndexSearcher(reader);
    // every query vector is new, so a query cache would only track queries it never reuses
    searcher.setQueryCache(null);
    this.itemOfDoc = new int[reader.maxDoc()];
    int dims = -1;
    for (LeafReaderContext leaf : reader.leaves()) {
      dims = Math.max(dims, readLeaf(leaf));
    }
    if (dims <= 0) {
      throw new IOException("item index at " + directories.getFirst().getDirectory() + " has no '"
          + ItemVectorIndex.VECTOR_FIELD + "' vectors; rebuild the bundle");
    }
    this.dim = dims;
    long[] byItem = new long[itemOfDoc.length];
    for (int doc = 0; doc < itemOfDoc.length; doc++) {
      byItem[doc] = (long) itemOfDoc[doc] << 32 | doc;
    }
    Arrays.sort(byItem);
    this.itemsSorted = new int[byItem.length];
    this.docOfSorted = new int[byItem.length];
    for (int i = 0; i < byItem.length; i++) {
      itemsSorted[i] = (int) (byItem[i] >>> 32);
      docOfSorted[i] = (int) byItem[i];
    }
    boolean scan = (long) reader.numDocs() * dims <= exactScanMaxFloats;
    this.itemOfRow = scan ? itemsSorted : null;
    this.exact = scan ? new ExactScan(vectorsByRow()) : null;
  }

  /** Every vector, row = position of its item in {@link #itemOfRow} (copied out of the index: the catalog is small). */
  private float[][] vectorsByRow() throws IOException {
    float[][] rows = new float[itemOfRow.length][];
    for (LeafReaderContext leaf : reader.leaves()) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(ItemVectorIndex.VECTOR_FIELD);
      if (values == null) {
        continue;
      }
      KnnVectorValues.DocIndexIterator it = values.iterator();
      for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
        int row = Arrays.binarySearch(itemOfRow, itemOfDoc[leaf.docBase + doc]);
        rows[row] = values.vectorValue(it.index()).clone();
      }
    }
    for (int row = 0; row < rows.length; row++) {
      if (rows[row] == null) {
        throw new IOException("item index: item " + itemOfRow[row] + " has no vector; rebuild the bundle");
      }
    }
    return rows;
  }

  /**
   * Opens the index in {@code dir} (memory-mapped), fetching {@link #DEFAULT_OVER_FETCH} x k, and
   * scanning catalogs up to {@link #DEFAULT_EXACT_SCAN_MAX_FLOATS} exactly.
   */
  public static ItemVectorSearcher open(Path dir) throws IOException {
    return open(dir, DEFAULT_OVER_FETCH, DEFAULT_EXACT_SCAN_MAX_FLOATS);
  }

  /**
   * Opens the index in {@code dir} (memory-mapped).
   *
   * @param overFetch how many times k the HNSW search collects before keeping the best k (>= 1;
   *     for k over {@link #OVER_FETCH_UP_TO_K}, only that many are over-fetched): more costs time
   *     and buys recall
   * @param exactScanMaxFloats catalogs of at most this many floats are scanned exactly; 0 always
   *     searches the graph
   */
  public static ItemVectorSearcher open(Path dir, double overFetch, long exactScanMaxFloats) throws IOException {
    return open(List.of(dir), overFetch, exactScanMaxFloats);
  }

  /**
   * Opens the indices in {@code dirs} (memory-mapped) as one: several shards of a bundle served
   * by one server. Lucene searches each shard's graph and keeps the best hits of all.
   */
  public static ItemVectorSearcher open(List<Path> dirs, double overFetch, long exactScanMaxFloats)
      throws IOException {
    if (!(overFetch >= 1)) {
      throw new IllegalArgumentException("over-fetch must be >= 1, got " + overFetch);
    }
    if (dirs.isEmpty()) {
      throw new IllegalArgumentException("no index directory to open");
    }
    LuceneVectorization.logStatus();
    List<MMapDirectory> directories = new ArrayList<>(dirs.size());
    List<DirectoryReader> readers = new ArrayList<>(dirs.size());
    try {
      for (Path dir : dirs) {
        MMapDirectory directory = new MMapDirectory(dir);
        directories.add(directory);
        readers.add(DirectoryReader.open(directory));
      }
      IndexReader reader = readers.size() == 1 ? readers.getFirst()
          : new MultiReader(readers.toArray(DirectoryReader[]::new), true);
      return new ItemVectorSearcher(List.copyOf(directories), reader, overFetch, exactScanMaxFloats);
    } catch (IOException | RuntimeException e) {
      IOUtils.closeWhileHandlingException(readers);
      IOUtils.closeWhileHandlingException(directories);
      throw e;
    }
  }

  /** Fills itemOfDoc for one segment; returns the segment's vector dimension (-1 if none). */
  private int readLeaf(LeafReaderContext leaf) throws IOException {
    LeafReader r = leaf.reader();
    NumericDocValues items = r.getNumericDocValues(ItemVectorIndex.ITEM_FIELD);
    int found = 0;
    if (items != null) {
      for (int doc = items.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = items.nextDoc()) {
        itemOfDoc[leaf.docBase + doc] = (int) items.longValue();
        found++;
      }
    }
    if (found != r.maxDoc()) {
      throw new IOException("item index: " + (r.maxDoc() - found) + " documents lack the '"
          + ItemVectorIndex.ITEM_FIELD + "' item index; rebuild the bundle");
    }
    FloatVectorValues values = r.getFloatVectorValues(ItemVectorIndex.VECTOR_FIELD);
    if (values != null && values.size() != r.maxDoc()) {
      // the filtered exact scan reads vector ordinal = doc id
      throw new IOException("item index: " + (r.maxDoc() - values.size())
          + " documents lack a vector; rebuild the bundle");
    }
    FieldInfo vectors = r.getFieldInfos().fieldInfo(ItemVectorIndex.VECTOR_FIELD);
    return vectors == null ? -1 : vectors.getVectorDimension();
  }

  public int dim() {
    return dim;
  }

  /** Number of items in the index. */
  public int size() {
    return reader.numDocs();
  }

  /** The k nearest items, best first. */
  public ScoredItems search(float[] query, int k) throws IOException {
    return search(query, k, item -> false, 0);
  }

  /**
   * The k nearest items that {@code exclude} does not reject, best first. Excluded items are
   * over-fetched and dropped rather than filtered inside Lucene: a Lucene filter builds a bitset
   * of the whole index per query (~2.5 ms at 200k items), far more than searching a few more.
   *
   * @param excludedCount how many items {@code exclude} rejects at most (the over-fetch)
   */
  public ScoredItems search(float[] query, int k, IntPredicate exclude, int excludedCount)
      throws IOException {
    checkQuery(query);
    if (k <= 0) {
      return new ScoredItems(new int[0], new float[0]);
    }
    if (exact != null) {
      ScoredItems rows = exact.search(query, k, row -> exclude.test(itemOfRow[row]));
      int[] items = rows.items();
      for (int i = 0; i < items.length; i++) {
        items[i] = itemOfRow[items[i]];
      }
      return rows;
    }
    return graphSearch(query, k, exclude, excludedCount, null);
  }

  private void checkQuery(float[] query) {
    if (query.length != dim) {
      throw new IllegalArgumentException("query vector has " + query.length
          + " dimensions; the index has " + dim);
    }
  }

  /** The HNSW search, over-fetched; {@code filter} (null for none) restricts it inside Lucene. */
  private ScoredItems graphSearch(float[] query, int k, IntPredicate exclude, int excludedCount,
                                  Query filter) throws IOException {
    if (k <= 0) {
      return new ScoredItems(new int[0], new float[0]);
    }
    long beam = k + (long) Math.ceil((overFetch - 1) * Math.min(k, OVER_FETCH_UP_TO_K));
    int fetch = (int) Math.min(beam + excludedCount, reader.numDocs());
    TopDocs top = searcher.search(
        new KnnFloatVectorQuery(ItemVectorIndex.VECTOR_FIELD, query, fetch, filter), fetch);
    int n = Math.min(k, top.scoreDocs.length);
    int[] items = new int[n];
    float[] scores = new float[n];
    int out = 0;
    for (ScoreDoc hit : top.scoreDocs) {
      if (out == n) {
        break;
      }
      int item = itemOfDoc[hit.doc];
      if (!exclude.test(item)) {
        items[out] = item;
        scores[out] = dotProduct(hit.score);
        out++;
      }
    }
    return out == n ? new ScoredItems(items, scores)
        : new ScoredItems(Arrays.copyOf(items, out), Arrays.copyOf(scores, out));
  }

  /**
   * The k nearest items among {@code onlyItems} that {@code exclude} does not reject, best first:
   * a filter pushed into the search, so k come back whenever k items pass. Items of
   * {@code onlyItems} that this index does not hold (another shard's) are ignored.
   *
   * @param onlyItems allowed item indices, ascending; null allows every item
   */
  public ScoredItems search(float[] query, int k, IntPredicate exclude, int excludedCount,
                            int[] onlyItems) throws IOException {
    if (onlyItems == null) {
      return search(query, k, exclude, excludedCount);
    }
    if (exact != null) {
      return search(query, k, exclude.or(item -> Arrays.binarySearch(onlyItems, item) < 0), excludedCount);
    }
    return onlyItems.length <= filterExactMaxItems()
        ? searchAmongExactly(query, k, exclude, onlyItems)
        : searchAmongInGraph(query, k, exclude, excludedCount, onlyItems);
  }

  /**
   * The filtered search as an exact scan of the allowed items' vectors: what a selective filter
   * takes (see {@link #filterExactMaxItems}). Public for bench/ann's crossover sweep.
   */
  public ScoredItems searchAmongExactly(float[] query, int k, IntPredicate exclude, int[] onlyItems)
      throws IOException {
    checkQuery(query);
    if (k <= 0) {
      return new ScoredItems(new int[0], new float[0]);
    }
    int[] docs = docsOf(onlyItems);
    List<LeafReaderContext> leaves = reader.leaves();
    FloatVectorValues[] values = new FloatVectorValues[leaves.size()];
    float[][] rows = new float[docs.length][];
    int[] itemOfScanRow = new int[docs.length];
    for (int i = 0; i < docs.length; i++) {
      int leaf = ReaderUtil.subIndex(docs[i], leaves);
      if (values[leaf] == null) {
        values[leaf] = leaves.get(leaf).reader().getFloatVectorValues(ItemVectorIndex.VECTOR_FIELD);
      }
      // the reader reuses its buffer; the vectors are dense, so ordinal = leaf doc
      rows[i] = values[leaf].vectorValue(docs[i] - leaves.get(leaf).docBase).clone();
      itemOfScanRow[i] = itemOfDoc[docs[i]];
    }
    ScoredItems hits = new ExactScan(rows).search(query, k, row -> exclude.test(itemOfScanRow[row]));
    int[] items = hits.items();
    for (int i = 0; i < items.length; i++) {
      items[i] = itemOfScanRow[items[i]];
    }
    return hits;
  }

  /**
   * The filtered search as Lucene's filtered HNSW search (which itself turns exact when the graph
   * walk would visit more documents than pass). Public for bench/ann's crossover sweep.
   */
  public ScoredItems searchAmongInGraph(float[] query, int k, IntPredicate exclude, int excludedCount,
                                        int[] onlyItems) throws IOException {
    checkQuery(query);
    return graphSearch(query, k, exclude, excludedCount, new DocSetQuery(reader.leaves(), docsOf(onlyItems)));
  }

  /** Filters that let at most this many items through are searched exactly (see {@link #FILTER_EXACT_SQRT_FACTOR}). */
  public int filterExactMaxItems() {
    return (int) (FILTER_EXACT_SQRT_FACTOR * Math.sqrt(reader.numDocs()));
  }

  /** Global docs of the items this index holds, ascending by item. */
  private int[] docsOf(int[] items) {
    int[] docs = new int[items.length];
    int n = 0;
    for (int item : items) {
      int at = Arrays.binarySearch(itemsSorted, item);
      if (at >= 0) {
        docs[n++] = docOfSorted[at];
      }
    }
    return Arrays.copyOf(docs, n);
  }

  /** Lucene scores DOT_PRODUCT as (1 + dot) / 2; callers want the dot product itself. */
  private static float dotProduct(float luceneScore) {
    return 2f * luceneScore - 1f;
  }

  @Override
  public void close() throws IOException {
    // the reader first: it closes the shards' readers, then their directories
    List<Closeable> all = new ArrayList<>();
    all.add(reader);
    all.addAll(directories);
    IOUtils.close(all);
  }
}
