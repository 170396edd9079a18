package io.recsys.common.bundle;

import io.recsys.api.v1.CatalogItem;
import io.recsys.common.catalog.LiveCatalog;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The items of a bundle with their dense indices (0..size-1, the row of each item in every model
 * table) and features. Category index 0 is reserved for "unknown"; real categories start at 1.
 */
public final class ItemCatalog {

  public static final List<String> HEADER =
      List.of("index", "item_id", "category", "category_index", "price", "created_ms", "title");

  /** One item row. */
  public record Item(String id, String category, int categoryIndex, float price, long createdMs,
                     String title) {}

  private final List<Item> items;
  private final Map<String, Integer> byId;
  private final List<String> categoryNames;
  /** Items added since training, after the bundle's (see {@link #withLive}); null for none. */
  private final LiveCatalog live;
  private final long bundleCreatedMs;

  private ItemCatalog(ItemCatalog bundle, LiveCatalog live, long bundleCreatedMs) {
    this.items = bundle.items;
    this.byId = bundle.byId;
    this.categoryNames = bundle.categoryNames;
    this.live = live;
    this.bundleCreatedMs = bundleCreatedMs;
  }

  public ItemCatalog(List<Item> items) {
    this.items = List.copyOf(items);
    this.byId = new HashMap<>(items.size() * 2);
    int maxCat = 0;
    for (int i = 0; i < items.size(); i++) {
      if (byId.put(items.get(i).id(), i) != null) {
        throw new IllegalArgumentException("duplicate item id " + items.get(i).id());
      }
      maxCat = Math.max(maxCat, items.get(i).categoryIndex());
    }
    String[] names = new String[maxCat + 1];
    names[0] = "";
    for (Item it : items) {
      names[it.categoryIndex()] = it.category();
    }
    this.categoryNames = java.util.Arrays.asList(names);
    this.live = null;
    this.bundleCreatedMs = 0;
  }

  /**
   * This bundle's items followed by the live catalog's: live position p is item index
   * {@code bundleSize() + p}, and the view follows the live catalog as it changes. A live upsert
   * of an id the bundle has wins when it was logged after the bundle was created (an update);
   * an older one is what the bundle was trained on, so the bundle's row serves it (no duplicate
   * after a rollout). Deleted items keep their index; callers check {@link LiveCatalog#isDeleted}.
   */
  public ItemCatalog withLive(LiveCatalog liveCatalog, long createdMs) {
    return new ItemCatalog(this, liveCatalog, createdMs);
  }

  /** Items of the bundle itself: the rows every model table has. */
  public int bundleSize() {
    return items.size();
  }

  /** The id's row in the bundle itself (whatever the live catalog says), or -1. */
  public int bundleIndexOf(String itemId) {
    Integer i = byId.get(itemId);
    return i == null ? -1 : i;
  }

  /** Whether the live version of a bundle item replaces the bundle's row. */
  public boolean isReplacedByLive(int bundleIndex) {
    if (live == null) {
      return false;
    }
    int p = live.position(items.get(bundleIndex).id());
    return p >= 0 && live.record(p).getLoggedAtMs() > bundleCreatedMs;
  }

  /**
   * A catalog whose category indices are assigned here: the distinct non-empty category names,
   * sorted, get 1..C; an empty category gets 0. The given items' categoryIndex is ignored.
   */
  public static ItemCatalog withCategoryIndices(List<Item> items) {
    java.util.TreeSet<String> names = new java.util.TreeSet<>();
    for (Item it : items) {
      if (!it.category().isEmpty()) {
        names.add(it.category());
      }
    }
    Map<String, Integer> index = new HashMap<>();
    for (String n : names) {
      index.put(n, index.size() + 1);
    }
    List<Item> out = new ArrayList<>(items.size());
    for (Item it : items) {
      out.add(new Item(it.id(), it.category(), index.getOrDefault(it.category(), 0), it.price(),
          it.createdMs(), it.title()));
    }
    return new ItemCatalog(out);
  }

  public int size() {
    return live == null ? items.size() : items.size() + live.size();
  }

  /** Dense index of an external id, or -1 when the catalog does not know it. */
  public int indexOf(String itemId) {
    Integer i = byId.get(itemId);
    if (live != null) {
      int p = live.position(itemId);
      if (p >= 0 && (i == null || live.record(p).getLoggedAtMs() > bundleCreatedMs)) {
        return items.size() + p;
      }
    }
    return i == null ? -1 : i;
  }

  public Item get(int index) {
    return index < items.size() ? items.get(index) : liveItem(index - items.size());
  }

  private Item liveItem(int position) {
    CatalogItem c = live.record(position).getUpsert();
    return new Item(c.getItemId(), c.getCategory(), categoryIndexOf(c.getCategory()), (float) c.getPrice(),
        c.getCreatedMs(), c.getTitle());
  }

  public String id(int index) {
    return get(index).id();
  }

  public int categoryIndex(int index) {
    return get(index).categoryIndex();
  }

  /** Number of category slots including the reserved 0. */
  public int categorySlots() {
    return categoryNames.size();
  }

  /** Category index of a category name, or 0 when unknown. */
  public int categoryIndexOf(String name) {
    int i = name.isEmpty() ? 0 : categoryNames.indexOf(name);
    return Math.max(i, 0);
  }

  public List<String> categoryNames() {
    return categoryNames;
  }

  public static ItemCatalog read(Path file) throws IOException {
    List<Item> items = new ArrayList<>();
    Tsv.read(file, HEADER, (c, line) -> {
      int index = Integer.parseInt(c[0]);
      if (index != items.size()) {
        throw new IOException(file + ":" + line + ": item index " + index + " out of order (expected "
            + items.size() + ")");
      }
      items.add(new Item(c[1], c[2], Integer.parseInt(c[3]), Float.parseFloat(c[4]),
          Long.parseLong(c[5]), c[6]));
    });
    return new ItemCatalog(items);
  }

  public void write(Path file) throws IOException {
    try (BufferedWriter out = Tsv.writer(file, HEADER)) {
      for (int i = 0; i < items.size(); i++) {
        Item it = items.get(i);
        out.write(i + "\t" + Tsv.clean(it.id()) + "\t" + Tsv.clean(it.category()) + "\t"
            + it.categoryIndex() + "\t" + it.price() + "\t" + it.createdMs() + "\t"
            + Tsv.clean(it.title()) + "\n");
      }
    }
  }
}
