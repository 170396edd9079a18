package io.recsys.gateway.testing;

import io.recsys.common.bundle.BundleLayout;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.Manifest;
import io.recsys.common.bundle.Popularity;
import io.recsys.common.bundle.Tsv;
import io.recsys.gateway.history.HistorySeed;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The light parts of a bundle, written by hand: 30 items "i00".."i29" whose category cycles
 * books, music, games (i00 books, i01 music, i02 games, i03 books, ...), popularity falling with the
 * index (i00 most popular), and a stored history for user "known" who viewed i05.
 */
public final class TestBundle {

  public static final String VERSION = "test-v1";
  public static final List<String> CATEGORIES = List.of("books", "music", "games");
  public static final int ITEMS = 30;

  private TestBundle() {}

  public static String id(int i) {
    return String.format("i%02d", i);
  }

  public static String categoryOf(int i) {
    return CATEGORIES.get(i % CATEGORIES.size());
  }

  public static Path write(Path dir) throws IOException {
    BundleLayout layout = new BundleLayout(dir);
    List<ItemCatalog.Item> items = new ArrayList<>();
    float[] counts = new float[ITEMS];
    for (int i = 0; i < ITEMS; i++) {
      items.add(new ItemCatalog.Item(id(i), categoryOf(i), 0, 10f, 0L, "Title " + i));
      counts[i] = ITEMS - i;
    }
    ItemCatalog.withCategoryIndices(items).write(layout.items());
    new Popularity(counts).write(layout.popularity());
    try (BufferedWriter out = Tsv.writer(layout.recentHistory(), HistorySeed.HEADER)) {
      out.write("known\ti05\tVIEW\t1000\t0\n");
    }
    new Manifest(Manifest.FORMAT_VERSION, VERSION, "2024-01-01T00:00:00Z", "test", ITEMS, 1,
        CATEGORIES.size(), 0, 0, null, null, null, null, null, null).write(layout.manifest());
    return dir;
  }
}
