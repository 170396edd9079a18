package io.recsys.common.config;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every server has for its model bundle (a picocli mixin). */
public final class BundleOptions {

  @Option(names = "--bundle", defaultValue = "bundles",
      description = "A bundle directory, or a root of versioned bundles: the newest is served, and newer ones"
          + " are rolled out while serving (default: ${DEFAULT-VALUE}).")
  public Path path;

  @Option(names = "--reload-interval-seconds", defaultValue = "30",
      description = "When --bundle is a root of versioned bundles, look for a newer one this often and swap it"
          + " in without dropping requests; 0 = never (default: ${DEFAULT-VALUE}).")
  public long reloadIntervalSeconds;

  public long reloadIntervalMillis() {
    return reloadIntervalSeconds * 1000L;
  }
}
