package io.recsys.retrieval.source;

import io.recsys.common.index.ScoredItems;

/** One way of proposing items for a user. Sources are built once per bundle and shared by all calls. */
public interface CandidateSource {

  /** The name clients ask for (see {@link io.recsys.common.features.CandidateSources}). */
  String name();

  /**
   * Up to k items, best first, none of them excluded.
   *
   * @throws java.io.IOException when the source's index cannot be read
   */
  ScoredItems retrieve(RetrievalQuery query, int k, ExcludedItems exclude) throws java.io.IOException;
}
