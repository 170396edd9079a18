package io.recsys.common.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where each part of a model bundle lives. A bundle is one directory {@code <root>/<version>/};
 * this class is the single place that knows the file names.
 */
public record BundleLayout(Path dir) {

  public static final String MANIFEST = "manifest.json";

  public Path manifest() {
    return dir.resolve(MANIFEST);
  }

  public Path items() {
    return dir.resolve("items.tsv");
  }

  public Path users() {
    return dir.resolve("users.tsv");
  }

  public Path twoTower() {
    return dir.resolve("two_tower");
  }

  public Path itemEmbeddings() {
    return dir.resolve("item_embeddings.f32");
  }

  public Path index() {
    return dir.resolve("index");
  }

  /** Where shard {@code shard} of an item index written as {@code shards} shards lives; one shard is the plain index. */
  public Path indexShard(int shard, int shards) {
    if (shard < 0 || shard >= shards) {
      throw new IllegalArgumentException("shard " + shard + " is not in [0, " + shards + ")");
    }
    return shards == 1 ? index() : index().resolve("shard-" + shard);
  }

  /** The sequence model's part: its SavedModel ({@link #sequenceModel}) and item index; older bundles have none. */
  public Path sequence() {
    return dir.resolve("sequence");
  }

  public Path sequenceModel() {
    return sequence().resolve("model");
  }

  /** The HNSW index of the sequence model's item vectors (one index over every item). */
  public Path sequenceIndex() {
    return sequence().resolve("index");
  }

  public Path ranker() {
    return dir.resolve("ranker");
  }

  public Path stats() {
    return dir.resolve("stats");
  }

  public Path popularity() {
    return stats().resolve("popularity.tsv");
  }

  /**
   * Each item's top-M co-visitation neighbours and the recency decay of the item2item source
   * ({@link ItemNeighbours}); bundles exported before it have none.
   */
  public Path item2item() {
    return stats().resolve("item2item.bin");
  }

  /** The range of each dense ranker feature in its training examples ({@link io.recsys.common.features.FeatureRanges}). */
  public Path rankerRanges() {
    return stats().resolve("ranker_ranges.tsv");
  }

  /** The last events of each known user at export time; the gateway seeds its history store with them. */
  public Path recentHistory() {
    return stats().resolve("recent_history.tsv");
  }

  /**
   * Resolves a bundle path given by a user: either a bundle directory (has a manifest) or a root
   * holding versioned bundles, of which the newest complete one (by version name) is taken.
   */
  public static BundleLayout resolve(Path path) throws IOException {
    if (Files.isRegularFile(path.resolve(MANIFEST))) {
      return new BundleLayout(path);
    }
    return newestUnder(path)
        .orElseThrow(() -> new IOException("no model bundle at " + path
            + ": expected a directory with " + MANIFEST + " or a root of versioned bundles"
            + " (train one with: bin/recsys train)"));
  }

  /**
   * The newest complete bundle under a root directory, if any. Hidden directories are bundles
   * still being written (published by renaming them when complete) and never count.
   */
  public static Optional<BundleLayout> newestUnder(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> children = Files.list(root)) {
      return children
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(p -> Files.isRegularFile(p.resolve(MANIFEST)))
          .max(Comparator.comparing(p -> p.getFileName().toString()))
          .map(BundleLayout::new);
    }
  }
}
