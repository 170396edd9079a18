package io.recsys.common.catalog;

import io.recsys.state.log.KafkaTopics;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens the catalog log a {@code --catalog-log} value names: a directory ({@code DIR} or
 * {@code file:DIR}, holding {@code catalog.log}) or {@code kafka://HOST:PORT[,HOST:PORT...]/TOPIC};
 * empty: the directory {@code catalog} beside the bundle root.
 */
public final class CatalogLogs {

  private CatalogLogs() {}

  public static CatalogLog open(String spec, Path bundlePath) throws IOException {
    if (spec.isEmpty()) {
      return new FileCatalogLog(FileCatalogLog.defaultDir(bundlePath));
    }
    if (spec.startsWith("kafka:")) {
      return KafkaCatalogLog.open(KafkaTopics.Location.parse("--catalog-log", spec));
    }
    if (spec.startsWith("file:")) {
      if (spec.length() == "file:".length()) {
        throw new IllegalArgumentException("--catalog-log file: needs a directory, e.g. file:data/catalog");
      }
      return new FileCatalogLog(Path.of(spec.substring("file:".length())));
    }
    return new FileCatalogLog(Path.of(spec));
  }
}
