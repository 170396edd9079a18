package io.recsys.models.eval;

import io.recsys.common.candidates.MergedCandidates;
import io.recsys.common.features.RankerFeatures;
import io.recsys.models.train.OfflineCandidates;
import io.recsys.models.train.RankerModel;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Retrieval then ranking, as served: the served sources' candidates for the user's history
 * ({@link OfflineCandidates}, merged as the gateway merges them), scored by the ranker with
 * {@link RankerFeatures} and ordered by its score. Items no source retrieved rank below all
 * candidates, in two-tower order (they would never be shown; this only gives MRR a full ranking).
 */
public final class TwoStageRecommender implements Recommender {

  private final TwoTowerRecommender retrieval;
  private final RankerModel ranker;
  private final RankerFeatures features;
  private final OfflineCandidates sources;

  public TwoStageRecommender(TwoTowerRecommender retrieval, RankerModel ranker, RankerFeatures features,
                             OfflineCandidates sources) {
    this.retrieval = retrieval;
    this.ranker = ranker;
    this.features = features;
    this.sources = sources;
  }

  @Override
  public String name() {
    return "two_stage";
  }

  @Override
  public void score(List<Query> queries, float[][] out) {
    float[][] userVectors = retrieval.userVectors(queries);
    retrieval.score(userVectors, out); // cosine scores in [-1, 1]
    int fs = RankerFeatures.SPARSE.size();
    int fd = RankerFeatures.DENSE.size();
    for (int q = 0; q < queries.size(); q++) {
      Query query = queries.get(q);
      Set<Integer> seen = Evaluator.itemsOf(query.history());
      MergedCandidates cands = sources.candidates(query.history(), userVectors[q], seen);
      int n = cands.size();
      int[] sparse = new int[n * fs];
      float[] dense = new float[n * fd];
      int[] rowOf = new int[n];
      int rows = features.rows(features.profile(query.history(), query.nowMs()), cands, sparse, dense, rowOf);
      float[] p = ranker.score(Arrays.copyOf(sparse, rows * fs), Arrays.copyOf(dense, rows * fd), rows);
      for (int c = 0; c < n; c++) {
        if (rowOf[c] >= 0) {
          out[q][cands.itemIndex(c)] = 2f + p[rowOf[c]]; // above every non-candidate's cosine
        }
      }
    }
  }
}
