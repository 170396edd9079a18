package io.recsys.retrieval.catalog;

import io.recsys.api.v1.CatalogItem;
import io.recsys.api.v1.CatalogRecord;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.Manifest;
import io.recsys.common.catalog.ItemContentEncoder;
import io.recsys.common.catalog.LiveCatalog;
import io.recsys.common.index.ItemVectorIndex;
import io.recsys.common.index.ScoredItems;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.ControlledRealTimeReopenThread;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.IOUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live catalog's items as one bundle serves them: embedded with that bundle's item tower
 * (content signature) into a writable Lucene vector index beside the bundle's read-only HNSW one
 * (stored without a graph, searched exactly), searched
 * through a near-real-time reader that a background thread reopens at most
 * {@link #MAX_STALE_SECONDS} after a change. Also tracks the bundle items a live change hides
 * (deleted, or replaced by a newer live version), which every source of the bundle excludes.
 *
 * <p>In memory: the durable copy is the catalog log, replayed into a fresh index at every start
 * and bundle swap (the vectors depend on the bundle's tower).
 */
public final class LiveItemIndex implements LiveCatalog.Listener, Closeable {

  private static final Logger log = LoggerFactory.getLogger(LiveItemIndex.class);
  /** An upsert is searchable at most this long after it was applied (the issue asks for ~1 s). */
  static final double MAX_STALE_SECONDS = 0.25;
  /** When a search waits for a generation; nobody does, so this only bounds idle reopen work. */
  private static final double MIN_STALE_SECONDS = 0.01;
  private static final String ID_FIELD = "id";
  /** The id again as a doc value: a search reads ~k of them, far cheaper than stored fields. */
  private static final String ID_VALUE_FIELD = "id_value";
  private static final String VECTOR_FIELD = "embedding";

  private final LiveCatalog live;
  private final ItemCatalog catalog;
  private final ItemContentEncoder encoder;
  private final Predicate<String> owned;
  private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final ControlledRealTimeReopenThread<IndexSearcher> reopener;
  /** Bundle item indices a live change hides from every source. */
  private final Set<Integer> hiddenBundleItems = ConcurrentHashMap.newKeySet();

  private LiveItemIndex(LiveCatalog live, ItemCatalog catalog, ItemContentEncoder encoder,
                        Predicate<String> owned) throws IOException {
    this.live = live;
    this.catalog = catalog;
    this.encoder = encoder;
    this.owned = owned;
    // no HNSW graph: the live items are few (those since the last training), and every refresh
    // makes a segment whose graph would cost more to build and merge than an exact scan of it
    this.writer = new IndexWriter(directory, new IndexWriterConfig().setCodec(ItemVectorIndex.flatCodec()));
    this.searchers = new SearcherManager(writer, null);
    this.reopener = new ControlledRealTimeReopenThread<>(writer, searchers, MAX_STALE_SECONDS, MIN_STALE_SECONDS);
    reopener.setName("live-index-reopen");
    reopener.setDaemon(true);
  }

  /**
   * The live index of a bundle, embedding with the bundle's item tower; null (logged) when the
   * bundle's two-tower model has no content signature (trained before live items existed).
   */
  public static LiveItemIndex forBundle(Path bundleDir, Manifest manifest, ItemCatalog items, LiveCatalog live,
                                        Predicate<String> owned) throws IOException {
    ItemContentEncoder encoder = ItemContentEncoder.load(bundleDir, manifest.embeddingDim()).orElse(null);
    if (encoder == null) {
      return null;
    }
    try {
      return open(live, items.withLive(live, LiveCatalog.createdMs(manifest)), encoder, owned);
    } catch (IOException | RuntimeException e) {
      encoder.close();
      throw e;
    }
  }

  /**
   * Indexes the live catalog's current items for a bundle and follows its changes until closed;
   * closing it closes the encoder.
   *
   * @param catalog the bundle's catalog with the live items (see {@link ItemCatalog#withLive})
   * @param owned which item ids this server serves (its shards)
   */
  private static LiveItemIndex open(LiveCatalog live, ItemCatalog catalog, ItemContentEncoder encoder,
                                   Predicate<String> owned) throws IOException {
    LiveItemIndex index = new LiveItemIndex(live, catalog, encoder, owned);
    try {
      live.subscribe(index);
      index.searchers.maybeRefreshBlocking();
      index.reopener.start();
      return index;
    } catch (IOException | RuntimeException e) {
      index.close();
      throw e;
    }
  }

  @Override
  public void upserted(List<CatalogRecord> records) {
    List<CatalogItem> mine = new ArrayList<>(records.size());
    for (CatalogRecord r : records) {
      CatalogItem item = r.getUpsert();
      int bundleIndex = catalog.bundleIndexOf(item.getItemId());
      if (bundleIndex >= 0 && catalog.isReplacedByLive(bundleIndex)) {
        hiddenBundleItems.add(bundleIndex);
      }
      // an older record of an item the bundle has is served from the bundle's row
      if (owned.test(item.getItemId()) && catalog.indexOf(item.getItemId()) >= catalog.bundleSize()) {
        mine.add(item);
      }
    }
    if (mine.isEmpty()) {
      return;
    }
    try {
      float[][] vectors = encoder.encode(mine, catalog);
      for (int i = 0; i < mine.size(); i++) {
        Document doc = new Document();
        doc.add(new StringField(ID_FIELD, mine.get(i).getItemId(), Field.Store.NO));
        doc.add(new BinaryDocValuesField(ID_VALUE_FIELD, new BytesRef(mine.get(i).getItemId())));
        doc.add(new KnnFloatVectorField(VECTOR_FIELD, vectors[i], VectorSimilarityFunction.DOT_PRODUCT));
        writer.updateDocument(new Term(ID_FIELD, mine.get(i).getItemId()), doc);
      }
    } catch (AlreadyClosedException e) {
      // this bundle was closed (swapped out or shut down) while the change arrived; its successor has it
    } catch (IOException | RuntimeException e) {
      log.error("indexing {} live items failed; they are not served by two_tower until re-upserted", mine.size(), e);
    }
  }

  @Override
  public void deleted(List<String> itemIds) {
    Term[] terms = new Term[itemIds.size()];
    for (int i = 0; i < terms.length; i++) {
      String id = itemIds.get(i);
      int bundleIndex = catalog.bundleIndexOf(id);
      if (bundleIndex >= 0) {
        hiddenBundleItems.add(bundleIndex);
      }
      terms[i] = new Term(ID_FIELD, id);
    }
    try {
      writer.deleteDocuments(terms);
    } catch (AlreadyClosedException e) {
      // closed meanwhile, see upserted
    } catch (IOException | RuntimeException e) {
      // the deleted set still hides them at answer time
      log.error("removing {} deleted items from the live index failed", terms.length, e);
    }
  }

  /** Whether a bundle item is hidden by a live delete or a newer live version. */
  public boolean hides(int bundleIndex) {
    return hiddenBundleItems.contains(bundleIndex);
  }

  /** How many bundle items are hidden: what a search of the bundle's index over-fetches. */
  public int hiddenCount() {
    return hiddenBundleItems.size();
  }

  /**
   * The best k of the bundle's hits and the live index's, by score (both are dot products of the
   * same unit vectors, so they merge exactly).
   *
   * @param exclude item indices (of {@link #catalog()}) not to return
   */
  public ScoredItems mergeWith(ScoredItems bundleHits, float[] query, int k, IntPredicate exclude)
      throws IOException {
    IndexSearcher searcher = searchers.acquire();
    try {
      int docs = searcher.getIndexReader().numDocs();
      if (docs == 0) {
        return bundleHits;
      }
      int fetch = Math.min(docs, k + 16);
      TopDocs top = searcher.search(new KnnFloatVectorQuery(VECTOR_FIELD, query, fetch), fetch);
      int[] items = Arrays.copyOf(bundleHits.items(), bundleHits.size() + top.scoreDocs.length);
      float[] scores = Arrays.copyOf(bundleHits.scores(), items.length);
      int n = bundleHits.size();
      List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
      for (ScoreDoc hit : top.scoreDocs) {
        String id = idOf(leaves, hit.doc);
        int item = catalog.indexOf(id);
        if (item >= catalog.bundleSize() && !live.isDeleted(id) && !exclude.test(item)) {
          items[n] = item;
          scores[n] = 2f * hit.score - 1f; // Lucene scores DOT_PRODUCT as (1 + dot) / 2
          n++;
        }
      }
      return best(items, scores, n, k);
    } finally {
      searchers.release(searcher);
    }
  }

  private static String idOf(List<LeafReaderContext> leaves, int doc) throws IOException {
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    BinaryDocValues ids = leaf.reader().getBinaryDocValues(ID_VALUE_FIELD);
    if (ids == null || !ids.advanceExact(doc - leaf.docBase)) {
      throw new IOException("live index: document " + doc + " has no item id");
    }
    return ids.binaryValue().utf8ToString();
  }

  /** The k best of the first n (item, score) pairs, best first. */
  private static ScoredItems best(int[] items, float[] scores, int n, int k) {
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
    int m = Math.min(n, k);
    int[] topItems = new int[m];
    float[] topScores = new float[m];
    for (int i = 0; i < m; i++) {
      topItems[i] = items[order[i]];
      topScores[i] = scores[order[i]];
    }
    return new ScoredItems(topItems, topScores);
  }

  /** The bundle's catalog followed by the live items. */
  public ItemCatalog catalog() {
    return catalog;
  }

  @Override
  public void close() throws IOException {
    live.unsubscribe(this);
    IOUtils.close(reopener, searchers, writer, directory, encoder::close);
  }
}
