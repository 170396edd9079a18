package io.recsys.gateway;

import io.recsys.common.bundle.BundleLayout;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.Manifest;
import io.recsys.common.bundle.Popularity;
import io.recsys.common.candidates.CandidateQuotas;
import io.recsys.common.catalog.LiveCatalog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The light parts of a model bundle the gateway needs (no models, no index): the catalog to
 * describe and filter items, popularity for its fallbacks, the version to report. The history seed
 * (stats/recent_history.tsv) is read once into the history store.
 *
 * @param catalog the bundle's items followed by the live catalog's, when there is one
 * @param live the live catalog (items added and deleted since training), or null for none
 * @param rankerQuotas the candidate quotas the bundle's ranker was trained on, or null when the
 *     manifest does not say (bundles exported before the quotas were recorded)
 */
public record GatewayBundle(BundleLayout layout, String version, ItemCatalog catalog, Popularity popularity,
                            LiveCatalog live, CandidateQuotas rankerQuotas) {

  /** Whether CatalogService deleted the item (after training): it must not be served. */
  public boolean isDeleted(String itemId) {
    return live != null && live.isDeleted(itemId);
  }

  /** @param path a bundle directory or a root of versioned bundles (the newest is taken) */
  public static GatewayBundle load(Path path) throws IOException {
    return load(path, null);
  }

  /** As {@link #load(Path)}, describing and filtering the live catalog's items too (null: none). */
  public static GatewayBundle load(Path path, LiveCatalog live) throws IOException {
    BundleLayout layout = BundleLayout.resolve(path);
    Manifest manifest = Manifest.read(layout.manifest());
    ItemCatalog catalog = ItemCatalog.read(layout.items());
    Popularity popularity = Popularity.read(layout.popularity(), catalog.size());
    return new GatewayBundle(layout, manifest.version(),
        live == null ? catalog : catalog.withLive(live, LiveCatalog.createdMs(manifest)), popularity, live,
        rankerQuotas(manifest));
  }

  /** Whether the gateway asks its sources for the candidate mix the ranker learned on. */
  public boolean servesTheRankersQuotas(GatewaySettings settings) {
    return rankerQuotas == null || (rankerQuotas.twoTower() == settings.twoTowerK()
        && rankerQuotas.popular() == settings.popularK() && rankerQuotas.item2item() == settings.item2itemK());
  }

  private static CandidateQuotas rankerQuotas(Manifest manifest) {
    Map<String, Double> metrics = manifest.metrics() == null ? Map.of() : manifest.metrics();
    Double twoTower = metrics.get("ranker_quota_two_tower");
    Double popular = metrics.get("ranker_quota_popular");
    Double item2item = metrics.get("ranker_quota_item2item");
    return twoTower == null || popular == null || item2item == null ? null
        : new CandidateQuotas(twoTower.intValue(), popular.intValue(), item2item.intValue());
  }
}
