package io.recsys.gateway.sources;

import io.grpc.Deadline;
import io.recsys.api.v1.Candidate;
import io.recsys.api.v1.RetrievalServiceGrpc.RetrievalServiceBlockingStub;
import io.recsys.api.v1.RetrieveRequest;
import io.recsys.api.v1.RetrieveResponse;
import io.recsys.gateway.pipeline.CandidateSource;
import io.recsys.gateway.pipeline.RecommendQuery;
import java.util.ArrayList;
import java.util.List;

/**
 * One named source of the retrieval server ("two_tower", "popular", ...). It sends the merged
 * history (so the user tower sees the latest Feedback) and the items the gateway would drop anyway,
 * so the server fills the quota with items that can be shown.
 */
public final class RemoteRetrievalSource implements CandidateSource {

  private final String source;
  private final RetrievalServiceBlockingStub stub;
  private final int quota;
  private final long timeoutMs;

  public RemoteRetrievalSource(String source, RetrievalServiceBlockingStub stub, int quota, long timeoutMs) {
    this.source = source;
    this.stub = stub;
    this.quota = quota;
    this.timeoutMs = timeoutMs;
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
  public List<Retrieved> fetch(RecommendQuery query, Deadline deadline) {
    RetrieveResponse response = stub.withDeadline(deadline).retrieve(RetrieveRequest.newBuilder()
        .setSource(source)
        .setUserId(query.userId())
        .addAllRecentEvents(query.history())
        .setContext(query.context())
        .setK(quota)
        .addAllExcludeItemIds(query.excludedItemIds())
        .build());
    List<Retrieved> out = new ArrayList<>(Math.min(quota, response.getCandidatesCount()));
    for (Candidate c : response.getCandidatesList()) {
      if (out.size() == quota) {
        break;
      }
      out.add(new Retrieved(c.getItemId(), c.getScore()));
    }
    return out;
  }
}
