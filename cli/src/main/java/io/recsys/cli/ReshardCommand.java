package io.recsys.cli;

import io.recsys.common.bundle.BundleLayout;
import io.recsys.models.export.BundleResharder;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code reshard}: exports an existing bundle again with its item index as N shards, no training. */
@Command(name = "reshard", mixinStandardHelpOptions = true,
    description = "Copy a bundle with its item index written as N shards (same model and version), for"
        + " retrieval servers started with --shard I/N.")
final class ReshardCommand implements Callable<Integer> {

  @Option(names = "--bundle", defaultValue = "bundles",
      description = "a bundle directory or a root of versioned bundles, newest taken (default: ${DEFAULT-VALUE})")
  Path bundle;

  @Option(names = "--index-shards", required = true, description = "number of index shards")
  int shards;

  @Option(names = "--to", required = true, description = "root the sharded copy is written under, as <version>/")
  Path to;

  @Override
  public Integer call() throws Exception {
    BundleLayout out = BundleResharder.reshard(bundle, to, shards, System.out::println);
    System.out.println("[reshard] wrote " + out.dir() + " with " + shards + " index shards");
    return 0;
  }
}
