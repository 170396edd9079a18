package io.recsys.ranking.catalog;

import io.recsys.api.v1.CatalogItem;
import io.recsys.api.v1.CatalogRecord;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.Manifest;
import io.recsys.common.catalog.ItemContentEncoder;
import io.recsys.common.catalog.LiveCatalog;
import io.recsys.common.features.RankerFeatures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live catalog's items as one ranking bundle scores them: the catalog view that knows them
 * (category, price, age) and their item-tower vectors from the bundle's content signature, which
 * the history-similarity features need. Follows the live catalog until closed.
 */
public final class LiveRankerItems implements LiveCatalog.Listener, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LiveRankerItems.class);

  private final LiveCatalog live;
  private final ItemCatalog catalog;
  private final ItemContentEncoder encoder;
  private final Map<String, float[]> vectors = new ConcurrentHashMap<>();
  private final RankerFeatures features;

  private LiveRankerItems(LiveCatalog live, ItemCatalog catalog, ItemContentEncoder encoder,
                          RankerFeatures bundleFeatures) {
    this.live = live;
    this.catalog = catalog;
    this.encoder = encoder;
    this.features = bundleFeatures.withLive(catalog, item -> vectors.get(catalog.id(item)));
  }

  /** The bundle's live items, or null when its two-tower model cannot embed them (logged). */
  public static LiveRankerItems forBundle(Path bundleDir, Manifest manifest, ItemCatalog items,
                                          RankerFeatures features, LiveCatalog live) {
    ItemContentEncoder encoder = ItemContentEncoder.load(bundleDir, manifest.embeddingDim()).orElse(null);
    if (encoder == null) {
      return null;
    }
    LiveRankerItems ranker = new LiveRankerItems(live, items.withLive(live, LiveCatalog.createdMs(manifest)),
        encoder, features);
    live.subscribe(ranker);
    return ranker;
  }

  @Override
  public void upserted(List<CatalogRecord> records) {
    List<CatalogItem> items = new ArrayList<>(records.size());
    for (CatalogRecord r : records) {
      items.add(r.getUpsert());
    }
    try {
      float[][] embedded = encoder.encode(items, catalog);
      for (int i = 0; i < items.size(); i++) {
        vectors.put(items.get(i).getItemId(), embedded[i]);
      }
    } catch (RuntimeException e) {
      log.error("embedding {} live items failed; the ranker scores them without history similarity", items.size(), e);
    }
  }

  @Override
  public void deleted(List<String> itemIds) {
    // the gateway drops deleted items before ranking; the vector stays for a re-upsert
  }

  /** The bundle's items followed by the live ones. */
  public ItemCatalog catalog() {
    return catalog;
  }

  /** Feature rows for bundle and live items. */
  public RankerFeatures features() {
    return features;
  }

  @Override
  public void close() {
    live.unsubscribe(this);
    encoder.close();
  }
}
