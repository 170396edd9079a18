package io.recsys.common.index;

import io.recsys.common.bundle.EmbeddingMatrix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;
import org.apache.lucene.util.InfoStream;

/**
 * Builds the bundle's Lucene HNSW index over the item embeddings, once, at export time, so servers
 * only open it. Each document holds one item's vector and its item index as a doc value (Lucene doc
 * ids are not item ids: they may change on merge).
 *
 * <p>The build has two passes, because Lucene links a vector into the graph inside addDocument,
 * one thread per segment: (1) the vectors are stored without a graph in a staging index beside
 * {@code dir} (seconds); (2) {@code addIndexes} merges them into one segment of {@code dir}, and
 * Lucene's concurrent HNSW merge builds that segment's graph from scratch with
 * {@link HnswSettings#threads()} workers. Building per-thread segments and merging them instead
 * would insert about half of the vectors twice.
 */
public final class ItemVectorIndex {

  static final String VECTOR_FIELD = "embedding";
  static final String ITEM_FIELD = "item";

  /** Enough that the stored vectors are written in few segments; the graph pass merges them anyway. */
  static final double RAM_BUFFER_MB = 512;
  /** How often the first pass reports progress. */
  public static final int PROGRESS_EVERY = 10_000;
  /** Tolerance of the unit-length check; the dot product is only a cosine for unit vectors. */
  static final double NORM_TOLERANCE = 1e-3;
  /** A tiny-segment threshold no segment reaches (no graph below ln(n) x threshold vectors). */
  private static final int NO_GRAPH = Integer.MAX_VALUE;

  private ItemVectorIndex() {}

  /** {@link #build(Path, EmbeddingMatrix, HnswSettings, BuildProgress)} with the default graph on all cores. */
  public static void build(Path dir, EmbeddingMatrix vectors, BuildProgress progress) throws IOException {
    build(dir, vectors, HnswSettings.defaults(), progress);
  }

  /**
   * Writes the index of all rows of {@code vectors} into {@code dir} (replacing what is there), as
   * one segment.
   *
   * @param vectors L2-normalised item embeddings, row i = item index i
   */
  public static void build(Path dir, EmbeddingMatrix vectors, HnswSettings settings,
                           BuildProgress progress) throws IOException {
    int[] all = new int[vectors.rows()];
    Arrays.setAll(all, i -> i);
    build(dir, vectors, all, settings, progress);
  }

  /**
   * Writes the index of the rows {@code items} of {@code vectors} into {@code dir} (replacing what
   * is there), as one segment: one shard of the catalog (see {@link ItemShards#partition}). The
   * documents keep the bundle-wide item index, so a shard's hits need no translation.
   *
   * @param items item indices (rows of {@code vectors}) to index, ascending
   */
  public static void build(Path dir, EmbeddingMatrix vectors, int[] items, HnswSettings settings,
                           BuildProgress progress) throws IOException {
    if (items.length == 0) {
      throw new IllegalArgumentException("no item vectors to index");
    }
    LuceneVectorization.logStatus();
    Path target = dir.toAbsolutePath();
    Files.createDirectories(target);
    Path staging = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".flat");
    try {
      storeVectors(staging, vectors, items, progress);
      buildGraph(staging, target, settings, items.length, progress);
    } finally {
      IOUtils.rm(staging);
    }
    progress.graphLinked(items.length, items.length);
  }

  /** Pass 1: every vector and item index, in segments without a graph. */
  private static void storeVectors(Path staging, EmbeddingMatrix vectors, int[] items,
                                   BuildProgress progress) throws IOException {
    IndexWriterConfig config = new IndexWriterConfig()
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
        .setCodec(flatCodec())
        .setRAMBufferSizeMB(RAM_BUFFER_MB)
        .setUseCompoundFile(false);
    int rows = items.length;
    try (FSDirectory directory = FSDirectory.open(staging);
         IndexWriter writer = new IndexWriter(directory, config)) {
      for (int j = 0; j < rows; j++) {
        int item = items[j];
        float[] v = vectors.row(item);
        checkUnitLength(item, v);
        Document doc = new Document();
        doc.add(new KnnFloatVectorField(VECTOR_FIELD, v, VectorSimilarityFunction.DOT_PRODUCT));
        doc.add(new NumericDocValuesField(ITEM_FIELD, item));
        writer.addDocument(doc);
        if ((j + 1) % PROGRESS_EVERY == 0 && j + 1 < rows) {
          progress.vectorsWritten(j + 1, rows);
        }
      }
      writer.commit();
    }
    progress.vectorsWritten(rows, rows);
  }

  /** Pass 2: merges the stored vectors into one segment of {@code target}, building its graph. */
  private static void buildGraph(Path staging, Path target, HnswSettings settings, int rows,
                                 BuildProgress progress) throws IOException {
    ExecutorService workers = settings.threads() > 1
        ? Executors.newFixedThreadPool(settings.threads(), graphThreads()) : null;
    KnnVectorsFormat hnsw = workers == null
        ? new Lucene99HnswVectorsFormat(settings.maxConn(), settings.beamWidth())
        : new Lucene99HnswVectorsFormat(settings.maxConn(), settings.beamWidth(), settings.threads(), workers);
    IndexWriterConfig config = new IndexWriterConfig()
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
        .setCodec(codec(hnsw))
        .setUseCompoundFile(false)
        .setInfoStream(new GraphProgress(rows, progress));
    try (FSDirectory stored = FSDirectory.open(staging);
         DirectoryReader reader = DirectoryReader.open(stored);
         FSDirectory directory = FSDirectory.open(target);
         IndexWriter writer = new IndexWriter(directory, config)) {
      CodecReader[] segments = reader.leaves().stream()
          .map(leaf -> (CodecReader) leaf.reader()).toArray(CodecReader[]::new);
      writer.addIndexes(segments);
      // addIndexes merges into one segment already; this keeps it so if that ever changes
      writer.forceMerge(1);
      writer.commit();
    } finally {
      if (workers != null) {
        workers.shutdownNow();
      }
    }
  }

  /**
   * Vectors stored without an HNSW graph, so a search scans them exactly: the build's staging pass,
   * and small indexes that change all the time (the live catalog's), where segments come and go
   * faster than a graph would pay back its build.
   */
  public static Lucene104Codec flatCodec() {
    return codec(new Lucene99HnswVectorsFormat(
        HnswSettings.DEFAULT_MAX_CONN, HnswSettings.DEFAULT_BEAM_WIDTH, 1, null, NO_GRAPH));
  }

  private static Lucene104Codec codec(KnnVectorsFormat vectors) {
    // the codec keeps its SPI name; the per-field format is recorded in the segment, so a plain
    // reader opens the index without this class
    return new Lucene104Codec() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return vectors;
      }
    };
  }

  private static ThreadFactory graphThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "hnsw-build-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Turns Lucene's HNSW log lines ("built 10000 in ...", every 10k nodes) into graph progress; the
   * graph is built inside one Lucene call, and this is the only view into it.
   */
  private static final class GraphProgress extends InfoStream {
    private static final String COMPONENT = "HNSW";
    private static final Pattern BUILT = Pattern.compile("^built (\\d+) in ");
    private final int total;
    private final BuildProgress progress;

    GraphProgress(int total, BuildProgress progress) {
      this.total = total;
      this.progress = progress;
    }

    @Override
    public void message(String component, String message) {
      Matcher m = BUILT.matcher(message);
      if (m.find()) {
        int done = Integer.parseInt(m.group(1));
        if (done > 0 && done < total) {
          progress.graphLinked(done, total);
        }
      }
    }

    @Override
    public boolean isEnabled(String component) {
      return COMPONENT.equals(component);
    }

    @Override
    public void close() {}
  }

  private static void checkUnitLength(int item, float[] v) {
    double sq = 0;
    for (float x : v) {
      sq += (double) x * x;
    }
    if (Math.abs(Math.sqrt(sq) - 1.0) > NORM_TOLERANCE) {
      throw new IllegalArgumentException("item " + item + " has an embedding of length "
          + Math.sqrt(sq) + "; the index scores by dot product and needs L2-normalised vectors");
    }
  }
}
