package io.recsys.gateway.filters;

import io.recsys.gateway.pipeline.Candidate;
import io.recsys.gateway.pipeline.Filter;
import io.recsys.gateway.pipeline.RecommendQuery;
import java.util.function.Predicate;

/**
 * Items deleted through CatalogService: dropped whichever source proposed them, also a source
 * that answers from a list made before the delete (the bundle's popularity, a late retrieval
 * server), so a delete holds from the moment DeleteItems returns.
 */
public final class DeletedItemsFilter implements Filter {

  private final Predicate<String> deleted;

  /** @param deleted whether an item id is deleted (see {@link io.recsys.common.catalog.LiveCatalog#isDeleted}) */
  public DeletedItemsFilter(Predicate<String> deleted) {
    this.deleted = deleted;
  }

  @Override
  public String name() {
    return "deleted_items";
  }

  @Override
  public Predicate<Candidate> keep(RecommendQuery query) {
    return c -> !deleted.test(c.itemId());
  }
}
