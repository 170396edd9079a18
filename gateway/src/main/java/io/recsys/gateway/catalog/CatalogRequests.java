package io.recsys.gateway.catalog;

import io.recsys.api.v1.CatalogItem;
import io.recsys.api.v1.DeleteItemsRequest;
import io.recsys.api.v1.UpsertItemsRequest;
import io.recsys.common.validation.EventValidator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks CatalogService requests; every message says which item and what to change. */
final class CatalogRequests {

  static final int MAX_ITEMS = 1000;
  static final int MAX_TITLE_LENGTH = 10_000;
  static final int MAX_CATEGORY_LENGTH = 256;

  private CatalogRequests() {}

  /**
   * @return the items to log, "created 0 = now" resolved
   * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT
   */
  static List<CatalogItem> upserts(UpsertItemsRequest request, long nowMs) {
    count(request.getItemsCount(), "items");
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < request.getItemsCount(); i++) {
      CatalogItem item = request.getItems(i);
      String where = "items[" + i + "]";
      checkId(item.getItemId(), where);
      where += " (" + item.getItemId() + ")";
      if (!ids.add(item.getItemId())) {
        throw EventValidator.invalid(where + ": item_id appears twice in one request; send each item once");
      }
      if (item.getTitle().isBlank()) {
        throw EventValidator.invalid(where + ": title is required: the item is embedded from its title and text");
      }
      if (item.getTitle().length() > MAX_TITLE_LENGTH) {
        throw EventValidator.invalid(where + ": title is " + item.getTitle().length()
            + " characters; at most " + MAX_TITLE_LENGTH);
      }
      if (item.getCategory().length() > MAX_CATEGORY_LENGTH || hasControl(item.getCategory())) {
        throw EventValidator.invalid(where + ": category must be at most " + MAX_CATEGORY_LENGTH
            + " characters without tabs or newlines");
      }
      if (!(item.getPrice() >= 0) || Double.isInfinite(item.getPrice())) {
        throw EventValidator.invalid(where + ": price is " + item.getPrice() + "; it must be a finite number >= 0");
      }
      if (item.getCreatedMs() < 0) {
        throw EventValidator.invalid(where + ": created_ms is " + item.getCreatedMs()
            + "; milliseconds since the Unix epoch, or 0 for now");
      }
    }
    return request.getItemsList().stream()
        .map(it -> it.getCreatedMs() == 0 ? it.toBuilder().setCreatedMs(nowMs).build() : it)
        .toList();
  }

  static List<String> deletes(DeleteItemsRequest request) {
    count(request.getItemIdsCount(), "item_ids");
    for (int i = 0; i < request.getItemIdsCount(); i++) {
      checkId(request.getItemIds(i), "item_ids[" + i + "]");
    }
    return List.copyOf(new java.util.LinkedHashSet<>(request.getItemIdsList()));
  }

  private static void count(int n, String field) {
    if (n == 0) {
      throw EventValidator.invalid(field + " is empty; send 1.." + MAX_ITEMS);
    }
    if (n > MAX_ITEMS) {
      throw EventValidator.invalid(field + " has " + n + " entries; send at most " + MAX_ITEMS
          + " per call (split the batch)");
    }
  }

  private static void checkId(String id, String where) {
    if (id.isEmpty()) {
      throw EventValidator.invalid(where + ": item_id is required");
    }
    if (id.length() > EventValidator.MAX_ID_LENGTH) {
      throw EventValidator.invalid(where + ": item_id is " + id.length() + " characters; at most "
          + EventValidator.MAX_ID_LENGTH);
    }
    if (hasControl(id)) {
      throw EventValidator.invalid(where + ": item_id must not contain tabs, newlines or other control characters");
    }
  }

  private static boolean hasControl(String s) {
    return s.chars().anyMatch(Character::isISOControl);
  }
}
