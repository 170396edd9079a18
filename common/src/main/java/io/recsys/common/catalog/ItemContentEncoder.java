package io.recsys.common.catalog;

import io.recsys.common.bundle.Manifest.SignatureSpec;
import io.recsys.common.features.ItemText;
import io.recsys.common.tf.SavedModelRunner;
import io.recsys.api.v1.CatalogItem;
import io.recsys.common.bundle.ItemCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.List;
import java.util.Map;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The two-tower model's item side for items it never saw: (category, title text) -> an
 * L2-normalised vector in the same space as the bundle's item embeddings, through the SavedModel's
 * {@code item_content_embedding} signature (the id part of the tower is zero). Safe from many threads.
 */
public final class ItemContentEncoder implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ItemContentEncoder.class);

  public static final String CATEGORY_INPUT = "category_index";
  public static final String TOKENS_INPUT = "text_tokens";
  public static final String WEIGHTS_INPUT = "text_weights";
  public static final String EMBEDDING_OUTPUT = "embedding";

  /**
   * Where the signature lives: beside user_embedding and item_embedding in two_tower/. A fixed
   * contract rather than a manifest entry, so bundles written before it load unchanged (and refuse
   * live items with a clear message, see {@link #load}).
   */
  public static final SignatureSpec SIGNATURE = new SignatureSpec("two_tower", "item_content_embedding",
      Map.of(CATEGORY_INPUT, CATEGORY_INPUT, TOKENS_INPUT, TOKENS_INPUT, WEIGHTS_INPUT, WEIGHTS_INPUT),
      Map.of(EMBEDDING_OUTPUT, EMBEDDING_OUTPUT));

  /** One item as the tower sees it. */
  public record Content(int categoryIndex, String text) {}

  private final SavedModelRunner tower;
  private final int dim;

  private ItemContentEncoder(SavedModelRunner tower, int dim) {
    this.tower = tower;
    this.dim = dim;
  }

  /**
   * The bundle's content tower, or empty (logged) when its two-tower model has none: a bundle
   * trained before live catalog updates existed serves no live items until it is retrained.
   */
  public static Optional<ItemContentEncoder> load(Path bundleDir, int dim) {
    try {
      return Optional.of(new ItemContentEncoder(SavedModelRunner.load(bundleDir, SIGNATURE), dim));
    } catch (IllegalStateException e) {
      log.warn("bundle {} cannot embed live catalog items ({}); retrain it to serve them", bundleDir, e.getMessage());
      return Optional.empty();
    }
  }

  public int dim() {
    return dim;
  }

  /** One vector per catalog item, in order; categories are resolved against the bundle's. */
  public float[][] encode(List<CatalogItem> items, ItemCatalog categories) {
    List<Content> content = new ArrayList<>(items.size());
    for (CatalogItem item : items) {
      content.add(new Content(categories.categoryIndexOf(item.getCategory()), item.getTitle()));
    }
    return encodeContent(content);
  }

  /** One vector per item, in order. */
  public float[][] encodeContent(List<Content> items) {
    int n = items.size();
    if (n == 0) {
      return new float[0][];
    }
    int t = ItemText.MAX_TOKENS;
    int[] categories = new int[n];
    int[] tokens = new int[n * t];
    float[] weights = new float[n * t];
    int[] rowIds = new int[t];
    float[] rowWeights = new float[t];
    for (int i = 0; i < n; i++) {
      categories[i] = items.get(i).categoryIndex();
      java.util.Arrays.fill(rowIds, 0);
      java.util.Arrays.fill(rowWeights, 0f);
      ItemText.tokenize(items.get(i).text(), ItemText.TEXT_BUCKETS, rowIds, rowWeights);
      System.arraycopy(rowIds, 0, tokens, i * t, t);
      System.arraycopy(rowWeights, 0, weights, i * t, t);
    }
    float[] flat;
    try (TInt32 c = SavedModelRunner.ints(categories, n);
         TInt32 tk = SavedModelRunner.ints(tokens, n, t);
         TFloat32 w = SavedModelRunner.floats(weights, n, t)) {
      flat = tower.runFloats(Map.of(CATEGORY_INPUT, c, TOKENS_INPUT, tk, WEIGHTS_INPUT, w),
          EMBEDDING_OUTPUT, n * dim);
    }
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      out[i] = java.util.Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
    }
    return out;
  }

  @Override
  public void close() {
    tower.close();
  }
}
