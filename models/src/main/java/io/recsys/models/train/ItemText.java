package io.recsys.models.train;

import io.recsys.common.bundle.ItemCatalog;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Item text (title, genres, tags) as hashed word tokens for the item tower: lower-cased words of
 * two or more letters/digits, de-duplicated, the first {@code maxTokens} kept, each hashed into
 * buckets 1..buckets-1 (0 = padding). String.hashCode is specified, so the hashing is stable.
 */
final class ItemText {

  private ItemText() {}

  /** Row-major [items x maxTokens] token buckets and mean-pooling weights (1/count, 0 for padding). */
  record Tokens(int[][] ids, float[][] weights) {}

  static Tokens of(ItemCatalog catalog, int buckets, int maxTokens) {
    int n = catalog.size();
    int[][] ids = new int[n][maxTokens];
    float[][] weights = new float[n][maxTokens];
    for (int i = 0; i < n; i++) {
      Set<String> words = words(catalog.get(i).title(), maxTokens);
      int t = 0;
      for (String w : words) {
        ids[i][t] = 1 + Math.floorMod(w.hashCode(), buckets - 1);
        weights[i][t] = 1f / words.size();
        t++;
      }
    }
    return new Tokens(ids, weights);
  }

  static Set<String> words(String text, int max) {
    Set<String> out = new LinkedHashSet<>();
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (w.length() >= 2 && out.size() < max) {
        out.add(w);
      }
    }
    return out;
  }
}
