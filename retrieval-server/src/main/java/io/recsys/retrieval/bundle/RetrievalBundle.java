package io.recsys.retrieval.bundle;

import io.recsys.common.bundle.BackgroundPart;
import io.recsys.common.bundle.BundleLayout;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.ItemNeighbours;
import io.recsys.common.bundle.Manifest;
import io.recsys.common.bundle.Popularity;
import io.recsys.common.bundle.UserTable;
import io.recsys.common.catalog.LiveCatalog;
import io.recsys.common.index.ItemShards;
import io.recsys.common.index.ItemVectorSearcher;
import io.recsys.common.server.BundleInfo;
import io.recsys.retrieval.catalog.LiveItemIndex;
import io.recsys.retrieval.source.CandidateSource;
import io.recsys.retrieval.source.ColdStartSource;
import io.recsys.retrieval.source.ExcludedItems;
import io.recsys.retrieval.source.Item2ItemSource;
import io.recsys.retrieval.source.RetrievalQuery;
import io.recsys.retrieval.source.PopularSource;
import io.recsys.retrieval.source.TwoTowerSource;
import io.recsys.retrieval.user.UserTowerEncoder;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the retrieval server needs from one model bundle, loaded and checked once: the id tables,
 * the user tower, the HNSW item index and the candidate sources built on them. Closing it releases
 * the SavedModel and the index.
 */
public final class RetrievalBundle implements Closeable {

  private static final Logger log = LoggerFactory.getLogger(RetrievalBundle.class);
  /**
   * Enough for TensorFlow to optimise its graph and the search path to be compiled once; the JIT
   * finishes on real traffic (more here only delays a restart).
   */
  static final int WARMUP_QUERIES = 50;
  static final int WARMUP_K = 200;
  /** Items with at most this many training interactions are cold_start's (besides the live ones). */
  public static final int DEFAULT_COLD_MAX_INTERACTIONS = 5;

  private final Path dir;
  private final Manifest manifest;
  private final ItemCatalog items;
  private final CategoryItems categoryItems;
  private final UserTable users;
  private final UserTowerEncoder userTower;
  private final ItemVectorSearcher index;
  /** The live catalog's items as this bundle embeds them; null when the server has no live catalog. */
  private final LiveItemIndex live;
  private final Map<String, CandidateSource> sources;
  /** The sequence model's encoder and index; null for a bundle without one. */
  private final SequencePart sequence;

  private RetrievalBundle(Path dir, Manifest manifest, ItemCatalog items, UserTable users,
                          UserTowerEncoder userTower, ItemVectorSearcher index, Popularity popularity,
                          ItemNeighbours item2item, ColdItemVectors cold, LiveItemIndex live,
                          SequencePart sequence) {
    this.dir = dir;
    this.live = live;
    this.manifest = manifest;
    this.items = items;
    this.categoryItems = CategoryItems.of(items);
    this.users = users;
    this.userTower = userTower;
    this.index = index;
    Map<String, CandidateSource> byName = new LinkedHashMap<>();
    for (CandidateSource s : List.of(new TwoTowerSource(userTower, index, live), new PopularSource(popularity),
        new Item2ItemSource(item2item), new ColdStartSource(userTower, cold, live))) {
      byName.put(s.name(), s);
    }
    if (sequence != null) {
      byName.put(sequence.source().name(), sequence.source());
    }
    this.sequence = sequence;
    this.sources = Map.copyOf(byName);
  }

  /**
   * Loads the bundle at {@code path} (a bundle directory or a root of versioned bundles, newest
   * taken), refusing one whose parts disagree.
   */
  public static RetrievalBundle load(Path path) throws IOException {
    return load(path, ServedShards.ALL, null);
  }

  /** As {@link #load(Path)}, with the two-tower source searching only the {@code shards} of the item index. */
  public static RetrievalBundle load(Path path, ServedShards shards) throws IOException {
    return load(path, shards, null);
  }

  /**
   * As {@link #load(Path, ServedShards)}, also serving the live catalog's items of the served shards
   * (null: none).
   */
  public static RetrievalBundle load(Path path, ServedShards shards, LiveCatalog liveCatalog) throws IOException {
    return load(path, shards, liveCatalog, DEFAULT_COLD_MAX_INTERACTIONS);
  }

  /** As {@link #load(Path, ServedShards, LiveCatalog)}, cold_start serving the items with at most that many interactions. */
  public static RetrievalBundle load(Path path, ServedShards shards, LiveCatalog liveCatalog, int coldMaxInteractions)
      throws IOException {
    long start = System.nanoTime();
    BundleLayout layout = BundleLayout.resolve(path);
    Manifest manifest = Manifest.read(layout.manifest());
    BackgroundPart<UserTowerEncoder> tower = BackgroundPart.load(() -> UserTowerEncoder.load(layout.dir(), manifest));
    ItemVectorSearcher index = null;
    UserTowerEncoder userTower = null;
    LiveItemIndex live = null;
    SequencePart sequence = null;
    try {
      ItemCatalog items = ItemCatalog.read(layout.items());
      UserTable users = UserTable.read(layout.users());
      Popularity popularity = Popularity.read(layout.popularity(), items.size());
      ItemNeighbours item2item = readItem2Item(layout, items.size());
      index = ItemVectorSearcher.open(shards.indexDirs(layout, manifest), ItemVectorSearcher.DEFAULT_OVER_FETCH,
          ItemVectorSearcher.DEFAULT_EXACT_SCAN_MAX_FLOATS);
      int expected = shards.items(items);
      if (index.size() != expected || index.dim() != manifest.embeddingDim()) {
        throw new IOException("bundle " + layout.dir() + " is inconsistent: the item index (shards "
            + shards + ") holds " + index.size() + " vectors of " + index.dim() + " dimensions, but "
            + expected + " of the catalog's items belong there and the manifest says "
            + manifest.embeddingDim() + " dimensions; export the bundle again");
      }
      sequence = SequencePart.load(layout, manifest, items);
      userTower = tower.get();
      checkUserTower(userTower, layout);
      Predicate<String> owned = id -> shards.all() || ItemShards.shard(id, shards.of()) == shards.shard();
      live = liveCatalog == null ? null : LiveItemIndex.forBundle(layout.dir(), manifest, items, liveCatalog, owned);
      ColdItemVectors cold = ColdItemVectors.embed(layout.dir(), manifest, items, popularity, coldMaxInteractions,
          owned);
      RetrievalBundle bundle = new RetrievalBundle(layout.dir(), manifest, items, users, userTower,
          index, popularity, item2item, cold, live, sequence);
      bundle.warmUp();
      log.info("loaded bundle {} from {} ({} items, {} in index shards {}, {} cold, {} users) in {} ms",
          manifest.version(), layout.dir(), items.size(), index.size(), shards, cold.size(), users.size(),
          (System.nanoTime() - start) / 1_000_000);
      return bundle;
    } catch (IOException | RuntimeException e) {
      if (userTower == null) {
        tower.discard();
      } else {
        userTower.close();
      }
      if (index != null) {
        index.close();
      }
      if (live != null) {
        live.close();
      }
      if (sequence != null) {
        sequence.close();
      }
      throw e;
    }
  }

  /**
   * The item2item lists; a bundle exported before them has none and its item2item source answers
   * every request with no candidates (the gateway's other sources fill in), so old bundles still load.
   */
  private static ItemNeighbours readItem2Item(BundleLayout layout, int items) throws IOException {
    if (Files.isRegularFile(layout.item2item())) {
      return ItemNeighbours.read(layout.item2item(), items);
    }
    log.warn("bundle {} has no {} (exported before the item2item source): item2item answers no candidates;"
        + " export the bundle again to serve it", layout.dir(), layout.dir().relativize(layout.item2item()));
    return new ItemNeighbours(new int[items][0], new float[items][0], 1);
  }

  /** One call for the unknown user: a tower whose signature does not fit fails here, not per request. */
  private static void checkUserTower(UserTowerEncoder userTower, BundleLayout layout) throws IOException {
    try {
      userTower.encode(UserTable.UNKNOWN, List.of());
    } catch (RuntimeException e) {
      throw new IOException("the user tower in " + layout.twoTower() + " cannot embed a user: "
          + e.getMessage(), e);
    }
  }

  /**
   * Runs every source on random sessions before traffic arrives: TensorFlow optimises a graph on
   * its first runs and the JIT compiles the search path, which would otherwise cost the first
   * requests hundreds of milliseconds and time them out at the gateway.
   */
  private void warmUp() throws IOException {
    java.util.Random rnd = new java.util.Random(0);
    long now = System.currentTimeMillis();
    for (int q = 0; q < WARMUP_QUERIES; q++) {
      List<io.recsys.common.features.Interaction> history = new java.util.ArrayList<>();
      for (int e = rnd.nextInt(manifest.historyLength() + 1); e > 0; e--) {
        history.add(new io.recsys.common.features.Interaction(rnd.nextInt(items.size()),
            io.recsys.api.v1.EventType.VIEW, now - e * 1000L, 0));
      }
      RetrievalQuery query = new RetrievalQuery("warm-up", UserTable.UNKNOWN, history);
      for (CandidateSource s : sources.values()) {
        s.retrieve(query, WARMUP_K, ExcludedItems.NONE);
      }
    }
  }

  /** The source of that name, if this bundle has one. */
  public Optional<CandidateSource> source(String name) {
    return Optional.ofNullable(sources.get(name));
  }

  /** Names of the sources, sorted. */
  public List<String> sourceNames() {
    return sources.keySet().stream().sorted().toList();
  }

  /** The bundle's items: what requests' histories resolve against (the user tower knows only these). */
  public ItemCatalog items() {
    return items;
  }

  /** The bundle's items followed by the live catalog's: what candidate indices refer to. */
  public ItemCatalog candidates() {
    return live == null ? items : live.catalog();
  }

  /**
   * {@code excluded}, restricted to the items of {@code categories} when there are any: the
   * bundle's from their lists, the live catalog's by their current category. A category no item
   * has matches nothing (the answer is empty, not an error: the gateway's catalog may be newer).
   */
  public ExcludedItems including(ExcludedItems excluded, List<String> categories) {
    if (categories.isEmpty()) {
      return excluded;
    }
    Set<String> names = Set.copyOf(categories);
    int[] bundleItems = categoryItems.of(names);
    ItemCatalog all = candidates();
    int bundleSize = items.size();
    return excluded.onlyAmong(bundleItems, item -> item < bundleSize
        ? Arrays.binarySearch(bundleItems, item) >= 0
        : names.contains(all.get(item).category()));
  }

  /** What a request excludes, and the bundle items the live catalog hides (deleted or replaced). */
  public ExcludedItems excluding(ExcludedItems requested) {
    return live == null ? requested : requested.and(live::hides, live.hiddenCount());
  }

  public UserTable users() {
    return users;
  }

  public Path dir() {
    return dir;
  }

  public String version() {
    return manifest.version();
  }

  public BundleInfo info() {
    return new BundleInfo(manifest.version(), dir.toString());
  }

  @Override
  public void close() throws IOException {
    try (index; live; sequence) {
      userTower.close();
    }
  }
}
