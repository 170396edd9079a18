package io.recsys.models.eval.cold;

import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.features.Interaction;
import io.recsys.common.features.ItemText;
import java.util.Arrays;
import java.util.List;

/**
 * The content baseline: no training, no neural network. An item is its category and its title
 * words (MovieLens: title + genres), the words hashed as the item tower hashes them ({@link ItemText}),
 * each feature weighted by its IDF over the catalog. The user's profile sums the features of their
 * history, item h weighted decay^(age of h), age 0 the newest; a cold item scores the IDF-weighted
 * overlap of its features with the profile, divided by its own feature norm (a cosine up to the
 * profile's norm, which is the same for every item of one ranking).
 */
final class ContentOverlapScorer implements ColdItemScorer {

  private final int[][] features;
  private final float[] idf;
  private final float[] norm;
  private final double decay;

  private ContentOverlapScorer(int[][] features, float[] idf, float[] norm, double decay) {
    this.features = features;
    this.idf = idf;
    this.norm = norm;
    this.decay = decay;
  }

  static ContentOverlapScorer of(ItemCatalog catalog) {
    int n = catalog.size();
    int[][] features = new int[n][];
    int[] ids = new int[ItemText.MAX_TOKENS];
    float[] unused = new float[ItemText.MAX_TOKENS];
    int slots = ItemText.TEXT_BUCKETS + catalog.categorySlots();
    float[] df = new float[slots];
    for (int i = 0; i < n; i++) {
      Arrays.fill(ids, 0);
      ItemText.tokenize(catalog.get(i).title(), ItemText.TEXT_BUCKETS, ids, unused);
      int[] f = Arrays.stream(ids).filter(t -> t > 0).toArray();
      // the category as one more feature, beside the word buckets (0 is padding, never a word)
      f = Arrays.copyOf(f, f.length + 1);
      f[f.length - 1] = ItemText.TEXT_BUCKETS + catalog.categoryIndex(i);
      features[i] = Arrays.stream(f).distinct().toArray();
      for (int t : features[i]) {
        df[t]++;
      }
    }
    float[] idf = new float[slots];
    for (int t = 0; t < slots; t++) {
      idf[t] = (float) Math.log((n + 1.0) / (df[t] + 1.0));
    }
    float[] norm = new float[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int t : features[i]) {
        s += (double) idf[t] * idf[t];
      }
      norm[i] = (float) Math.max(Math.sqrt(s), 1e-6);
    }
    return new ContentOverlapScorer(features, idf, norm, 1.0);
  }

  ContentOverlapScorer withDecay(double d) {
    return new ContentOverlapScorer(features, idf, norm, d);
  }

  double decay() {
    return decay;
  }

  @Override
  public String name() {
    return "content_overlap";
  }

  @Override
  public void score(List<ColdItemSplit.Event> events, int[] candidates, float[][] out) {
    float[] profile = new float[idf.length];
    for (int q = 0; q < events.size(); q++) {
      List<Interaction> h = events.get(q).history();
      double w = 1;
      for (int a = h.size() - 1; a >= 0 && w > 1e-6; a--, w *= decay) {
        for (int t : features[h.get(a).itemIndex()]) {
          profile[t] += (float) w;
        }
      }
      for (int j = 0; j < candidates.length; j++) {
        int c = candidates[j];
        double s = 0;
        for (int t : features[c]) {
          s += (double) idf[t] * idf[t] * profile[t];
        }
        out[q][j] = (float) (s / norm[c]);
      }
      for (int a = h.size() - 1; a >= 0; a--) {
        for (int t : features[h.get(a).itemIndex()]) {
          profile[t] = 0f;
        }
      }
    }
  }
}
