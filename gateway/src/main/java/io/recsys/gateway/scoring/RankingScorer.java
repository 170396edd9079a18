package io.recsys.gateway.scoring;

import io.grpc.Deadline;
import io.recsys.api.v1.CandidateColumns;
import io.recsys.api.v1.RankRequest;
import io.recsys.api.v1.RankResponse;
import io.recsys.api.v1.RankingServiceGrpc.RankingServiceBlockingStub;
import io.recsys.api.v1.SourceColumn;
import io.recsys.gateway.pipeline.Candidate;
import io.recsys.gateway.pipeline.RecommendQuery;
import io.recsys.gateway.pipeline.Scorer;
import io.recsys.gateway.pipeline.SourceScores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ranking server's model: every candidate with the sources that proposed it, in one call. The
 * candidates go as columns (one packed score column per source) and the scores come back in
 * request order: no message per candidate either way.
 */
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
    RankResponse response = stub.withDeadline(deadline).rank(RankRequest.newBuilder()
        .setUserId(query.userId())
        .addAllRecentEvents(query.history())
        .setContext(query.context())
        .setColumns(columns(candidates))
        .build());
    if (response.getScoresCount() != candidates.size()) {
      throw new IllegalStateException("the ranking server answered " + response.getScoresCount()
          + " scores for " + candidates.size() + " candidates");
    }
    List<Candidate> ranked = new ArrayList<>(candidates.size());
    List<Candidate> unscored = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      float score = response.getScores(i);
      if (Float.isNaN(score)) {
        unscored.add(candidates.get(i).withScore(0.0));
      } else {
        ranked.add(candidates.get(i).withScore(score));
      }
    }
    ranked.sort(Comparator.comparingDouble(Candidate::score).reversed());
    // items the ranker did not score (e.g. unknown to its model) stay eligible, behind the scored ones
    ranked.addAll(unscored);
    return new Scored(ranked, response.getModelVersion());
  }

  /** One score column per source, NaN where the source did not propose the item. */
  static CandidateColumns columns(List<Candidate> candidates) {
    int n = candidates.size();
    CandidateColumns.Builder out = CandidateColumns.newBuilder();
    Map<String, float[]> bySource = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      Candidate c = candidates.get(i);
      out.addItemIds(c.itemId());
      SourceScores s = c.sourceScores();
      for (int j = 0; j < s.size(); j++) {
        bySource.computeIfAbsent(s.source(j), x -> nanColumn(n))[i] = s.score(j);
      }
    }
    bySource.forEach((source, scores) -> {
      SourceColumn.Builder column = out.addSourcesBuilder().setSource(source);
      for (float v : scores) {
        column.addScores(v);
      }
    });
    return out.build();
  }

  private static float[] nanColumn(int n) {
    float[] column = new float[n];
    Arrays.fill(column, Float.NaN);
    return column;
  }
}
