package io.recsys.gateway.select;

import io.recsys.gateway.pipeline.Candidate;
import io.recsys.gateway.pipeline.RecommendQuery;
import io.recsys.gateway.pipeline.Selector;
import java.util.List;

/** The first k of the ranked candidates. */
public final class TopKSelector implements Selector {

  @Override
  public String name() {
    return "top_k";
  }

  @Override
  public List<Candidate> select(RecommendQuery query, List<Candidate> ranked) {
    return List.copyOf(ranked.subList(0, Math.min(query.k(), ranked.size())));
  }
}
