package io.recsys.bench.ann;

import picocli.CommandLine.Option;

/** The options of the synthetic vectors a vector benchmark searches (a picocli mixin; see {@link ItemVectors#clustered}). */
public final class ClusteredVectorOptions {

  @Option(names = "--items", description = "Synthetic items (default ${DEFAULT-VALUE}).")
  public int items = 1_000_000;

  @Option(names = "--dim", description = "Vector dimension (default ${DEFAULT-VALUE}; a --vectors file"
      + " with a manifest.json beside it takes the manifest's).")
  public int dim = 64;

  @Option(names = "--queries", description = "Query vectors (default ${DEFAULT-VALUE}).")
  public int queries = 300;

  @Option(names = "--clusters", description = "Synthetic: mixture centroids (default ${DEFAULT-VALUE}).")
  public int clusters = 300;

  @Option(names = "--spread", description = "Synthetic: noise length around a centroid (default ${DEFAULT-VALUE}).")
  public double spread = 1.0;

  @Option(names = "--seed", description = "Random seed (default ${DEFAULT-VALUE}).")
  public long seed = 42;

  public ItemVectors generate() {
    return ItemVectors.clustered(items, dim, queries, clusters, spread, seed);
  }
}
