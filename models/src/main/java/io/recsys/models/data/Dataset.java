package io.recsys.models.data;

import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.features.Interaction;
import java.util.ArrayList;
import java.util.List;

/**
 * Interaction data in memory: the item catalog, the users, and each user's interactions oldest
 * first (ties in file order). User {@code u} here is 0-based; in a bundle's users.tsv it becomes
 * index {@code u + 1} (0 is reserved for unknown users).
 */
public record Dataset(String name, ItemCatalog items, List<String> userIds,
                      List<List<Interaction>> histories) {

  public Dataset {
    if (userIds.size() != histories.size()) {
      throw new IllegalArgumentException(userIds.size() + " users but " + histories.size() + " histories");
    }
  }

  public int users() {
    return userIds.size();
  }

  public long interactionCount() {
    long n = 0;
    for (List<Interaction> h : histories) {
      n += h.size();
    }
    return n;
  }

  /** The same users and items with other histories (e.g. the training part of a split). */
  public Dataset withHistories(List<List<Interaction>> other) {
    return new Dataset(name, items, userIds, other);
  }

  /** Counts of each item over all histories. */
  public float[] itemCounts() {
    float[] c = new float[items.size()];
    for (List<Interaction> h : histories) {
      for (Interaction e : h) {
        c[e.itemIndex()]++;
      }
    }
    return c;
  }

  /** Copies of the histories (mutable lists). */
  public List<List<Interaction>> copyHistories() {
    List<List<Interaction>> out = new ArrayList<>(histories.size());
    for (List<Interaction> h : histories) {
      out.add(new ArrayList<>(h));
    }
    return out;
  }
}
