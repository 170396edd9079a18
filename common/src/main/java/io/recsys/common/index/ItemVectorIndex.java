package io.recsys.common.index;

import io.recsys.common.bundle.EmbeddingMatrix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntConsumer;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.FSDirectory;

/**
 * Builds the bundle's Lucene HNSW index over the item embeddings, once, at export time, so servers
 * only open it. Each document holds one item's vector and its item index as a doc value (Lucene doc
 * ids are not item ids: they may change on merge).
 */
public final class ItemVectorIndex {

  static final String VECTOR_FIELD = "embedding";
  static final String ITEM_FIELD = "item";

  /**
   * HNSW neighbours per node. 16 (Lucene's default) gave recall 0.98 at k=100 on 200k x 64 unit
   * vectors; more links grow the index and the build time for little recall at these dimensions.
   */
  static final int MAX_CONN = 16;
  /** Candidates kept while inserting a node; 100 is Lucene's default and built a graph of the recall above. */
  static final int BEAM_WIDTH = 100;
  /**
   * Large enough that the whole catalog is one flush: the HNSW graph is built once inside
   * addDocument, and every merge of several segments would rebuild it (single-threaded, minutes).
   */
  static final double RAM_BUFFER_MB = 1024;
  /** How often build reports progress: a 200k catalog takes minutes, so the exporter shows it. */
  public static final int PROGRESS_EVERY = 10_000;
  /** Tolerance of the unit-length check; the dot product is only a cosine for unit vectors. */
  static final double NORM_TOLERANCE = 1e-3;

  private ItemVectorIndex() {}

  /**
   * Writes the index of all rows of {@code vectors} into {@code dir} (replacing what is there).
   *
   * @param vectors L2-normalised item embeddings, row i = item index i
   * @param progress receives the number of items indexed so far, every {@link #PROGRESS_EVERY}
   *     items and once at the end
   */
  public static void build(Path dir, EmbeddingMatrix vectors, IntConsumer progress)
      throws IOException {
    if (vectors.rows() == 0) {
      throw new IllegalArgumentException("no item vectors to index");
    }
    LuceneVectorization.logStatus();
    Files.createDirectories(dir);
    IndexWriterConfig config = new IndexWriterConfig()
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
        .setCodec(hnswCodec())
        .setRAMBufferSizeMB(RAM_BUFFER_MB)
        .setUseCompoundFile(false);
    try (FSDirectory directory = FSDirectory.open(dir);
         IndexWriter writer = new IndexWriter(directory, config)) {
      for (int item = 0; item < vectors.rows(); item++) {
        float[] v = vectors.row(item);
        checkUnitLength(item, v);
        Document doc = new Document();
        doc.add(new KnnFloatVectorField(VECTOR_FIELD, v, VectorSimilarityFunction.DOT_PRODUCT));
        doc.add(new NumericDocValuesField(ITEM_FIELD, item));
        writer.addDocument(doc);
        if ((item + 1) % PROGRESS_EVERY == 0) {
          progress.accept(item + 1);
        }
      }
      // one segment: one graph to search, and the searcher maps doc ids to items once
      writer.forceMerge(1);
      writer.commit();
    }
    progress.accept(vectors.rows());
  }

  private static Lucene104Codec hnswCodec() {
    KnnVectorsFormat hnsw = new Lucene99HnswVectorsFormat(MAX_CONN, BEAM_WIDTH);
    // the codec keeps its SPI name; the per-field format is recorded in the segment, so a plain
    // reader opens the index without this class
    return new Lucene104Codec() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return hnsw;
      }
    };
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
