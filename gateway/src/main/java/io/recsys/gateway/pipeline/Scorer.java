package io.recsys.gateway.pipeline;

import io.grpc.Deadline;
import java.util.List;

/** Stage 5: gives every candidate its final score. */
public interface Scorer extends PipelineComponent {

  /** Milliseconds this scorer may take (the pipeline caps it by the client's deadline). */
  long timeoutMs();

  /**
   * @param candidates non-empty
   * @return the candidates with their scores, best first
   */
  Scored score(RecommendQuery query, List<Candidate> candidates, Deadline deadline);

  /** @param modelVersion the model that scored them; empty when no model did */
  record Scored(List<Candidate> ranked, String modelVersion) {}
}
