package io.recsys.common.features;

import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.Popularity;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.lucene.util.VectorUtil;

/**
 * Builds the ranker's feature rows for (user, candidate) pairs. The ranking server and the ranker's
 * training both use this class, so training and serving cannot drift apart.
 *
 * <p>A row is {@link #SPARSE} categorical indices (embedded by the model) and {@link #DENSE}
 * floats, all scaled to about [-1, 1] or [0, 1].
 */
public final class RankerFeatures {

  public static final List<String> SPARSE =
      List.of("user_index", "item_index", "category_index", "source_mask");

  public static final List<String> DENSE = List.of(
      "hist_sim_mean", "hist_sim_max", "hist_category_share", "log_popularity", "log_price",
      "price_vs_history", "item_age", "time_since_last_event", "history_length",
      "score_two_tower", "score_popular", "is_cold_item");

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

  private RankerFeatures(RankerFeatures bundle, ItemCatalog withLive, IntFunction<float[]> liveVectors) {
    this.items = withLive;
    this.embeddings = bundle.embeddings;
    this.encoder = bundle.encoder;
    this.logPrice = bundle.logPrice;
    this.scaledLogPopularity = bundle.scaledLogPopularity;
    this.cold = bundle.cold;
    this.bundleItems = bundle.bundleItems;
    this.unseenItemRow = bundle.unseenItemRow;
    this.liveVectors = liveVectors;
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
  }

  /**
   * These features over a catalog with live items after the bundle's ({@link ItemCatalog#withLive}):
   * a live item's row uses its content vector, its price and age, no popularity, and is cold.
   */
  public RankerFeatures withLive(ItemCatalog withLive, IntFunction<float[]> vectors) {
    return new RankerFeatures(this, withLive, vectors);
  }

  /**
   * What the rows of one request share: computed once per request, not per candidate.
   *
   * @param timeSinceLastEvent the time_since_last_event feature
   * @param historyLength the history_length feature
   */
  public record UserProfile(int userIndex, int[] histItems, float[] histWeights, int used,
                            float[] meanEmbedding, float[] categoryShare, float meanLogPrice,
                            long lastEventMs, long nowMs, float timeSinceLastEvent, float historyLength) {}

  /** @param history interactions, oldest first */
  public UserProfile profile(int userIndex, List<Interaction> history, long nowMs) {
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
    return new UserProfile(userIndex, hi, hw, used, mean, share, logPrice, last, nowMs,
        (float) Math.log1p(hoursSinceLast) / 10f, (float) (Math.log1p(used) / Math.log1p(encoder.length())));
  }

  /**
   * Writes the row for one candidate.
   *
   * @param sourceScores the candidate's retrieval score by source name (every source that proposed it)
   */
  public void row(UserProfile u, int item, Map<String, Float> sourceScores,
                  int[] sparse, int sparseOff, float[] dense, int denseOff) {
    int mask = 0;
    for (String s : sourceScores.keySet()) {
      mask |= CandidateSources.bit(s);
    }
    row(u, item, mask, sourceScores.getOrDefault(CandidateSources.TWO_TOWER, 0f),
        sourceScores.getOrDefault(CandidateSources.POPULAR, 0f), sparse, sparseOff, dense, denseOff);
  }

  /**
   * Writes the row for one candidate from what the row uses of its sources: the serving path, which
   * reads them from columns without building a map per candidate.
   *
   * @param sourceMask {@link CandidateSources#bit} of every source that proposed the item
   * @param twoTowerScore the two-tower source's score, 0 when it did not propose the item
   * @param popularScore the popular source's score, 0 when it did not propose the item
   */
  public void row(UserProfile u, int item, int sourceMask, float twoTowerScore, float popularScore,
                  int[] sparse, int sparseOff, float[] dense, int denseOff) {
    ItemCatalog.Item it = items.get(item);
    boolean live = item >= bundleItems;
    float[] liveVector = live ? liveVector(item) : null;
    sparse[sparseOff] = u.userIndex();
    sparse[sparseOff + 1] = live ? unseenItemRow : item;
    sparse[sparseOff + 2] = it.categoryIndex();
    sparse[sparseOff + 3] = sourceMask;

    float simMax = 0f;
    for (int s = 0; s < u.used(); s++) {
      simMax = Math.max(simMax, live ? embeddings.dot(u.histItems()[s], liveVector)
          : embeddings.dotRows(item, u.histItems()[s]));
    }
    float logPrice = live ? (float) Math.log1p(it.price()) : this.logPrice[item];
    double ageDays = Math.max(0, u.nowMs() - it.createdMs()) / DAY_MS;

    int d = denseOff;
    dense[d++] = u.used() == 0 ? 0f : live ? VectorUtil.dotProduct(liveVector, u.meanEmbedding())
        : embeddings.dot(item, u.meanEmbedding());
    dense[d++] = simMax;
    dense[d++] = u.categoryShare()[it.categoryIndex()];
    dense[d++] = live ? 0f : scaledLogPopularity[item];
    dense[d++] = logPrice / 10f;
    dense[d++] = u.used() == 0 ? 0f : clamp(logPrice - u.meanLogPrice(), -3f, 3f) / 3f;
    dense[d++] = (float) Math.log1p(ageDays) / 10f;
    dense[d++] = u.timeSinceLastEvent();
    dense[d++] = u.historyLength();
    dense[d++] = twoTowerScore;
    dense[d++] = popularScore;
    dense[d] = live || cold[item] ? 1f : 0f;
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
