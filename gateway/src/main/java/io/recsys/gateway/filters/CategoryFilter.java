package io.recsys.gateway.filters;

import io.recsys.common.bundle.ItemCatalog;
import io.recsys.gateway.pipeline.Candidate;
import io.recsys.gateway.pipeline.Filter;
import io.recsys.gateway.pipeline.RecommendQuery;
import java.util.Set;
import java.util.function.Predicate;

/** The request's filters.exclude_categories and include_categories (when non-empty, only those). */
public final class CategoryFilter implements Filter {

  private final ItemCatalog catalog;

  public CategoryFilter(ItemCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public String name() {
    return "categories";
  }

  @Override
  public Predicate<Candidate> keep(RecommendQuery query) {
    Set<String> excluded = Set.copyOf(query.filters().getExcludeCategoriesList());
    Set<String> included = Set.copyOf(query.filters().getIncludeCategoriesList());
    if (excluded.isEmpty() && included.isEmpty()) {
      return c -> true;
    }
    return c -> {
      // items unknown to the catalog have no category; the unknown-item filter drops them
      String category = c.itemIndex() < 0 ? "" : catalog.get(c.itemIndex()).category();
      return !excluded.contains(category) && (included.isEmpty() || included.contains(category));
    };
  }
}
