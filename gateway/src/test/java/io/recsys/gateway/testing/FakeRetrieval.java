package io.recsys.gateway.testing;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.recsys.api.v1.Candidate;
import io.recsys.api.v1.ListSourcesRequest;
import io.recsys.api.v1.ListSourcesResponse;
import io.recsys.api.v1.RetrievalServiceGrpc;
import io.recsys.api.v1.RetrieveRequest;
import io.recsys.api.v1.RetrieveResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A retrieval server answering each source with a fixed list (best first, score falling from 1),
 * minus the request's exclude_item_ids; a source can be made slow or broken. Records requests.
 */
public final class FakeRetrieval extends RetrievalServiceGrpc.RetrievalServiceImplBase {

  private final Map<String, List<String>> lists = new ConcurrentHashMap<>();
  private final Map<String, Long> delaysMs = new ConcurrentHashMap<>();
  private final Set<String> broken = ConcurrentHashMap.newKeySet();
  private volatile boolean ignoreExcludes;
  public final List<RetrieveRequest> requests = new CopyOnWriteArrayList<>();

  public FakeRetrieval answer(String source, List<String> itemIds) {
    lists.put(source, List.copyOf(itemIds));
    return this;
  }

  public FakeRetrieval delay(String source, long ms) {
    delaysMs.put(source, ms);
    return this;
  }

  public FakeRetrieval breakSource(String source) {
    broken.add(source);
    return this;
  }

  /** Answers seen/excluded items anyway, so only the gateway's own filters can drop them. */
  public FakeRetrieval ignoreExcludes() {
    this.ignoreExcludes = true;
    return this;
  }

  public RetrieveRequest lastRequest(String source) {
    return requests.reversed().stream().filter(r -> r.getSource().equals(source)).findFirst().orElseThrow();
  }

  @Override
  public void retrieve(RetrieveRequest request, StreamObserver<RetrieveResponse> out) {
    requests.add(request);
    String source = request.getSource();
    if (broken.contains(source)) {
      out.onError(Status.UNAVAILABLE.withDescription(source + " is down").asRuntimeException());
      return;
    }
    long delay = delaysMs.getOrDefault(source, 0L);
    if (delay > 0) {
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<String> ids = lists.getOrDefault(source, List.of());
    Set<String> excluded = ignoreExcludes ? Set.of() : Set.copyOf(request.getExcludeItemIdsList());
    RetrieveResponse.Builder r = RetrieveResponse.newBuilder().setSource(source).setModelVersion(TestBundle.VERSION);
    for (int i = 0; i < ids.size() && r.getCandidatesCount() < request.getK(); i++) {
      if (!excluded.contains(ids.get(i))) {
        r.addCandidates(Candidate.newBuilder().setItemId(ids.get(i)).setScore(1f - i / 100f));
      }
    }
    out.onNext(r.build());
    out.onCompleted();
  }

  @Override
  public void listSources(ListSourcesRequest request, StreamObserver<ListSourcesResponse> out) {
    out.onNext(ListSourcesResponse.newBuilder().addAllSources(lists.keySet()).build());
    out.onCompleted();
  }
}
