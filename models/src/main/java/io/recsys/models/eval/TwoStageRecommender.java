package io.recsys.models.eval;

import io.recsys.common.bundle.Popularity;
import io.recsys.common.features.CandidateSources;
import io.recsys.common.features.RankerFeatures;
import io.recsys.models.train.RankerModel;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Retrieval then ranking, as served: the two-tower top N and the popular top N (both without the
 * user's seen items) are merged keeping every source's score, the ranker scores the merged
 * candidates with {@link RankerFeatures}, and they are ordered by its probability. Items no source
 * retrieved rank below all candidates, in two-tower order (they would never be shown; this only
 * gives MRR a full ranking).
 */
public final class TwoStageRecommender implements Recommender {

  private final TwoTowerRecommender retrieval;
  private final RankerModel ranker;
  private final RankerFeatures features;
  private final Popularity popularity;
  private final int perSource;

  public TwoStageRecommender(TwoTowerRecommender retrieval, RankerModel ranker, RankerFeatures features,
                             Popularity popularity, int perSource) {
    this.retrieval = retrieval;
    this.ranker = ranker;
    this.features = features;
    this.popularity = popularity;
    this.perSource = perSource;
  }

  @Override
  public String name() {
    return "two_stage";
  }

  @Override
  public void score(List<Query> queries, float[][] out) {
    retrieval.score(queries, out); // cosine scores in [-1, 1]
    int fs = RankerFeatures.SPARSE.size();
    int fd = RankerFeatures.DENSE.size();
    for (int q = 0; q < queries.size(); q++) {
      Query query = queries.get(q);
      float[] s = out[q];
      Set<Integer> seen = Evaluator.itemsOf(query.history());
      Map<Integer, Map<String, Float>> cands = new LinkedHashMap<>();
      for (int item : FullRanking.top(s, seen, perSource)) {
        cands.computeIfAbsent(item, x -> new HashMap<>()).put(CandidateSources.TWO_TOWER, s[item]);
      }
      int taken = 0;
      for (int item : popularity.ranked()) {
        if (taken == perSource) {
          break;
        }
        if (!seen.contains(item)) {
          cands.computeIfAbsent(item, x -> new HashMap<>()).put(CandidateSources.POPULAR, popularity.score(item));
          taken++;
        }
      }
      RankerFeatures.UserProfile profile = features.profile(query.user() + 1, query.history(), query.nowMs());
      int n = cands.size();
      int[] sparse = new int[n * fs];
      float[] dense = new float[n * fd];
      int[] ids = new int[n];
      int r = 0;
      for (Map.Entry<Integer, Map<String, Float>> c : cands.entrySet()) {
        ids[r] = c.getKey();
        features.row(profile, c.getKey(), c.getValue(), sparse, r * fs, dense, r * fd);
        r++;
      }
      float[] p = ranker.score(sparse, dense, n);
      for (int j = 0; j < n; j++) {
        s[ids[j]] = 2f + p[j]; // above every non-candidate's cosine
      }
    }
  }
}
