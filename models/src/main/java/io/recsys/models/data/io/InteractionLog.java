package io.recsys.models.data.io;

import io.recsys.api.v1.EventType;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.features.Interaction;
import io.recsys.models.data.Dataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects a catalog and rating events while a reader goes through its files, then builds the
 * {@link Dataset}: users in order of first appearance, each history sorted by time with ties kept in
 * file order (a stable sort). Every rating is an interaction; its value stays as the event value.
 */
final class InteractionLog {

  private final List<ItemCatalog.Item> items = new ArrayList<>();
  private final Map<String, Integer> itemIndex = new HashMap<>();
  private final Map<String, List<Interaction>> byUser = new LinkedHashMap<>();

  void addItem(Path file, int line, ItemCatalog.Item item) throws IOException {
    if (itemIndex.putIfAbsent(item.id(), items.size()) != null) {
      throw new IOException(file + ":" + line + ": item id " + item.id() + " appears twice");
    }
    items.add(item);
  }

  int itemIndex(String id) {
    return itemIndex.getOrDefault(id, -1);
  }

  ItemCatalog.Item item(int index) {
    return items.get(index);
  }

  void replaceItem(int index, ItemCatalog.Item item) {
    items.set(index, item);
  }

  /** A rating of a catalog item; an item id the catalog lacks is an error at that line. */
  void addRating(Path file, int line, String userId, String itemId, double rating, long timestampMs)
      throws IOException {
    int idx = itemIndex(itemId);
    if (idx < 0) {
      throw new IOException(file + ":" + line + ": item id " + itemId + " is not in the item file");
    }
    addEvent(userId, new Interaction(idx, EventType.RATING, timestampMs, rating));
  }

  /** An event of a user, on an item already added. */
  void addEvent(String userId, Interaction event) {
    byUser.computeIfAbsent(userId, k -> new ArrayList<>()).add(event);
  }

  Dataset build(String name) {
    List<String> userIds = new ArrayList<>(byUser.keySet());
    List<List<Interaction>> histories = new ArrayList<>(userIds.size());
    for (String u : userIds) {
      List<Interaction> h = byUser.get(u);
      h.sort(Comparator.comparingLong(Interaction::timestampMs)); // List.sort is stable
      histories.add(h);
    }
    return new Dataset(name, ItemCatalog.withCategoryIndices(items), userIds, histories);
  }

  static long parseLong(String s, Path file, int line, String what) throws IOException {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw new IOException(file + ":" + line + ": " + what + " '" + s + "' is not a whole number");
    }
  }

  static double parseDouble(String s, Path file, int line, String what) throws IOException {
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      throw new IOException(file + ":" + line + ": " + what + " '" + s + "' is not a number");
    }
  }
}
