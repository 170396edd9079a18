package io.recsys.common.features;

import io.recsys.common.bundle.ItemCatalog;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Item text (title, genres, tags) as hashed word tokens for the item tower: lower-cased words of
 * two or more letters/digits, de-duplicated, the first {@code maxTokens} kept, each hashed into
 * buckets 1..buckets-1 (0 = padding). String.hashCode is specified, so the hashing is stable.
 * Training and the servers that embed live catalog items both tokenize here, so they agree.
 */
public final class ItemText {

  /** Hash buckets of the item-text tokens, and tokens kept per item: part of the two-tower contract. */
  public static final int TEXT_BUCKETS = 1 << 14;
  public static final int MAX_TOKENS = 16;

  private ItemText() {}

  /** Row-major [items x maxTokens] token buckets and mean-pooling weights (1/count, 0 for padding). */
  public record Tokens(int[][] ids, float[][] weights) {}

  public static Tokens of(ItemCatalog catalog, int buckets, int maxTokens) {
    int n = catalog.size();
    int[][] ids = new int[n][maxTokens];
    float[][] weights = new float[n][maxTokens];
    for (int i = 0; i < n; i++) {
      tokenize(catalog.get(i).title(), buckets, ids[i], weights[i]);
    }
    return new Tokens(ids, weights);
  }

  /** Fills one item's row: {@code ids.length} tokens at most, the rest left as padding. */
  public static void tokenize(String text, int buckets, int[] ids, float[] weights) {
    Set<String> words = words(text, ids.length);
    int t = 0;
    for (String w : words) {
      ids[t] = 1 + Math.floorMod(w.hashCode(), buckets - 1);
      weights[t] = 1f / words.size();
      t++;
    }
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
