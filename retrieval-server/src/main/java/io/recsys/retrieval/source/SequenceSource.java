package io.recsys.retrieval.source;

import io.recsys.common.features.CandidateSources;
import io.recsys.common.index.ItemVectorSearcher;
import io.recsys.common.index.ScoredItems;
import io.recsys.retrieval.user.SequenceUserEncoder;
import java.io.IOException;

/**
 * What comes next after the user's recent items, in their order: the sequence model encodes them
 * into a query vector and its own HNSW index finds the nearest items. A user without history gets
 * nothing (the popular and two-tower sources cover cold start); live catalog items, which the
 * sequence model has never seen, are not proposed.
 */
public final class SequenceSource implements CandidateSource {

  private final SequenceUserEncoder encoder;
  private final ItemVectorSearcher index;

  public SequenceSource(SequenceUserEncoder encoder, ItemVectorSearcher index) {
    this.encoder = encoder;
    this.index = index;
  }

  @Override
  public String name() {
    return CandidateSources.SEQUENCE;
  }

  @Override
  public ScoredItems retrieve(RetrievalQuery query, int k, ExcludedItems exclude) throws IOException {
    float[] embedding = encoder.encode(query.history());
    if (embedding == null) {
      return new ScoredItems(new int[0], new float[0]);
    }
    return index.search(embedding, k, exclude, exclude.size(), exclude.onlyBundleItems());
  }
}
