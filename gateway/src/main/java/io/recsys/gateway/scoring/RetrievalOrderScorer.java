package io.recsys.gateway.scoring;

import io.grpc.Deadline;
import io.recsys.common.bundle.Popularity;
import io.recsys.common.features.CandidateSources;
import io.recsys.gateway.pipeline.Candidate;
import io.recsys.gateway.pipeline.RecommendQuery;
import io.recsys.gateway.pipeline.Scorer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The fallback when the ranker fails or is late: the two-tower candidates by their retrieval score,
 * then the rest by popularity. Scores are rank-based (1 for the first, falling towards 0): only the
 * order means something.
 */
public final class RetrievalOrderScorer implements Scorer {

  private final Popularity popularity;

  public RetrievalOrderScorer(Popularity popularity) {
    this.popularity = popularity;
  }

  @Override
  public String name() {
    return "retrieval_order";
  }

  /** In memory: microseconds. */
  @Override
  public long timeoutMs() {
    return 10;
  }

  @Override
  public Scored score(RecommendQuery query, List<Candidate> candidates, Deadline deadline) {
    Comparator<Candidate> order = Comparator
        .comparingDouble((Candidate c) -> twoTowerScore(c)).reversed()
        .thenComparing(Comparator.comparingDouble((Candidate c) -> popularity.count(c.itemIndex())).reversed());
    List<Candidate> sorted = new ArrayList<>(candidates);
    sorted.sort(order);
    List<Candidate> ranked = new ArrayList<>(sorted.size());
    for (int r = 0; r < sorted.size(); r++) {
      ranked.add(sorted.get(r).withScore((double) (sorted.size() - r) / sorted.size()));
    }
    return new Scored(ranked, "");
  }

  private static double twoTowerScore(Candidate c) {
    Float s = c.sourceScore(CandidateSources.TWO_TOWER);
    return s == null ? Double.NEGATIVE_INFINITY : s;
  }
}
