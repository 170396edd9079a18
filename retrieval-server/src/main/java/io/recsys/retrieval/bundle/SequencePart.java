package io.recsys.retrieval.bundle;

import io.recsys.common.bundle.BundleLayout;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.Manifest;
import io.recsys.common.index.ItemVectorSearcher;
import io.recsys.retrieval.source.CandidateSource;
import io.recsys.retrieval.source.SequenceSource;
import io.recsys.retrieval.user.SequenceUserEncoder;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * A bundle's sequence model, loaded and checked as one part: its encoder (SavedModel) and the
 * HNSW index of its item vectors. Bundles exported before it have none and serve no sequence source.
 */
final class SequencePart implements Closeable {

  private final SequenceUserEncoder encoder;
  private final ItemVectorSearcher index;

  private SequencePart(SequenceUserEncoder encoder, ItemVectorSearcher index) {
    this.encoder = encoder;
    this.index = index;
  }

  /** The bundle's sequence part, or null when its manifest names none. */
  static SequencePart load(BundleLayout layout, Manifest manifest, ItemCatalog items) throws IOException {
    Manifest.SequenceSpec spec = manifest.sequence();
    if (spec == null) {
      return null;
    }
    ItemVectorSearcher index = ItemVectorSearcher.open(List.of(layout.sequenceIndex()),
        ItemVectorSearcher.DEFAULT_OVER_FETCH, ItemVectorSearcher.DEFAULT_EXACT_SCAN_MAX_FLOATS);
    try {
      if (index.size() != items.size() || index.dim() != spec.embeddingDim()) {
        throw new IOException("bundle " + layout.dir() + " is inconsistent: the sequence index holds " + index.size()
            + " vectors of " + index.dim() + " dimensions, but the catalog has " + items.size()
            + " items and the manifest says " + spec.embeddingDim() + " dimensions; export the bundle again");
      }
      return new SequencePart(SequenceUserEncoder.load(layout.dir(), spec), index);
    } catch (IOException | RuntimeException e) {
      index.close();
      throw e;
    }
  }

  CandidateSource source() {
    return new SequenceSource(encoder, index);
  }

  @Override
  public void close() throws IOException {
    try (index) {
      encoder.close();
    }
  }
}
