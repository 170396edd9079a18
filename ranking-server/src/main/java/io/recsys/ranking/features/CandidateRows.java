package io.recsys.ranking.features;

import io.recsys.api.v1.CandidateColumns;
import io.recsys.api.v1.RankCandidate;
import io.recsys.api.v1.RankRequest;
import io.recsys.api.v1.SourceColumn;
import io.recsys.api.v1.SourceScore;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.features.CandidateSources;
import io.recsys.common.features.RankerFeatures;
import io.recsys.common.features.RankerFeatures.UserProfile;
import java.util.Arrays;

/**
 * The ranker input of one request: a feature row per candidate the bundle knows. Candidates it
 * does not know (retrieval may briefly serve a newer bundle than ranking) get no row.
 *
 * @param candidates the request's candidates, in request order
 * @param rowOf each candidate's row, or -1 when the bundle does not know the item
 * @param sparse {@code rows() x SPARSE} ints
 * @param dense {@code rows() x DENSE} floats
 */
public record CandidateRows(int candidates, int[] rowOf, int rows, int[] sparse, float[] dense) {

  private static final int SW = RankerFeatures.SPARSE.size();
  private static final int DW = RankerFeatures.DENSE.size();

  /**
   * Builds the rows of a validated request, from whichever form it sends its candidates in; the
   * profile is computed once by the caller and shared by every row.
   */
  public static CandidateRows build(RankRequest request, UserProfile profile, ItemCatalog items,
                                    RankerFeatures features) {
    return request.hasColumns()
        ? fromColumns(request.getColumns(), profile, items, features)
        : fromCandidates(request, profile, items, features);
  }

  /** The item id of candidate i in request order, whichever form the request used. */
  public static String itemId(RankRequest request, int i) {
    return request.hasColumns() ? request.getColumns().getItemIds(i) : request.getCandidates(i).getItemId();
  }

  private static CandidateRows fromColumns(CandidateColumns columns, UserProfile profile, ItemCatalog items,
                                           RankerFeatures features) {
    int n = columns.getItemIdsCount();
    int[] masks = new int[n];
    float[] twoTower = new float[n];
    float[] popular = new float[n];
    for (SourceColumn column : columns.getSourcesList()) {
      int bit = CandidateSources.bit(column.getSource());
      float[] into = column.getSource().equals(CandidateSources.TWO_TOWER) ? twoTower
          : column.getSource().equals(CandidateSources.POPULAR) ? popular : null;
      for (int i = 0; i < n; i++) {
        float score = column.getScores(i);
        if (!Float.isNaN(score)) {
          masks[i] |= bit;
          if (into != null) {
            into[i] = score;
          }
        }
      }
    }
    Builder b = new Builder(n, profile, items, features);
    for (int i = 0; i < n; i++) {
      b.add(columns.getItemIds(i), masks[i], twoTower[i], popular[i]);
    }
    return b.build();
  }

  private static CandidateRows fromCandidates(RankRequest request, UserProfile profile, ItemCatalog items,
                                              RankerFeatures features) {
    Builder b = new Builder(request.getCandidatesCount(), profile, items, features);
    for (RankCandidate c : request.getCandidatesList()) {
      int mask = 0;
      // a source named twice keeps its best score
      float twoTower = Float.NEGATIVE_INFINITY;
      float popular = Float.NEGATIVE_INFINITY;
      for (SourceScore s : c.getSourcesList()) {
        mask |= CandidateSources.bit(s.getSource());
        if (s.getSource().equals(CandidateSources.TWO_TOWER)) {
          twoTower = Math.max(twoTower, s.getScore());
        } else if (s.getSource().equals(CandidateSources.POPULAR)) {
          popular = Math.max(popular, s.getScore());
        }
      }
      b.add(c.getItemId(), mask, twoTower == Float.NEGATIVE_INFINITY ? 0f : twoTower,
          popular == Float.NEGATIVE_INFINITY ? 0f : popular);
    }
    return b.build();
  }

  /** Appends rows in candidate order. */
  private static final class Builder {
    final UserProfile profile;
    final ItemCatalog items;
    final RankerFeatures features;
    final int[] rowOf;
    final int[] sparse;
    final float[] dense;
    int candidates;
    int rows;

    Builder(int n, UserProfile profile, ItemCatalog items, RankerFeatures features) {
      this.profile = profile;
      this.items = items;
      this.features = features;
      this.rowOf = new int[n];
      this.sparse = new int[n * SW];
      this.dense = new float[n * DW];
    }

    void add(String itemId, int mask, float twoTower, float popular) {
      int item = items.indexOf(itemId);
      if (item < 0) {
        rowOf[candidates++] = -1;
        return;
      }
      features.row(profile, item, mask, twoTower, popular, sparse, rows * SW, dense, rows * DW);
      rowOf[candidates++] = rows++;
    }

    CandidateRows build() {
      return rows == candidates
          ? new CandidateRows(candidates, rowOf, rows, sparse, dense)
          : new CandidateRows(candidates, rowOf, rows, Arrays.copyOf(sparse, rows * SW),
              Arrays.copyOf(dense, rows * DW));
    }
  }

  /** Candidates the bundle does not know. */
  public int unknown() {
    return candidates - rows;
  }
}
