package io.recsys.cli.loadtest;

import io.recsys.common.bundle.BundleLayout;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.UserTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The ids the generated traffic uses: users the model knows, catalog items (for recent events and
 * Feedback) and category names (for filters). Read from the served bundle where one is given, so
 * known users are really known; otherwise the built-in data set's id patterns ({@code u00001..},
 * {@code i00001..}) without categories.
 *
 * @param source where the ids came from, for the report
 */
public record TrafficIds(List<String> users, List<String> items, List<String> categories, String source) {

  public TrafficIds {
    if (users.isEmpty() || items.isEmpty()) {
      throw new IllegalArgumentException("traffic needs at least one known user and one item (" + source + ")");
    }
    users = List.copyOf(users);
    items = List.copyOf(items);
    categories = List.copyOf(categories);
  }

  public static TrafficIds fromBundle(Path bundle) throws IOException {
    BundleLayout layout = BundleLayout.resolve(bundle);
    ItemCatalog catalog = ItemCatalog.read(layout.items());
    UserTable users = UserTable.read(layout.users());
    List<String> userIds = IntStream.rangeClosed(1, users.size()).mapToObj(users::id).toList();
    List<String> itemIds = IntStream.range(0, catalog.size()).mapToObj(catalog::id).toList();
    List<String> categories = new ArrayList<>(catalog.categoryNames().subList(1, catalog.categorySlots()));
    categories.removeIf(c -> c == null || c.isEmpty());
    return new TrafficIds(userIds, itemIds, categories, "bundle " + layout.dir());
  }

  /** Ids of the built-in synthetic data set ({@code bin/recsys generate}). */
  public static TrafficIds synthetic(int users, int items) {
    return new TrafficIds(
        IntStream.rangeClosed(1, users).mapToObj(u -> String.format("u%05d", u)).toList(),
        IntStream.rangeClosed(1, items).mapToObj(i -> String.format("i%05d", i)).toList(),
        List.of(), "synthetic ids u00001..u%05d, i00001..i%05d".formatted(users, items));
  }
}
