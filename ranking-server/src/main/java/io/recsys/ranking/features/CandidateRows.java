package io.recsys.ranking.features;

import io.recsys.api.v1.CandidateColumns;
import io.recsys.api.v1.RankCandidate;
import io.recsys.api.v1.RankRequest;
import io.recsys.api.v1.SourceColumn;
import io.recsys.api.v1.SourceScore;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.candidates.MergedCandidates;
import io.recsys.common.features.RankerFeatures;
import io.recsys.common.features.RankerFeatures.UserProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    MergedCandidates merged = request.hasColumns()
        ? fromColumns(request.getColumns(), items)
        : fromCandidates(request, items);
    int n = merged.size();
    int[] rowOf = new int[n];
    int[] sparse = new int[n * SW];
    float[] dense = new float[n * DW];
    int rows = features.rows(profile, merged, sparse, dense, rowOf);
    return rows == n
        ? new CandidateRows(n, rowOf, rows, sparse, dense)
        : new CandidateRows(n, rowOf, rows, Arrays.copyOf(sparse, rows * SW), Arrays.copyOf(dense, rows * DW));
  }

  /** The item id of candidate i in request order, whichever form the request used. */
  public static String itemId(RankRequest request, int i) {
    return request.hasColumns() ? request.getColumns().getItemIds(i) : request.getCandidates(i).getItemId();
  }

  /** The gateway's merged columns as they came. */
  private static MergedCandidates fromColumns(CandidateColumns columns, ItemCatalog items) {
    int n = columns.getItemIdsCount();
    String[] ids = new String[n];
    int[] index = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = columns.getItemIds(i);
      index[i] = items.indexOf(ids[i]);
    }
    List<String> sources = new ArrayList<>();
    List<float[]> scores = new ArrayList<>();
    for (SourceColumn column : columns.getSourcesList()) {
      float[] values = new float[n];
      for (int i = 0; i < n; i++) {
        values[i] = column.getScores(i);
      }
      sources.add(column.getSource());
      scores.add(values);
    }
    return new MergedCandidates(ids, index, sources, scores.toArray(float[][]::new));
  }

  /** One candidate per message, turned into the same columns; a source named twice keeps its best score. */
  private static MergedCandidates fromCandidates(RankRequest request, ItemCatalog items) {
    int n = request.getCandidatesCount();
    String[] ids = new String[n];
    int[] index = new int[n];
    Map<String, float[]> columns = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      RankCandidate c = request.getCandidates(i);
      ids[i] = c.getItemId();
      index[i] = items.indexOf(ids[i]);
      for (SourceScore s : c.getSourcesList()) {
        float[] column = columns.computeIfAbsent(s.getSource(), x -> nanColumn(n));
        column[i] = Float.isNaN(column[i]) ? s.getScore() : Math.max(column[i], s.getScore());
      }
    }
    return new MergedCandidates(ids, index, List.copyOf(columns.keySet()), columns.values().toArray(float[][]::new));
  }

  private static float[] nanColumn(int n) {
    float[] column = new float[n];
    Arrays.fill(column, Float.NaN);
    return column;
  }

  /** Candidates the bundle does not know. */
  public int unknown() {
    return candidates - rows;
  }
}
