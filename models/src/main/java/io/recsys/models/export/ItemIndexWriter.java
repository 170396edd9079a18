package io.recsys.models.export;

import io.recsys.common.bundle.BundleLayout;
import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.index.BuildProgress;
import io.recsys.common.index.HnswSettings;
import io.recsys.common.index.ItemShards;
import io.recsys.common.index.ItemVectorIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Writes a bundle's item index as {@code shards} shards: the items are split by
 * {@link ItemShards} on their external id and each shard gets an HNSW index of its own
 * ({@link BundleLayout#indexShard}); one shard is the plain {@code index/} of older bundles.
 */
final class ItemIndexWriter {

  private ItemIndexWriter() {}

  static void write(BundleLayout bundle, ItemCatalog items, EmbeddingMatrix vectors, int shards,
                    Consumer<String> progress) throws IOException {
    if (shards < 1 || shards > items.size()) {
      throw new IllegalArgumentException("index shards must be in [1, " + items.size() + "], got " + shards);
    }
    int[][] parts = ItemShards.partition(items.size(), items::id, shards);
    for (int s = 0; s < shards; s++) {
      build(bundle.indexShard(s, shards), vectors, parts[s], shards == 1 ? "" : " of shard " + s + "/" + shards,
          progress);
    }
  }

  /**
   * The sequence model's index: every item in one index, served whole by each retrieval shard (as
   * the popular and item2item sources are).
   */
  static void writeSequence(BundleLayout bundle, EmbeddingMatrix vectors, Consumer<String> progress)
      throws IOException {
    build(bundle.sequenceIndex(), vectors, IntStream.range(0, vectors.rows()).toArray(), " of the sequence model",
        progress);
  }

  private static void build(Path dir, EmbeddingMatrix vectors, int[] items, String what, Consumer<String> progress)
      throws IOException {
    HnswSettings hnsw = HnswSettings.defaults();
    progress.accept("[export] building HNSW index over " + items.length + " item vectors" + what
        + " (" + hnsw + ")");
    ItemVectorIndex.build(dir, vectors, items, hnsw, new BuildProgress() {
      @Override
      public void vectorsWritten(int done, int total) {
        progress.accept("[export] stored " + done + "/" + total + " item vectors" + what);
      }

      @Override
      public void graphLinked(int done, int total) {
        progress.accept("[export] linked " + done + "/" + total + " items into the HNSW graph" + what);
      }
    });
  }
}
