package io.recsys.retrieval.source;

import io.recsys.common.features.CandidateSources;
import io.recsys.common.index.ExactScan;
import io.recsys.common.index.ScoredItems;
import io.recsys.retrieval.bundle.ColdItemVectors;
import io.recsys.retrieval.catalog.LiveItemIndex;
import io.recsys.retrieval.user.UserTowerEncoder;
import java.io.IOException;

/**
 * Items the two-tower source rarely proposes because training saw them little or never: the
 * bundle's cold items ({@link ColdItemVectors}) and the live catalog's new ones, each scored by the
 * user vector's dot product with its content-only vector (evaluated offline by
 * {@code evaluate --protocol cold-items}). They are scanned exactly (SIMD dot products): the set
 * changes with every bundle and live upsert, so an index over it would be rebuilt each time, and
 * bench/ann's exact path takes ~0.7 ms for 4k rows; then merged with the live items as the two-tower
 * source merges them.
 */
public final class ColdStartSource implements CandidateSource {

  private final UserTowerEncoder userTower;
  private final int[] items;
  private final ExactScan scan;
  /** New items since training; null when none are served. */
  private final LiveItemIndex live;

  public ColdStartSource(UserTowerEncoder userTower, ColdItemVectors cold, LiveItemIndex live) {
    this.userTower = userTower;
    this.items = cold.items();
    this.scan = new ExactScan(cold.vectors());
    this.live = live;
  }

  @Override
  public String name() {
    return CandidateSources.COLD_START;
  }

  @Override
  public ScoredItems retrieve(RetrievalQuery query, int k, ExcludedItems exclude) throws IOException {
    if (items.length == 0 && live == null) {
      return new ScoredItems(new int[0], new float[0]);
    }
    float[] embedding = userTower.encode(query.userIndex(), query.history());
    ScoredItems rows = scan.search(embedding, k, row -> exclude.test(items[row]));
    int[] hits = new int[rows.size()];
    for (int r = 0; r < hits.length; r++) {
      hits[r] = items[rows.items()[r]];
    }
    ScoredItems bundleHits = new ScoredItems(hits, rows.scores());
    return live == null ? bundleHits : live.mergeWith(bundleHits, embedding, k, exclude);
  }
}
