package io.recsys.gateway.filters;

import io.recsys.gateway.pipeline.Candidate;
import io.recsys.gateway.pipeline.Filter;
import io.recsys.gateway.pipeline.RecommendQuery;
import java.util.Set;
import java.util.function.Predicate;

/** Items the user already interacted with (viewed, bought, ...), unless the request allows them. */
public final class SeenItemsFilter implements Filter {

  @Override
  public String name() {
    return "seen";
  }

  @Override
  public Predicate<Candidate> keep(RecommendQuery query) {
    if (query.filters().getAllowSeen()) {
      return c -> true;
    }
    Set<String> seen = query.seenItemIds();
    return c -> !seen.contains(c.itemId());
  }
}
