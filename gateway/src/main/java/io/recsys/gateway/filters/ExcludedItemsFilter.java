package io.recsys.gateway.filters;

import io.recsys.gateway.pipeline.Candidate;
import io.recsys.gateway.pipeline.Filter;
import io.recsys.gateway.pipeline.RecommendQuery;
import java.util.Set;
import java.util.function.Predicate;

/** The request's filters.exclude_item_ids. */
public final class ExcludedItemsFilter implements Filter {

  @Override
  public String name() {
    return "excluded_items";
  }

  @Override
  public Predicate<Candidate> keep(RecommendQuery query) {
    Set<String> excluded = Set.copyOf(query.filters().getExcludeItemIdsList());
    return c -> !excluded.contains(c.itemId());
  }
}
