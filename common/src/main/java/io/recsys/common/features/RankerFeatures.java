package io.recsys.common.features;

import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.Popularity;
import io.recsys.common.candidates.MergedCandidates;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.lucene.util.VectorUtil;

/**
 * Builds the ranker's feature rows for (user, candidate) pairs. The ranking server and the ranker's
 * training both use this class, so training and serving cannot drift apart.
 *
 * <p>A row is {@link #SPARSE} categorical indices (embedded by the model) and {@link #DENSE}
 * floats, all scaled to about [-1, 1] or [0, 1]. Beside what the retrievers know (similarity to
 * the history, popularity), a row carries what only the ranker sees: every source's score and rank
 * for the candidate among the request's merged candidates, its similarity to the last few items,
 * and the request's context (hour of day, day of week). There is no user id: the ranker would
 * learn a row per user from a few dozen examples each, and the history features carry the user.
 */
public final class RankerFeatures {

  public static final List<String> SPARSE = List.of("item_index", "category_index", "source_mask");

  public static final List<String> DENSE = List.of(
      "hist_sim_mean", "hist_sim_max", "sim_last", "sim_last3_max", "hist_category_share",
      "log_popularity", "log_price", "price_vs_history", "item_age", "time_since_last_event",
      "history_length", "hour_sin", "hour_cos", "weekday_sin", "weekday_cos",
      "score_two_tower", "gap_two_tower", "rank_two_tower", "score_popular", "rank_popular",
      "score_item2item", "rank_item2item", "is_cold_item");

  /** Ranks are log-scaled against this many proposals (the largest quota a source serves). */
  private static final double RANK_SCALE = Math.log1p(1000);
  private static final int LAST_ITEMS = 3;
  private static final double DAY_MS = 86_400_000.0;
  private static final double HOUR_MS = 3_600_000.0;

  private final ItemCatalog items;
  private final EmbeddingMatrix embeddings;
  private final HistoryEncoder encoder;
  /** Per item, what its rows share whoever asks: log1p(price), scaled log popularity, cold or not. */
  private final float[] logPrice;
  private final float[] scaledLogPopularity;
  private final boolean[] cold;
  /** Items with a row in every model table; indices from here on are live catalog items. */
  private final int bundleItems;
  /** The item-tower vector of a live item (by item index), null until it is embedded. */
  private final IntFunction<float[]> liveVectors;
  /**
   * The ranker has no id row for a live item: it borrows the row of the bundle's least popular
   * item, the one training moved least from its initialisation (a retrain gives it its own).
   */
  private final int unseenItemRow;
  /** The ranges rows are clamped into, or null for none. */
  private final FeatureRanges ranges;

  private RankerFeatures(RankerFeatures bundle, ItemCatalog withLive, IntFunction<float[]> liveVectors,
                         FeatureRanges ranges) {
    this.items = withLive;
    this.embeddings = bundle.embeddings;
    this.encoder = bundle.encoder;
    this.logPrice = bundle.logPrice;
    this.scaledLogPopularity = bundle.scaledLogPopularity;
    this.cold = bundle.cold;
    this.bundleItems = bundle.bundleItems;
    this.unseenItemRow = bundle.unseenItemRow;
    this.liveVectors = liveVectors;
    this.ranges = ranges;
  }

  public RankerFeatures(ItemCatalog items, EmbeddingMatrix embeddings, Popularity popularity,
                        int historyLength) {
    this.items = items;
    this.embeddings = embeddings;
    this.encoder = new HistoryEncoder(historyLength);
    float logMaxPopularity = (float) Math.log1p(popularity.countAtRank(0)) + 1e-6f;
    this.logPrice = new float[items.size()];
    this.scaledLogPopularity = new float[items.size()];
    this.cold = new boolean[items.size()];
    for (int i = 0; i < items.size(); i++) {
      float count = popularity.count(i);
      logPrice[i] = (float) Math.log1p(items.get(i).price());
      scaledLogPopularity[i] = (float) Math.log1p(count) / logMaxPopularity;
      cold[i] = count == 0f;
    }
    this.bundleItems = items.size();
    int[] ranked = popularity.ranked();
    this.unseenItemRow = ranked.length == 0 ? 0 : ranked[ranked.length - 1];
    this.liveVectors = item -> null;
    this.ranges = null;
  }

  /**
   * These features over a catalog with live items after the bundle's ({@link ItemCatalog#withLive}):
   * a live item's row uses its content vector, its price and age, no popularity, and is cold.
   */
  public RankerFeatures withLive(ItemCatalog withLive, IntFunction<float[]> vectors) {
    return new RankerFeatures(this, withLive, vectors, ranges);
  }

  /** These features with every dense value clamped into the ranges the ranker was trained on. */
  public RankerFeatures withRanges(FeatureRanges trained) {
    return new RankerFeatures(this, items, liveVectors, trained);
  }

  /**
   * What the rows of one request share: computed once per request, not per candidate.
   *
   * @param histItems the encoded history, newest first ({@link HistoryEncoder})
   * @param context hour_sin, hour_cos, weekday_sin, weekday_cos of the request time (UTC)
   */
  public record UserProfile(int[] histItems, float[] histWeights, int used, float[] meanEmbedding,
                            float[] categoryShare, float meanLogPrice, long nowMs, float timeSinceLastEvent,
                            float historyLength, float[] context) {}

  /** @param history interactions, oldest first */
  public UserProfile profile(List<Interaction> history, long nowMs) {
    int len = encoder.length();
    int[] hi = new int[len];
    float[] hw = new float[len];
    int used = encoder.encode(history, hi, hw, 0);
    float[] mean = new float[embeddings.dim()];
    float[] share = new float[items.categorySlots()];
    float logPrice = 0f;
    for (int s = 0; s < used; s++) {
      embeddings.addRow(hi[s], hw[s], mean);
      share[items.categoryIndex(hi[s])] += hw[s];
      logPrice += hw[s] * this.logPrice[hi[s]];
    }
    float norm = 0f;
    for (float v : mean) {
      norm += v * v;
    }
    norm = (float) Math.sqrt(norm);
    if (norm > 0f) {
      for (int d = 0; d < mean.length; d++) {
        mean[d] /= norm;
      }
    }
    long last = history.isEmpty() ? Long.MIN_VALUE : history.get(history.size() - 1).timestampMs();
    double hoursSinceLast = used == 0 ? 1e4 : Math.max(0, nowMs - last) / HOUR_MS;
    return new UserProfile(hi, hw, used, mean, share, logPrice, nowMs,
        (float) Math.log1p(hoursSinceLast) / 10f, (float) (Math.log1p(used) / Math.log1p(encoder.length())),
        context(nowMs));
  }

  private static float[] context(long nowMs) {
    ZonedDateTime t = Instant.ofEpochMilli(nowMs).atZone(ZoneOffset.UTC);
    double hour = 2 * Math.PI * (t.getHour() + t.getMinute() / 60.0) / 24.0;
    double day = 2 * Math.PI * (t.getDayOfWeek().getValue() - 1) / 7.0;
    return new float[] {(float) Math.sin(hour), (float) Math.cos(hour), (float) Math.sin(day), (float) Math.cos(day)};
  }

  /**
   * Writes a row for every candidate the catalog knows, in candidate order.
   *
   * @param rowOf receives each candidate's row, -1 for a candidate the catalog does not know
   * @return the number of rows written
   */
  public int rows(UserProfile u, MergedCandidates candidates, int[] sparse, float[] dense, int[] rowOf) {
    int n = candidates.size();
    int[] masks = new int[n];
    for (String source : candidates.sources()) {
      float[] column = candidates.column(source);
      int bit = CandidateSources.bit(source);
      for (int i = 0; i < n; i++) {
        if (!Float.isNaN(column[i])) {
          masks[i] |= bit;
        }
      }
    }
    float[] twoTowerScores = candidates.column(CandidateSources.TWO_TOWER);
    float[] popularScores = candidates.column(CandidateSources.POPULAR);
    float[] item2itemScores = candidates.column(CandidateSources.ITEM2ITEM);
    int[] twoTowerRanks = candidates.ranks(CandidateSources.TWO_TOWER);
    int[] popularRanks = candidates.ranks(CandidateSources.POPULAR);
    int[] item2itemRanks = candidates.ranks(CandidateSources.ITEM2ITEM);
    float topTwoTower = best(twoTowerScores);
    float topItem2item = best(item2itemScores);
    int sw = SPARSE.size();
    int dw = DENSE.size();
    int rows = 0;
    for (int i = 0; i < n; i++) {
      int item = candidates.itemIndex(i);
      if (item < 0) {
        rowOf[i] = -1;
        continue;
      }
      int d = userAndItem(u, item, masks[i], sparse, rows * sw, dense, rows * dw);
      float twoTower = valueAt(twoTowerScores, i);
      dense[d++] = Float.isNaN(twoTower) ? 0f : twoTower;
      dense[d++] = Float.isNaN(twoTower) ? 1f : Math.min(1f, (topTwoTower - twoTower) / 2f);
      dense[d++] = scaledRank(twoTowerRanks[i]);
      float popular = valueAt(popularScores, i);
      dense[d++] = Float.isNaN(popular) ? 0f : popular;
      dense[d++] = scaledRank(popularRanks[i]);
      float item2item = valueAt(item2itemScores, i);
      dense[d++] = Float.isNaN(item2item) || !(topItem2item > 0f) ? 0f : item2item / topItem2item;
      dense[d++] = scaledRank(item2itemRanks[i]);
      dense[d] = item >= bundleItems || cold[item] ? 1f : 0f;
      if (ranges != null) {
        ranges.clamp(dense, rows * dw);
      }
      rowOf[i] = rows++;
    }
    return rows;
  }

  /**
   * The sparse row and the dense features that depend on the user and the item only.
   *
   * @return the next dense position to write
   */
  private int userAndItem(UserProfile u, int item, int sourceMask, int[] sparse, int sparseOff,
                          float[] dense, int denseOff) {
    ItemCatalog.Item it = items.get(item);
    boolean live = item >= bundleItems;
    float[] liveVector = live ? liveVector(item) : null;
    sparse[sparseOff] = live ? unseenItemRow : item;
    sparse[sparseOff + 1] = it.categoryIndex();
    sparse[sparseOff + 2] = sourceMask;

    float simMax = 0f;
    float simLast = 0f;
    float simLast3 = 0f;
    for (int s = 0; s < u.used(); s++) {
      float sim = live ? embeddings.dot(u.histItems()[s], liveVector) : embeddings.dotRows(item, u.histItems()[s]);
      simMax = Math.max(simMax, sim);
      if (s == 0) {
        simLast = sim;
      }
      if (s < LAST_ITEMS) {
        simLast3 = s == 0 ? sim : Math.max(simLast3, sim);
      }
    }
    float logPrice = live ? (float) Math.log1p(it.price()) : this.logPrice[item];
    double ageDays = Math.max(0, u.nowMs() - it.createdMs()) / DAY_MS;

    int d = denseOff;
    dense[d++] = u.used() == 0 ? 0f : live ? VectorUtil.dotProduct(liveVector, u.meanEmbedding())
        : embeddings.dot(item, u.meanEmbedding());
    dense[d++] = simMax;
    dense[d++] = simLast;
    dense[d++] = simLast3;
    dense[d++] = u.categoryShare()[it.categoryIndex()];
    dense[d++] = live ? 0f : scaledLogPopularity[item];
    dense[d++] = logPrice / 10f;
    dense[d++] = u.used() == 0 ? 0f : clamp(logPrice - u.meanLogPrice(), -3f, 3f) / 3f;
    dense[d++] = (float) Math.log1p(ageDays) / 10f;
    dense[d++] = u.timeSinceLastEvent();
    dense[d++] = u.historyLength();
    for (float c : u.context()) {
      dense[d++] = c;
    }
    return d;
  }

  /** The best score in a source's column: NaN when the source proposed nothing. */
  private static float best(float[] column) {
    float best = Float.NaN;
    if (column != null) {
      for (float v : column) {
        if (!Float.isNaN(v) && !(v <= best)) {
          best = v;
        }
      }
    }
    return best;
  }

  private static float valueAt(float[] column, int i) {
    return column == null ? Float.NaN : column[i];
  }

  /** log1p(rank) scaled to [0, 1]; a source that did not propose the item counts as ranking last. */
  private static float scaledRank(int rank) {
    return rank < 0 ? 1f : (float) Math.min(1.0, Math.log1p(rank) / RANK_SCALE);
  }

  /** A live item not embedded yet (the moment between its log record and its vector) counts as a zero vector. */
  private float[] liveVector(int item) {
    float[] v = liveVectors.apply(item);
    return v == null ? new float[embeddings.dim()] : v;
  }

  private static float clamp(float v, float lo, float hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
