package io.recsys.ranking.features;

import io.recsys.api.v1.RankCandidate;
import io.recsys.api.v1.SourceScore;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.features.RankerFeatures;
import io.recsys.common.features.RankerFeatures.UserProfile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ranker input of one request: a feature row per candidate the bundle knows, and the ids of
 * those it does not (retrieval may briefly serve a newer bundle than ranking; those candidates are
 * not scored).
 *
 * @param knownIds item ids of the rows, in row order
 * @param sparse {@code knownIds.size() x SPARSE} ints
 * @param dense {@code knownIds.size() x DENSE} floats
 * @param unknownIds candidates not in the catalog, in request order
 */
public record CandidateRows(List<String> knownIds, int[] sparse, float[] dense, List<String> unknownIds) {

  private static final int SW = RankerFeatures.SPARSE.size();
  private static final int DW = RankerFeatures.DENSE.size();

  /** Builds the rows; the profile is computed once by the caller and shared by every row. */
  public static CandidateRows build(List<RankCandidate> candidates, UserProfile profile,
                                    ItemCatalog items, RankerFeatures features) {
    List<String> known = new ArrayList<>(candidates.size());
    List<Integer> indices = new ArrayList<>(candidates.size());
    List<Map<String, Float>> sources = new ArrayList<>(candidates.size());
    List<String> unknown = new ArrayList<>();
    for (RankCandidate c : candidates) {
      int index = items.indexOf(c.getItemId());
      if (index < 0) {
        unknown.add(c.getItemId());
        continue;
      }
      known.add(c.getItemId());
      indices.add(index);
      sources.add(scoresBySource(c));
    }
    int n = known.size();
    int[] sparse = new int[n * SW];
    float[] dense = new float[n * DW];
    for (int r = 0; r < n; r++) {
      features.row(profile, indices.get(r), sources.get(r), sparse, r * SW, dense, r * DW);
    }
    return new CandidateRows(known, sparse, dense, unknown);
  }

  public int rows() {
    return knownIds.size();
  }

  /** A source named twice keeps its best score. */
  private static Map<String, Float> scoresBySource(RankCandidate c) {
    Map<String, Float> out = new HashMap<>(4);
    for (SourceScore s : c.getSourcesList()) {
      out.merge(s.getSource(), s.getScore(), Math::max);
    }
    return out;
  }
}
