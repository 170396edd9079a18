package io.recsys.gateway;

import io.recsys.common.bundle.BundleLayout;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.Manifest;
import io.recsys.common.bundle.Popularity;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The light parts of a model bundle the gateway needs (no models, no index): the catalog to
 * describe and filter items, popularity for its fallbacks, the version to report. The history seed
 * (stats/recent_history.tsv) is read once into the history store.
 */
public record GatewayBundle(BundleLayout layout, String version, ItemCatalog catalog, Popularity popularity) {

  /** @param path a bundle directory or a root of versioned bundles (the newest is taken) */
  public static GatewayBundle load(Path path) throws IOException {
    BundleLayout layout = BundleLayout.resolve(path);
    Manifest manifest = Manifest.read(layout.manifest());
    ItemCatalog catalog = ItemCatalog.read(layout.items());
    Popularity popularity = Popularity.read(layout.popularity(), catalog.size());
    return new GatewayBundle(layout, manifest.version(), catalog, popularity);
  }
}
