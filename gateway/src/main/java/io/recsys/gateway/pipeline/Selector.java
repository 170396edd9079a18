package io.recsys.gateway.pipeline;

import java.util.List;

/** Stage 7: picks what is returned. */
public interface Selector extends PipelineComponent {
  List<Candidate> select(RecommendQuery query, List<Candidate> ranked);
}
