package io.recsys.ranking.serving;

import io.recsys.common.server.BundleInfo;
import io.recsys.common.server.ServerCounters;
import io.recsys.ranking.batching.BatchPolicy;
import io.recsys.ranking.batching.DynamicBatcher;
import io.recsys.ranking.bundle.RankingBundle;

/**
 * One bundle's ranker with its own dynamic batcher. Rows built against one bundle (item and user
 * indices) are only ever scored by that bundle's model, also while a newer bundle is swapped in.
 */
public final class ServingRanker implements AutoCloseable {

  private final RankingBundle bundle;
  private final DynamicBatcher batcher;

  public ServingRanker(RankingBundle bundle, BatchPolicy policy, ServerCounters counters) {
    this.bundle = bundle;
    this.batcher = new DynamicBatcher(bundle::score, policy, counters);
  }

  public RankingBundle bundle() {
    return bundle;
  }

  public DynamicBatcher batcher() {
    return batcher;
  }

  public BundleInfo info() {
    return new BundleInfo(bundle.version(), bundle.dir().toString());
  }

  /** Scores what is queued, then closes the model. */
  @Override
  public void close() {
    batcher.close();
    bundle.close();
  }
}
