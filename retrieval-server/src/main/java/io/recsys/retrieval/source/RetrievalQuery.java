package io.recsys.retrieval.source;

import io.recsys.common.features.Interaction;
import java.util.List;

/**
 * Who asks, resolved against the bundle.
 *
 * @param userIndex the user's dense index, {@link io.recsys.common.bundle.UserTable#UNKNOWN} for new users
 * @param history events on items the bundle knows, oldest first
 */
public record RetrievalQuery(String userId, int userIndex, List<Interaction> history) {

  public RetrievalQuery {
    history = List.copyOf(history);
  }
}
