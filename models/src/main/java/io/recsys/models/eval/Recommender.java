package io.recsys.models.eval;

import io.recsys.common.features.Interaction;
import java.util.List;

/** A fitted model under evaluation: it scores every catalog item for a user, higher is better. */
public interface Recommender {

  String name();

  /**
   * One user to score: 0-based user, the interactions the model may see (oldest first) and the
   * time of the request (the held-out interaction's time, as a live request would come then).
   */
  record Query(int user, List<Interaction> history, long nowMs) {}

  /** Fills {@code out[q]} (one slot per catalog item) with the scores for {@code queries.get(q)}. */
  void score(List<Query> queries, float[][] out);
}
