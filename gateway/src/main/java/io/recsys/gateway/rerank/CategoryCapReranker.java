package io.recsys.gateway.rerank;

import io.recsys.common.bundle.ItemCatalog;
import io.recsys.gateway.pipeline.Candidate;
import io.recsys.gateway.pipeline.RecommendQuery;
import io.recsys.gateway.pipeline.Reranker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Diversity: among the first k items at most ceil(fraction * k) of any one category. Items over
 * the cap move behind; when too few other items exist to fill k, they come back in score order
 * (a short list beats an empty slot).
 */
public final class CategoryCapReranker implements Reranker {

  private final ItemCatalog catalog;
  private final double maxFraction;

  public CategoryCapReranker(ItemCatalog catalog, double maxFraction) {
    if (!(maxFraction > 0 && maxFraction <= 1)) {
      throw new IllegalArgumentException("max per-category fraction must be in (0, 1], got " + maxFraction);
    }
    this.catalog = catalog;
    this.maxFraction = maxFraction;
  }

  @Override
  public String name() {
    return "category_cap";
  }

  @Override
  public List<Candidate> rerank(RecommendQuery query, List<Candidate> ranked) {
    int k = query.k();
    int cap = (int) Math.ceil(maxFraction * k);
    List<Candidate> top = new ArrayList<>(ranked.size());
    List<Candidate> deferred = new ArrayList<>();
    Map<Integer, Integer> perCategory = new HashMap<>();
    for (Candidate c : ranked) {
      int category = c.itemIndex() < 0 ? 0 : catalog.categoryIndex(c.itemIndex());
      if (top.size() < k && perCategory.getOrDefault(category, 0) < cap) {
        perCategory.merge(category, 1, Integer::sum);
        top.add(c);
      } else {
        deferred.add(c);
      }
    }
    // deferred is in score order: the fill and the tail keep it
    top.addAll(deferred);
    return top;
  }
}
