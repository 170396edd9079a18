package io.recsys.gateway.pipeline;

import java.util.List;

/** Stage 6: reorders scored candidates for goals beyond the score (diversity, business rules). */
public interface Reranker extends PipelineComponent {
  List<Candidate> rerank(RecommendQuery query, List<Candidate> ranked);
}
