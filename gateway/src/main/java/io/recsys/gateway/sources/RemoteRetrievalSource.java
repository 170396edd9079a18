package io.recsys.gateway.sources;

import io.grpc.Deadline;
import io.recsys.api.v1.Candidate;
import io.recsys.api.v1.RetrievalServiceGrpc.RetrievalServiceFutureStub;
import io.recsys.api.v1.RetrieveRequest;
import io.recsys.api.v1.RetrieveResponse;
import io.recsys.gateway.pipeline.CandidateSource;
import io.recsys.gateway.pipeline.RecommendQuery;
import io.recsys.gateway.remote.GrpcFutures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One named source of the retrieval server ("two_tower", "popular", ...). A personalised source
 * gets the merged history (so the user tower sees the latest Feedback); every source gets the items
 * the gateway would drop anyway, so it fills the quota with items that can be shown.
 */
public final class RemoteRetrievalSource implements CandidateSource {

  private final String source;
  private final RetrievalServiceFutureStub stub;
  private final int quota;
  private final long timeoutMs;
  private final boolean personalised;

  /**
   * @param personalised false for a source that answers every user alike (e.g. popular): it is sent
   *     no history or context, which it would only parse and validate
   */
  public RemoteRetrievalSource(String source, RetrievalServiceFutureStub stub, int quota, long timeoutMs,
                               boolean personalised) {
    this.source = source;
    this.stub = stub;
    this.quota = quota;
    this.timeoutMs = timeoutMs;
    this.personalised = personalised;
  }

  @Override
  public String name() {
    return source;
  }

  @Override
  public long timeoutMs() {
    return timeoutMs;
  }

  @Override
  public CompletableFuture<Answer> fetch(RecommendQuery query, Deadline deadline) {
    RetrieveRequest.Builder request = RetrieveRequest.newBuilder()
        .setSource(source)
        .setUserId(query.userId())
        .setK(quota)
        .addAllExcludeItemIds(query.excludedItemIds())
        // pushed down so the source fills k with these categories; CategoryFilter still checks
        .addAllIncludeCategories(query.filters().getIncludeCategoriesList());
    if (personalised) {
      request.addAllRecentEvents(query.history()).setContext(query.context());
    }
    return GrpcFutures.toCompletable(stub.withDeadline(deadline).retrieve(request.build()), this::candidates);
  }

  private Answer candidates(RetrieveResponse response) {
    List<Retrieved> out = new ArrayList<>(Math.min(quota, response.getCandidatesCount()));
    for (Candidate c : response.getCandidatesList()) {
      if (out.size() == quota) {
        break;
      }
      out.add(new Retrieved(c.getItemId(), c.getScore()));
    }
    return Answer.whole(out);
  }
}
