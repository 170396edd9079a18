package io.recsys.retrieval.request;

import io.grpc.Status;
import io.recsys.api.v1.RetrieveRequest;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.UserTable;
import io.recsys.common.validation.ContextValidator;
import io.recsys.common.validation.EventValidator;
import io.recsys.retrieval.source.ExcludedItems;
import io.recsys.retrieval.source.RetrievalQuery;
import java.util.List;

/**
 * Checks a RetrieveRequest and resolves it against the bundle. Every source gets the same checks:
 * a request with malformed events is wrong whichever source it asks.
 */
public final class RetrieveRequestReader {

  /** More exclusions than this would make every search fetch thousands of extra neighbours. */
  public static final int MAX_EXCLUDED = 5000;
  /** A filter names a few categories; more would be a mistake or an exclusion in disguise. */
  public static final int MAX_INCLUDED_CATEGORIES = 100;

  private final int maxK;

  public RetrieveRequestReader(int maxK) {
    if (maxK <= 0) {
      throw new IllegalArgumentException("max k must be positive, was " + maxK);
    }
    this.maxK = maxK;
  }

  /**
   * A checked request: who asks, how many items, which not, and of which categories only (empty:
   * any).
   */
  public record Retrieval(RetrievalQuery query, int k, ExcludedItems excluded, List<String> includeCategories) {}

  /** @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT or RESOURCE_EXHAUSTED, saying what to fix */
  public Retrieval read(RetrieveRequest request, ItemCatalog items, UserTable users, long nowMs) {
    EventValidator.validateUserId(request.getUserId());
    if (request.getK() <= 0 || request.getK() > maxK) {
      throw EventValidator.invalid("k is " + request.getK() + "; ask for 1.." + maxK + " candidates");
    }
    if (request.getExcludeItemIdsCount() > MAX_EXCLUDED) {
      throw Status.RESOURCE_EXHAUSTED.withDescription("exclude_item_ids has "
          + request.getExcludeItemIdsCount() + " ids; at most " + MAX_EXCLUDED
          + " (filter the rest on the client)").asRuntimeException();
    }
    if (request.getIncludeCategoriesCount() > MAX_INCLUDED_CATEGORIES) {
      throw EventValidator.invalid("include_categories has " + request.getIncludeCategoriesCount()
          + " categories; at most " + MAX_INCLUDED_CATEGORIES);
    }
    EventValidator.validate(request.getRecentEventsList(), "recent_events", nowMs);
    ContextValidator.validate(request.getContext(), "context", nowMs);
    RetrievalQuery query = new RetrievalQuery(request.getUserId(), users.indexOf(request.getUserId()),
        EventValidator.resolve(request.getRecentEventsList(), items, nowMs));
    return new Retrieval(query, request.getK(), excluded(request, items),
        List.copyOf(request.getIncludeCategoriesList()));
  }

  /** Excluded ids the catalog knows; unknown ones cannot be returned anyway. */
  private static ExcludedItems excluded(RetrieveRequest request, ItemCatalog items) {
    return ExcludedItems.of(request.getExcludeItemIdsList().stream()
        .mapToInt(items::indexOf)
        .filter(i -> i >= 0)
        .toArray());
  }
}
