package io.recsys.gateway.scoring;

import io.grpc.Deadline;
import io.recsys.api.v1.RankCandidate;
import io.recsys.api.v1.RankRequest;
import io.recsys.api.v1.RankResponse;
import io.recsys.api.v1.RankingServiceGrpc.RankingServiceBlockingStub;
import io.recsys.api.v1.ScoredItem;
import io.recsys.api.v1.SourceScore;
import io.recsys.gateway.pipeline.Candidate;
import io.recsys.gateway.pipeline.RecommendQuery;
import io.recsys.gateway.pipeline.Scorer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The ranking server's model: every candidate with the sources that proposed it, in one call. */
public final class RankingScorer implements Scorer {

  private final RankingServiceBlockingStub stub;
  private final long timeoutMs;

  public RankingScorer(RankingServiceBlockingStub stub, long timeoutMs) {
    this.stub = stub;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public String name() {
    return "ranking";
  }

  @Override
  public long timeoutMs() {
    return timeoutMs;
  }

  @Override
  public Scored score(RecommendQuery query, List<Candidate> candidates, Deadline deadline) {
    RankRequest.Builder request = RankRequest.newBuilder()
        .setUserId(query.userId())
        .addAllRecentEvents(query.history())
        .setContext(query.context());
    Map<String, Candidate> byId = new LinkedHashMap<>();
    for (Candidate c : candidates) {
      byId.put(c.itemId(), c);
      RankCandidate.Builder rc = request.addCandidatesBuilder().setItemId(c.itemId());
      c.sourceScores().forEach((source, score) ->
          rc.addSources(SourceScore.newBuilder().setSource(source).setScore(score)));
    }
    RankResponse response = stub.withDeadline(deadline).rank(request.build());
    List<Candidate> ranked = new ArrayList<>(candidates.size());
    for (ScoredItem s : response.getItemsList()) {
      Candidate c = byId.remove(s.getItemId());
      if (c != null) {
        ranked.add(c.withScore(s.getScore()));
      }
    }
    ranked.sort(Comparator.comparingDouble(Candidate::score).reversed());
    // items the ranker did not score (e.g. unknown to its model) stay eligible, behind the scored ones
    byId.values().forEach(c -> ranked.add(c.withScore(0.0)));
    return new Scored(ranked, response.getModelVersion());
  }
}
