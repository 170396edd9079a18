package io.recsys.ranking.bundle;

import io.recsys.common.bundle.BackgroundPart;
import io.recsys.common.bundle.BundleLayout;
import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.Manifest;
import io.recsys.common.bundle.Popularity;
import io.recsys.common.catalog.LiveCatalog;
import io.recsys.common.features.FeatureRanges;
import io.recsys.common.features.RankerFeatures;
import io.recsys.common.tf.SavedModelRunner;
import io.recsys.ranking.catalog.LiveRankerItems;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * What the ranking server needs from a model bundle, loaded once: the tables that build feature
 * rows and the ranker SavedModel that scores them. Refuses a bundle whose ranker expects other
 * feature rows than this build writes.
 */
public final class RankingBundle implements Closeable {

  private static final int[] WARMUP_BATCH_ROWS = {1, 64, 300, 1024};
  private static final int WARMUP_CALLS = 20;

  /** Logical names of the ranker signature (mapped to tensor names by the manifest). */
  public static final String SPARSE_INPUT = "sparse";
  public static final String DENSE_INPUT = "dense";
  public static final String PROBABILITY_OUTPUT = "probability";

  public static final int SPARSE_WIDTH = RankerFeatures.SPARSE.size();
  public static final int DENSE_WIDTH = RankerFeatures.DENSE.size();

  private final Path dir;
  private final Manifest manifest;
  private final ItemCatalog items;
  private final RankerFeatures features;
  private final SavedModelRunner ranker;
  /** The live catalog's items as this bundle scores them; null when none are served. */
  private LiveRankerItems live;

  private RankingBundle(Path dir, Manifest manifest, ItemCatalog items,
                        RankerFeatures features, SavedModelRunner ranker) {
    this.dir = dir;
    this.manifest = manifest;
    this.items = items;
    this.features = features;
    this.ranker = ranker;
  }

  /**
   * Loads the bundle at {@code path} (a bundle directory or a root of versioned bundles, newest
   * taken) and checks the ranker with one scoring call.
   */
  public static RankingBundle load(Path path) throws IOException {
    return load(path, null);
  }

  /** As {@link #load(Path)}, also scoring the live catalog's items (null: none). */
  public static RankingBundle load(Path path, LiveCatalog liveCatalog) throws IOException {
    BundleLayout layout = BundleLayout.resolve(path);
    Manifest manifest = Manifest.read(layout.manifest());
    checkFeatureSpec(manifest, layout.dir());
    BackgroundPart<SavedModelRunner> model = BackgroundPart.load(() -> SavedModelRunner.load(layout.dir(), manifest.ranker()));
    SavedModelRunner ranker = null;
    try {
      ItemCatalog items = ItemCatalog.read(layout.items());
      EmbeddingMatrix embeddings = EmbeddingMatrix.read(layout.itemEmbeddings(), manifest.embeddingDim());
      if (embeddings.rows() != items.size()) {
        throw new IOException(layout.itemEmbeddings() + " has " + embeddings.rows() + " rows but "
            + layout.items() + " has " + items.size() + " items; the bundle is inconsistent, export it again");
      }
      Popularity popularity = Popularity.read(layout.popularity(), items.size());
      RankerFeatures features = new RankerFeatures(items, embeddings, popularity, manifest.historyLength());
      if (Files.isRegularFile(layout.rankerRanges())) {
        features = features.withRanges(FeatureRanges.read(layout.rankerRanges()));
      }
      ranker = model.get();
      RankingBundle bundle = new RankingBundle(layout.dir(), manifest, items, features, ranker);
      try {
        bundle.score(new int[SPARSE_WIDTH], new float[DENSE_WIDTH], 1);
        bundle.warmUp();
      } catch (RuntimeException e) {
        throw new IOException("the ranker in " + layout.ranker() + " cannot score a [1," + SPARSE_WIDTH
            + "] sparse + [1," + DENSE_WIDTH + "] dense row: " + e.getMessage(), e);
      }
      if (liveCatalog != null) {
        bundle.live = LiveRankerItems.forBundle(layout.dir(), manifest, items, features, liveCatalog);
      }
      return bundle;
    } catch (IOException | RuntimeException e) {
      if (ranker == null) {
        model.discard();
      } else {
        ranker.close();
      }
      throw e;
    }
  }

  /**
   * Scores batches of the sizes traffic brings before traffic arrives: TensorFlow optimises the
   * graph on its first runs, which would otherwise make the first requests late.
   */
  private void warmUp() {
    for (int rows : WARMUP_BATCH_ROWS) {
      for (int i = 0; i < WARMUP_CALLS; i++) {
        score(new int[rows * SPARSE_WIDTH], new float[rows * DENSE_WIDTH], rows);
      }
    }
  }

  private static void checkFeatureSpec(Manifest manifest, Path dir) throws IOException {
    Manifest.RankerFeatureSpec spec = manifest.rankerFeatures();
    if (spec == null || !RankerFeatures.SPARSE.equals(spec.sparse())
        || !RankerFeatures.DENSE.equals(spec.dense())) {
      throw new IOException("bundle " + dir + " was trained on other ranker features than this server"
          + " builds. Bundle: " + (spec == null ? "none listed" : "sparse " + spec.sparse() + ", dense " + spec.dense())
          + "; server: sparse " + RankerFeatures.SPARSE + ", dense " + RankerFeatures.DENSE
          + ". Retrain the bundle with this version, or run the server version that trained it.");
    }
  }

  /**
   * Scores feature rows with one ranker call; safe from any thread.
   *
   * @return the probability of each row
   */
  public float[] score(int[] sparse, float[] dense, int rows) {
    try (TInt32 s = SavedModelRunner.ints(sparse, rows, SPARSE_WIDTH);
         TFloat32 d = SavedModelRunner.floats(dense, rows, DENSE_WIDTH)) {
      return ranker.runFloats(Map.of(SPARSE_INPUT, s, DENSE_INPUT, d), PROBABILITY_OUTPUT, rows);
    }
  }

  public Path dir() {
    return dir;
  }

  public Manifest manifest() {
    return manifest;
  }

  public String version() {
    return manifest.version();
  }

  public ItemCatalog items() {
    return items;
  }

  /** Feature rows of bundle items and, when served, live catalog items. */
  public RankerFeatures features() {
    return live == null ? features : live.features();
  }

  /** The items a candidate may be: the bundle's, then the live catalog's when served. */
  public ItemCatalog candidates() {
    return live == null ? items : live.catalog();
  }

  @Override
  public void close() {
    if (live != null) {
      live.close();
    }
    ranker.close();
  }
}
