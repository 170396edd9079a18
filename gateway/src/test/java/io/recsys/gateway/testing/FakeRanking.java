package io.recsys.gateway.testing;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.recsys.api.v1.RankCandidate;
import io.recsys.api.v1.RankRequest;
import io.recsys.api.v1.RankResponse;
import io.recsys.api.v1.RankingServiceGrpc;
import io.recsys.api.v1.ScoredItem;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A ranking server that prefers higher item ids (i29 best): an order no retrieval list in the tests
 * has, so a test can tell who ordered a response. Can be taken down or made slow. Records requests.
 */
public final class FakeRanking extends RankingServiceGrpc.RankingServiceImplBase {

  public static final String MODEL_VERSION = "ranker-test";

  private volatile boolean down;
  private volatile long delayMs;
  public final List<RankRequest> requests = new CopyOnWriteArrayList<>();

  public FakeRanking down() {
    this.down = true;
    return this;
  }

  public FakeRanking delay(long ms) {
    this.delayMs = ms;
    return this;
  }

  /** Score of an item: its number / 100 (i29 -> 0.29). */
  public static float scoreOf(String itemId) {
    return Integer.parseInt(itemId.substring(1)) / 100f;
  }

  @Override
  public void rank(RankRequest request, StreamObserver<RankResponse> out) {
    requests.add(request);
    if (down) {
      out.onError(Status.UNAVAILABLE.withDescription("ranker is down").asRuntimeException());
      return;
    }
    if (delayMs > 0) {
      try {
        Thread.sleep(delayMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    RankResponse.Builder r = RankResponse.newBuilder().setModelVersion(MODEL_VERSION);
    if (request.hasColumns()) {
      r.setBatchRows(request.getColumns().getItemIdsCount());
      request.getColumns().getItemIdsList().forEach(id -> r.addScores(scoreOf(id)));
    } else {
      r.setBatchRows(request.getCandidatesCount());
      request.getCandidatesList().stream()
          .map(RankCandidate::getItemId)
          .sorted(Comparator.comparingDouble(FakeRanking::scoreOf).reversed())
          .forEach(id -> r.addItems(ScoredItem.newBuilder().setItemId(id).setScore(scoreOf(id))));
    }
    out.onNext(r.build());
    out.onCompleted();
  }
}
