package io.recsys.common.config;

import io.recsys.common.catalog.CatalogLog;
import io.recsys.common.catalog.LiveCatalog;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a server finds the live catalog log it replays and tails (a picocli mixin). */
public final class CatalogLogOptions {

  @Option(names = "--catalog-log", defaultValue = "",
      description = "Directory of the live catalog log (catalog.log) that CatalogService appends to and every"
          + " server tails; all servers of a deployment must name the same one (default: catalog beside the"
          + " bundle root, e.g. data/catalog for --bundle data/bundles).")
  public String dir;

  @Option(names = "--catalog-poll-ms", defaultValue = "100",
      description = "How often the catalog log is read for changes other processes appended (default: ${DEFAULT-VALUE}).")
  public long pollMillis;

  public Path dir(Path bundlePath) {
    return dir.isEmpty() ? CatalogLog.defaultDir(bundlePath) : Path.of(dir);
  }

  /** Replays the log and keeps reading it; the caller closes the catalog. */
  public LiveCatalog openTailing(Path bundlePath) throws IOException {
    if (pollMillis <= 0) {
      throw new IllegalArgumentException("--catalog-poll-ms must be positive, was " + pollMillis);
    }
    return LiveCatalog.open(new CatalogLog(dir(bundlePath))).tail(pollMillis);
  }
}
