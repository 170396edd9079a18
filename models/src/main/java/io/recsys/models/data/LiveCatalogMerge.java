package io.recsys.models.data;

import io.recsys.api.v1.CatalogItem;
import io.recsys.api.v1.CatalogRecord;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.catalog.CatalogLog;
import io.recsys.common.catalog.LiveCatalog;
import io.recsys.common.features.Interaction;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Carries the live catalog into training: items upserted through CatalogService since the data
 * set was exported join its catalog (an upsert of a known id replaces its features), and deleted
 * items leave it with their interactions, so the next bundle has its items with their own rows
 * and never a deleted one. Servers then find every live item in the new bundle and stop serving
 * it from the live index (see {@link ItemCatalog#withLive}).
 */
public final class LiveCatalogMerge {

  /** What the merge changed. */
  public record Merged(Dataset dataset, int added, int updated, int deleted, long droppedInteractions) {}

  private LiveCatalogMerge() {}

  public static Merged merge(Dataset data, CatalogLog log) throws IOException {
    try (LiveCatalog live = LiveCatalog.open(log)) {
      return merge(data, live.liveRecords(), live.deletedIds());
    }
  }

  static Merged merge(Dataset data, List<CatalogRecord> upserts, Set<String> deleted) {
    ItemCatalog items = data.items();
    Map<String, CatalogItem> latest = new HashMap<>();
    for (CatalogRecord r : upserts) {
      latest.put(r.getUpsert().getItemId(), r.getUpsert());
    }
    List<ItemCatalog.Item> rows = new ArrayList<>(items.size() + latest.size());
    int[] newIndex = new int[items.size()];
    int updated = 0;
    int removed = 0;
    for (int i = 0; i < items.size(); i++) {
      ItemCatalog.Item it = items.get(i);
      if (deleted.contains(it.id())) {
        newIndex[i] = -1;
        removed++;
        continue;
      }
      CatalogItem update = latest.remove(it.id());
      newIndex[i] = rows.size();
      rows.add(update == null ? it : row(update));
      updated += update == null ? 0 : 1;
    }
    int added = 0;
    for (CatalogRecord r : upserts) {
      CatalogItem item = latest.remove(r.getUpsert().getItemId());
      if (item != null) {
        rows.add(row(item));
        added++;
      }
    }
    List<List<Interaction>> histories = new ArrayList<>(data.users());
    long dropped = 0;
    for (List<Interaction> h : data.histories()) {
      List<Interaction> kept = new ArrayList<>(h.size());
      for (Interaction e : h) {
        int to = newIndex[e.itemIndex()];
        if (to < 0) {
          dropped++;
        } else {
          kept.add(to == e.itemIndex() ? e : new Interaction(to, e.type(), e.timestampMs(), e.value()));
        }
      }
      histories.add(kept);
    }
    Dataset merged = new Dataset(data.name(), ItemCatalog.withCategoryIndices(rows), data.userIds(), histories);
    return new Merged(merged, added, updated, removed, dropped);
  }

  private static ItemCatalog.Item row(CatalogItem c) {
    return new ItemCatalog.Item(c.getItemId(), c.getCategory(), 0, (float) c.getPrice(), c.getCreatedMs(), c.getTitle());
  }
}
