package io.recsys.gateway.sources;

import io.grpc.Deadline;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.Popularity;
import io.recsys.gateway.pipeline.CandidateSource;
import io.recsys.gateway.pipeline.RecommendQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The most popular items from the gateway's own copy of the bundle's popularity table: the answer
 * of last resort when no remote source answers. Score: {@link Popularity#score}, the
 * same as the retrieval server's popular source.
 */
public final class LocalPopularSource implements CandidateSource {

  private final ItemCatalog catalog;
  private final Popularity popularity;
  private final int quota;

  public LocalPopularSource(ItemCatalog catalog, Popularity popularity, int quota) {
    this.catalog = catalog;
    this.popularity = popularity;
    this.quota = quota;
  }

  @Override
  public String name() {
    return "local_popular";
  }

  /** In memory: microseconds. */
  @Override
  public long timeoutMs() {
    return 10;
  }

  @Override
  public CompletableFuture<Answer> fetch(RecommendQuery query, Deadline deadline) {
    Set<String> excluded = query.excludedItemIds();
    Set<String> included = Set.copyOf(query.filters().getIncludeCategoriesList());
    int[] ranked = popularity.ranked();
    List<Retrieved> out = new ArrayList<>(quota);
    for (int r = 0; r < ranked.length && out.size() < quota; r++) {
      String id = catalog.id(ranked[r]);
      // a filtered walk: k items of the included categories, not the top k cut down afterwards
      if (!excluded.contains(id)
          && (included.isEmpty() || included.contains(catalog.get(ranked[r]).category()))) {
        out.add(new Retrieved(id, popularity.score(ranked[r])));
      }
    }
    return CompletableFuture.completedFuture(Answer.whole(out));
  }
}
