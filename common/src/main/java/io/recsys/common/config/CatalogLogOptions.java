package io.recsys.common.config;

import io.recsys.common.catalog.CatalogLogs;
import io.recsys.common.catalog.LiveCatalog;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a server finds the live catalog log it replays and tails (a picocli mixin). */
public final class CatalogLogOptions {

  @Option(names = "--catalog-log", defaultValue = "",
      description = "The live catalog log that CatalogService appends to and every server replays and tails; all"
          + " servers of a deployment must name the same one: a directory (DIR or file:DIR, holding catalog.log;"
          + " default: catalog beside the bundle root, e.g. data/catalog for --bundle data/bundles) on one host or"
          + " a shared volume, or kafka://HOST:PORT[,HOST:PORT...]/TOPIC where the servers share no file system"
          + " (a one-partition topic, created compacted when missing).")
  public String location;

  @Option(names = "--catalog-poll-ms", defaultValue = "100",
      description = "How often the catalog log is read for changes other processes appended (default: ${DEFAULT-VALUE}).")
  public long pollMillis;

  /** Replays the log and keeps reading it; the caller closes the catalog. */
  public LiveCatalog openTailing(Path bundlePath) throws IOException {
    if (pollMillis <= 0) {
      throw new IllegalArgumentException("--catalog-poll-ms must be positive, was " + pollMillis);
    }
    return LiveCatalog.open(CatalogLogs.open(location, bundlePath)).tail(pollMillis);
  }
}
