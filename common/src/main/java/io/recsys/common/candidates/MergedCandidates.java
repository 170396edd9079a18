package io.recsys.common.candidates;

import io.recsys.common.bundle.ItemCatalog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The candidates of one request after the merge, as columns: one entry per item however many
 * sources proposed it, and per source a score column (NaN where that source did not propose the
 * item). The gateway merges what its sources answered with {@link #merge}, the ranking server
 * rebuilds the same columns from the request, and the ranker's training and the offline two-stage
 * evaluation merge their offline sources' lists with {@link #merge} too: one code path decides
 * what a candidate is, so what is evaluated is what is served.
 */
public final class MergedCandidates {

  /** What one source answered, best first. */
  public record SourceList(String source, String[] itemIds, float[] scores) {
    public SourceList {
      if (itemIds.length != scores.length) {
        throw new IllegalArgumentException(source + ": " + itemIds.length + " items but " + scores.length + " scores");
      }
    }
  }

  private final String[] itemIds;
  private final int[] itemIndex;
  private final List<String> sources;
  private final float[][] scores;

  /**
   * @param itemIndex each candidate's row in the catalog, -1 when the catalog does not know it
   * @param scores per source (in {@code sources} order) a column over the candidates, NaN = not proposed
   */
  public MergedCandidates(String[] itemIds, int[] itemIndex, List<String> sources, float[][] scores) {
    if (itemIds.length != itemIndex.length || scores.length != sources.size()) {
      throw new IllegalArgumentException("columns of unequal size");
    }
    for (float[] column : scores) {
      if (column.length != itemIds.length) {
        throw new IllegalArgumentException("a score column of " + column.length + " for " + itemIds.length + " items");
      }
    }
    this.itemIds = itemIds;
    this.itemIndex = itemIndex;
    this.sources = List.copyOf(sources);
    this.scores = scores;
  }

  /**
   * One candidate per item, in the order items were first proposed (sources in the order given); a
   * source listing an item twice keeps its first (best) score.
   */
  public static MergedCandidates merge(ItemCatalog catalog, List<SourceList> lists) {
    int total = 0;
    for (SourceList l : lists) {
      total += l.itemIds().length;
    }
    Map<String, Integer> position = new HashMap<>(total * 2);
    List<String> ids = new ArrayList<>(total);
    List<String> sources = new ArrayList<>(lists.size());
    for (SourceList l : lists) {
      if (!sources.contains(l.source())) {
        sources.add(l.source());
      }
    }
    float[][] columns = new float[sources.size()][total];
    for (float[] c : columns) {
      Arrays.fill(c, Float.NaN);
    }
    for (SourceList l : lists) {
      float[] column = columns[sources.indexOf(l.source())];
      for (int r = 0; r < l.itemIds().length; r++) {
        String id = l.itemIds()[r];
        Integer at = position.putIfAbsent(id, ids.size());
        int p = at == null ? ids.size() : at;
        if (at == null) {
          ids.add(id);
        }
        if (Float.isNaN(column[p])) {
          column[p] = l.scores()[r];
        }
      }
    }
    int n = ids.size();
    int[] index = new int[n];
    for (int i = 0; i < n; i++) {
      index[i] = catalog.indexOf(ids.get(i));
    }
    float[][] trimmed = new float[columns.length][];
    for (int s = 0; s < columns.length; s++) {
      trimmed[s] = Arrays.copyOf(columns[s], n);
    }
    return new MergedCandidates(ids.toArray(String[]::new), index, sources, trimmed);
  }

  public int size() {
    return itemIds.length;
  }

  public String itemId(int candidate) {
    return itemIds[candidate];
  }

  public int itemIndex(int candidate) {
    return itemIndex[candidate];
  }

  public List<String> sources() {
    return sources;
  }

  /** The score column of {@code source}, or null when no candidate came from it. */
  public float[] column(String source) {
    int s = sources.indexOf(source);
    return s < 0 ? null : scores[s];
  }

  /**
   * Each candidate's 0-based rank within {@code source}'s proposals (how many of them scored
   * higher), -1 where the source did not propose it. Sources answer best first, so this is the
   * position the source gave the item, recomputed from scores alone so that the ranking server
   * gets it from the score columns the gateway sends.
   */
  public int[] ranks(String source) {
    int n = size();
    int[] out = new int[n];
    Arrays.fill(out, -1);
    float[] column = column(source);
    if (column == null) {
      return out;
    }
    float[] proposed = new float[n];
    int m = 0;
    for (float v : column) {
      if (!Float.isNaN(v)) {
        proposed[m++] = v;
      }
    }
    proposed = Arrays.copyOf(proposed, m);
    Arrays.sort(proposed);
    for (int i = 0; i < n; i++) {
      if (!Float.isNaN(column[i])) {
        // proposals scoring strictly higher: those after the last occurrence of this score
        out[i] = proposed.length - upperBound(proposed, column[i]);
      }
    }
    return out;
  }

  private static int upperBound(float[] sorted, float v) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
