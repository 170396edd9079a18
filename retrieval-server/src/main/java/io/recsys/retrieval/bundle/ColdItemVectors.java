package io.recsys.retrieval.bundle;

import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.Manifest;
import io.recsys.common.bundle.Popularity;
import io.recsys.common.catalog.ItemContentEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundle's cold items, those with at most {@code maxInteractions} interactions in its training
 * data, with their content-only vectors: computed at load through the two-tower's
 * {@code item_content_embedding} signature (category + title words, the id part zero), so the
 * bundle needs no extra file and every bundle that serves live items serves these too. An item
 * trained on few interactions has an id row that learnt little; its content says more.
 *
 * @param items bundle item indices, ascending
 * @param vectors row r = the content vector of {@code items[r]}
 */
public record ColdItemVectors(int[] items, float[][] vectors) {

  private static final Logger log = LoggerFactory.getLogger(ColdItemVectors.class);

  public static final ColdItemVectors NONE = new ColdItemVectors(new int[0], new float[0][]);

  /**
   * @param owned which item ids this server serves (its shards)
   * @return none (logged) when the bundle's two-tower has no content signature (trained before it)
   */
  public static ColdItemVectors embed(Path bundleDir, Manifest manifest, ItemCatalog catalog, Popularity popularity,
                                      int maxInteractions, Predicate<String> owned) {
    List<Integer> cold = new ArrayList<>();
    for (int i = 0; i < catalog.size(); i++) {
      if (popularity.count(i) <= maxInteractions && owned.test(catalog.id(i))) {
        cold.add(i);
      }
    }
    if (cold.isEmpty()) {
      return NONE;
    }
    try (ItemContentEncoder encoder = ItemContentEncoder.load(bundleDir, manifest.embeddingDim()).orElse(null)) {
      if (encoder == null) {
        log.warn("bundle {}: cold_start answers no candidates (its two-tower has no content signature)", bundleDir);
        return NONE;
      }
      List<ItemContentEncoder.Content> content = cold.stream()
          .map(i -> new ItemContentEncoder.Content(catalog.categoryIndex(i), catalog.get(i).title())).toList();
      return new ColdItemVectors(cold.stream().mapToInt(Integer::intValue).toArray(), encoder.encodeContent(content));
    }
  }

  public int size() {
    return items.length;
  }
}
