package io.recsys.gateway.pipeline;

import io.grpc.Deadline;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Stage 2: proposes candidates. Sources run in parallel, each bounded by its own deadline; one that
 * throws or runs late is dropped by the pipeline and the request goes on without it.
 */
public interface CandidateSource extends PipelineComponent {

  /** Milliseconds this source may take (the pipeline caps it by the client's deadline). */
  long timeoutMs();

  /**
   * Starts fetching: a remote source completes from the network thread when its answer arrives (no
   * thread waits for it), a local one completes at once.
   *
   * @return candidates best first, at most this source's quota
   */
  CompletableFuture<Answer> fetch(RecommendQuery query, Deadline deadline);

  /** One proposal of a source: an item and the source's own score for it. */
  record Retrieved(String itemId, float score) {}

  /**
   * What a source answered.
   *
   * @param missing why the candidates may be incomplete (e.g. a shard of the index that did not
   *     answer in time): each degrades the response without dropping the source; empty when whole
   */
  record Answer(List<Retrieved> candidates, List<String> missing) {

    public Answer {
      candidates = List.copyOf(candidates);
      missing = List.copyOf(missing);
    }

    public static Answer whole(List<Retrieved> candidates) {
      return new Answer(candidates, List.of());
    }

    public boolean partial() {
      return !missing.isEmpty();
    }
  }
}
