package io.recsys.models.data.synthetic;

import io.recsys.api.v1.EventType;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.features.Interaction;
import io.recsys.models.data.Dataset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The built-in data set: a shop whose users have latent tastes over categories. Each user likes one
 * to three categories (about 90% of their taste); sessions mostly stay in one category, items within
 * a category follow a power-law popularity, and events are views, clicks, add-to-carts and purchases
 * with realistic time gaps. The newest items are "cold": created after the last logged event.
 */
public final class SyntheticGenerator {

  static final List<String> CATEGORY_NAMES = List.of(
      "books", "garden", "kitchen", "outdoor", "toys", "music", "fitness", "beauty", "office", "pets",
      "games", "tools", "baby", "travel", "photo", "audio", "crafts", "cycling", "coffee", "tea",
      "jewelry", "shoes", "lighting", "bedding", "camping", "fishing", "art", "science", "snacks", "wine");
  private static final List<String> ADJECTIVES = List.of(
      "classic", "compact", "deluxe", "eco", "essential", "everyday", "premium", "pro", "smart",
      "vintage", "travel", "family", "mini", "ultra", "handmade", "organic", "modern", "rustic");
  private static final long DAY = 86_400_000L;
  private static final long HOUR = 3_600_000L;
  /** 2026-01-01T00:00Z: the log starts here and spans {@link #LOG_DAYS} days. */
  static final long LOG_START = 1_767_225_600_000L;
  static final int LOG_DAYS = 90;
  /** Share of a user's taste spread over the categories they do not particularly like. */
  static final double BACKGROUND_TASTE = 0.10;

  private final SyntheticConfig cfg;

  public SyntheticGenerator(SyntheticConfig cfg) {
    if (cfg.categories() > CATEGORY_NAMES.size()) {
      throw new IllegalArgumentException("at most " + CATEGORY_NAMES.size() + " categories");
    }
    this.cfg = cfg;
  }

  /** A generated data set with its ground truth. */
  public record Generated(Dataset dataset, SyntheticTruth truth) {}

  public Generated generate() {
    Random rnd = new Random(cfg.seed());
    int nCat = cfg.categories();
    long logEnd = LOG_START + LOG_DAYS * DAY;

    // items: category, within-category popularity rank, price level per category
    List<ItemCatalog.Item> items = new ArrayList<>();
    List<List<Integer>> warmByCategory = new ArrayList<>();
    double[] catPrice = new double[nCat];
    for (int c = 0; c < nCat; c++) {
      warmByCategory.add(new ArrayList<>());
      catPrice[c] = Math.exp(2.0 + 2.5 * rnd.nextDouble());
    }
    int warm = cfg.items() - cfg.coldItems();
    for (int i = 0; i < cfg.items(); i++) {
      int c = i % nCat;
      boolean cold = i >= warm;
      String cat = CATEGORY_NAMES.get(c);
      float price = (float) (Math.round(catPrice[c] * Math.exp(0.4 * rnd.nextGaussian()) * 100) / 100.0);
      long created = cold
          ? logEnd + (long) (rnd.nextDouble() * 2 * DAY)
          : LOG_START - (long) (rnd.nextDouble() * 365 * DAY);
      String title = ADJECTIVES.get(rnd.nextInt(ADJECTIVES.size())) + " " + cat + " item " + (i + 1);
      items.add(new ItemCatalog.Item(String.format("i%05d", i + 1), cat, 0, price, created, title));
      if (!cold) {
        warmByCategory.get(c).add(i);
      }
    }
    ItemCatalog catalog = ItemCatalog.withCategoryIndices(items);
    double[][] itemCdf = new double[nCat][];
    for (int c = 0; c < nCat; c++) {
      itemCdf[c] = powerLawCdf(warmByCategory.get(c).size(), 1.0);
    }

    List<String> userIds = new ArrayList<>();
    List<List<Interaction>> histories = new ArrayList<>();
    Map<String, Set<String>> liked = new HashMap<>();
    for (int u = 0; u < cfg.users(); u++) {
      String userId = String.format("u%05d", u + 1);
      double[] taste = new double[nCat];
      int nLiked = 1 + rnd.nextInt(3);
      Set<String> likedNames = new HashSet<>();
      double[] w = new double[nLiked];
      double wSum = 0;
      for (int j = 0; j < nLiked; j++) {
        w[j] = 0.5 + rnd.nextDouble();
        wSum += w[j];
      }
      for (int j = 0; j < nLiked; j++) {
        int c;
        do {
          c = rnd.nextInt(nCat);
        } while (taste[c] > 0);
        taste[c] = (1 - BACKGROUND_TASTE) * w[j] / wSum;
        likedNames.add(CATEGORY_NAMES.get(c));
      }
      for (int c = 0; c < nCat; c++) {
        taste[c] += BACKGROUND_TASTE / nCat;
      }
      double[] tasteCdf = cdf(taste);

      List<Interaction> h = new ArrayList<>();
      int sessions = 1 + poisson(rnd, cfg.meanSessionsPerUser() - 1);
      long t = LOG_START + (long) (rnd.nextDouble() * 20 * DAY);
      for (int s = 0; s < sessions && t < logEnd; s++) {
        int cat = sample(tasteCdf, rnd);
        int events = 1 + poisson(rnd, cfg.meanEventsPerSession() - 1);
        for (int e = 0; e < events; e++) {
          if (e > 0 && rnd.nextDouble() < 0.2) {
            cat = sample(tasteCdf, rnd);
          }
          List<Integer> pool = warmByCategory.get(cat);
          int item = pool.get(sample(itemCdf[cat], rnd));
          double r = rnd.nextDouble();
          EventType type = r < 0.65 ? EventType.VIEW : r < 0.87 ? EventType.CLICK
              : r < 0.95 ? EventType.ADD_TO_CART : EventType.PURCHASE;
          h.add(new Interaction(item, type, t, type == EventType.PURCHASE ? 1 : 0));
          t += 5_000 + (long) (rnd.nextDouble() * 120_000);
        }
        // gaps between sessions: hours to days
        t += (long) (HOUR * (2 + rnd.nextExponential() * 48));
      }
      userIds.add(userId);
      histories.add(h);
      liked.put(userId, likedNames);
    }
    Dataset ds = new Dataset("synthetic", catalog, userIds, histories);
    return new Generated(ds, new SyntheticTruth(liked, nCat));
  }

  private static double[] powerLawCdf(int n, double exponent) {
    double[] p = new double[n];
    for (int r = 0; r < n; r++) {
      p[r] = 1.0 / Math.pow(r + 1, exponent);
    }
    return cdf(p);
  }

  private static double[] cdf(double[] weights) {
    double[] c = new double[weights.length];
    double s = 0;
    for (int i = 0; i < weights.length; i++) {
      s += weights[i];
      c[i] = s;
    }
    for (int i = 0; i < c.length; i++) {
      c[i] /= s;
    }
    return c;
  }

  private static int sample(double[] cdf, Random rnd) {
    double x = rnd.nextDouble();
    int lo = 0;
    int hi = cdf.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cdf[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static int poisson(Random rnd, double mean) {
    double l = Math.exp(-Math.max(mean, 0));
    int k = 0;
    double p = 1;
    do {
      k++;
      p *= rnd.nextDouble();
    } while (p > l);
    return k - 1;
  }
}
