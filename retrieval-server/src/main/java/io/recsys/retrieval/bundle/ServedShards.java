package io.recsys.retrieval.bundle;

import io.recsys.common.bundle.BundleLayout;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.Manifest;
import io.recsys.common.index.ItemShards;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which shards of a bundle's item index one retrieval server serves: all of them (one server for
 * the whole catalog, the quickstart case) or shard I of N ({@code --shard I/N}). Only the vector
 * search is split: the catalog, the user tower and the non-vector sources (popular) are the whole
 * bundle's on every shard, so any shard answers those alike.
 *
 * @param shard the served shard, or -1 for all
 * @param of the number of shards the bundle must have, or 0 for any
 */
public record ServedShards(int shard, int of) {

  public static final ServedShards ALL = new ServedShards(-1, 0);
  private static final Pattern SPEC = Pattern.compile("(\\d+)/(\\d+)");

  /** "I/N" (0 <= I < N), or "" / "all" for every shard. */
  public static ServedShards parse(String spec) {
    if (spec == null || spec.isBlank() || spec.equals("all")) {
      return ALL;
    }
    Matcher m = SPEC.matcher(spec.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("--shard must be I/N (e.g. 0/3) or 'all', got '" + spec + "'");
    }
    int shard = Integer.parseInt(m.group(1));
    int of = Integer.parseInt(m.group(2));
    if (of < 1 || shard >= of) {
      throw new IllegalArgumentException("--shard " + spec + ": I must be in [0, N) and N >= 1");
    }
    return new ServedShards(shard, of);
  }

  public boolean all() {
    return shard < 0;
  }

  /** The index directories of the served shards; a bundle with another shard count is refused. */
  List<Path> indexDirs(BundleLayout layout, Manifest manifest) throws IOException {
    int shards = manifest.indexShards();
    if (all()) {
      List<Path> dirs = new ArrayList<>(shards);
      for (int s = 0; s < shards; s++) {
        dirs.add(layout.indexShard(s, shards));
      }
      return dirs;
    }
    if (shards != of) {
      throw new IOException("bundle " + layout.dir() + " has " + shards + " index shard(s), but this server"
          + " serves shard " + this + "; export it with `bin/recsys reshard --index-shards " + of + "`");
    }
    return List.of(layout.indexShard(shard, of));
  }

  /** How many of the catalog's items the served shards hold. */
  int items(ItemCatalog items) {
    if (all() || of == 1) {
      return items.size();
    }
    int n = 0;
    for (int i = 0; i < items.size(); i++) {
      if (ItemShards.shard(items.id(i), of) == shard) {
        n++;
      }
    }
    return n;
  }

  @Override
  public String toString() {
    return all() ? "all" : shard + "/" + of;
  }
}
