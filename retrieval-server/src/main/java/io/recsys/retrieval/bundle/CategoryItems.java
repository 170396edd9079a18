package io.recsys.retrieval.bundle;

import io.recsys.common.bundle.ItemCatalog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bundle's items of each category, listed once per bundle, so that a request's
 * include_categories costs a lookup and a merge of those lists instead of a walk of the catalog.
 */
final class CategoryItems {

  private final Map<String, int[]> byCategory;

  private CategoryItems(Map<String, int[]> byCategory) {
    this.byCategory = byCategory;
  }

  static CategoryItems of(ItemCatalog items) {
    Map<String, List<Integer>> lists = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      lists.computeIfAbsent(items.get(i).category(), c -> new ArrayList<>()).add(i);
    }
    Map<String, int[]> byCategory = new HashMap<>();
    lists.forEach((c, l) -> byCategory.put(c, l.stream().mapToInt(Integer::intValue).toArray()));
    return new CategoryItems(byCategory);
  }

  /** The items of any of {@code categories}, ascending; a category the bundle lacks adds none. */
  int[] of(Collection<String> categories) {
    return categories.stream().distinct()
        .map(c -> byCategory.getOrDefault(c, new int[0]))
        .flatMapToInt(Arrays::stream)
        .sorted()
        .toArray();
  }
}
