package io.recsys.gateway.filters;

import io.recsys.gateway.pipeline.Candidate;
import io.recsys.gateway.pipeline.Filter;
import io.recsys.gateway.pipeline.RecommendQuery;
import java.util.function.Predicate;

/**
 * Items the gateway's catalog does not know: they cannot be described (category, title) or
 * filtered by category, e.g. when a source serves a newer bundle than the gateway.
 */
public final class UnknownItemFilter implements Filter {

  @Override
  public String name() {
    return "unknown_items";
  }

  @Override
  public Predicate<Candidate> keep(RecommendQuery query) {
    return c -> c.itemIndex() >= 0;
  }
}
