package io.recsys.ranking;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.recsys.api.v1.RankRequest;
import io.recsys.api.v1.RankResponse;
import io.recsys.api.v1.RankingServiceGrpc;
import io.recsys.api.v1.ScoredItem;
import io.recsys.common.features.Interaction;
import io.recsys.common.features.RankerFeatures.UserProfile;
import io.recsys.common.server.ServerCounters;
import io.recsys.common.validation.EventValidator;
import io.recsys.ranking.batching.DynamicBatcher;
import io.recsys.ranking.batching.ExpiredInQueueException;
import io.recsys.ranking.batching.QueueFullException;
import io.recsys.ranking.batching.Scored;
import io.recsys.common.reload.BundleHolder;
import io.recsys.ranking.bundle.RankingBundle;
import io.recsys.ranking.serving.ServingRanker;
import io.recsys.ranking.features.CandidateRows;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Rank: validates the request, builds one feature row per candidate (the user profile once per
 * request), scores the rows through the dynamic batcher and answers when the batch is scored,
 * without holding a thread while the request waits in the batcher. Candidates the bundle does not
 * know are not scored (score 0 last in the row form, NaN in the column form) and are counted in
 * {@code rank.unknown_candidates}.
 */
public final class RankingServiceImpl extends RankingServiceGrpc.RankingServiceImplBase {

  private static final Executor DIRECT = Runnable::run;

  /** The bundle in service and its batcher; a request keeps the one it started with. */
  private final BundleHolder<ServingRanker> ranker;
  private final RankRequestValidator validator;
  private final ServerCounters counters;
  /** Where answers are written once their batch is scored: off the batcher's one thread. */
  private final Executor responses;

  public RankingServiceImpl(BundleHolder<ServingRanker> ranker, int maxCandidates, ServerCounters counters,
                            Executor responses) {
    this.ranker = ranker;
    this.validator = new RankRequestValidator(maxCandidates);
    this.counters = counters;
    this.responses = responses;
  }

  @Override
  public void rank(RankRequest request, StreamObserver<RankResponse> out) {
    ServerCallStreamObserver<RankResponse> call = (ServerCallStreamObserver<RankResponse>) out;
    long now = System.currentTimeMillis();
    BundleHolder.Lease<ServingRanker> lease = null;
    // until the batcher's answer takes the lease over, it is released here, whatever happens: a
    // lease left open would hold the bundle forever and a later swap could never close it
    boolean handedOver = false;
    try {
      validator.validate(request, now);
      lease = ranker.acquire();
      RankingBundle bundle = lease.get().bundle();
      CandidateRows rows = rows(request, bundle, now);
      if (rows.rows() == 0) {
        send(call, response(request, rows, new Scored(new float[0], 0), bundle.version()));
        return;
      }
      CompletableFuture<Scored> pending = submit(rows, lease.get().batcher());
      // a cancelled call (or one past its deadline) leaves the queue before it costs model time
      Context.current().addListener(c -> pending.cancel(false), DIRECT);
      BundleHolder.Lease<ServingRanker> held = lease;
      pending.whenCompleteAsync((scored, failure) -> {
        try (held) {
          if (failure != null) {
            fail(call, failure(failure));
          } else {
            send(call, response(request, rows, scored, bundle.version()));
          }
        }
      }, responses);
      handedOver = true;
      // a failure is thrown on: ErrorMapping answers it with its status (unexpected ones INTERNAL, logged)
    } finally {
      if (lease != null && !handedOver) {
        lease.close();
      }
    }
  }

  private CandidateRows rows(RankRequest request, RankingBundle bundle, long now) {
    long requestTime = request.getContext().getRequestTimeMs() == 0 ? now : request.getContext().getRequestTimeMs();
    List<Interaction> history = EventValidator.resolve(request.getRecentEventsList(), bundle.items(), requestTime);
    UserProfile profile = bundle.features().profile(history, requestTime);
    CandidateRows rows = CandidateRows.build(request, profile, bundle.candidates(), bundle.features());
    if (rows.unknown() > 0) {
      counters.add("rank.unknown_candidates", rows.unknown());
    }
    return rows;
  }

  private static CompletableFuture<Scored> submit(CandidateRows rows, DynamicBatcher batcher) {
    Deadline deadline = Context.current().getDeadline();
    long deadlineNanos = deadline == null
        ? DynamicBatcher.NO_DEADLINE
        : System.nanoTime() + deadline.timeRemaining(TimeUnit.NANOSECONDS);
    try {
      return batcher.submit(rows.sparse(), rows.dense(), deadlineNanos);
    } catch (QueueFullException e) {
      // overload: refused at once (a closed batcher is UNAVAILABLE, see ErrorMapping)
      throw Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asRuntimeException();
    }
  }

  private static void send(ServerCallStreamObserver<RankResponse> call, RankResponse response) {
    if (!call.isCancelled()) {
      call.onNext(response);
      call.onCompleted();
    }
  }

  private static void fail(ServerCallStreamObserver<RankResponse> call, Throwable failure) {
    if (!call.isCancelled()) {
      call.onError(failure);
    }
  }

  /** The batcher's own failure; the rest (cancelled, closed, full, a model failure) ErrorMapping maps. */
  private static Throwable failure(Throwable cause) {
    if (cause instanceof ExpiredInQueueException) {
      return Status.DEADLINE_EXCEEDED.withDescription(cause.getMessage()).asRuntimeException();
    }
    return cause;
  }

  /**
   * The column form answers scores in request order (the caller sorts); the row form answers the
   * candidates best first, unknown ones last with score 0.
   */
  private static RankResponse response(RankRequest request, CandidateRows rows, Scored scored,
                                       String modelVersion) {
    float[] s = scored.scores();
    RankResponse.Builder out = RankResponse.newBuilder()
        .setModelVersion(modelVersion)
        .setBatchRows(scored.batchRows());
    if (request.hasColumns()) {
      for (int i = 0; i < rows.candidates(); i++) {
        int row = rows.rowOf()[i];
        out.addScores(row < 0 ? Float.NaN : s[row]);
      }
      return out.build();
    }
    Integer[] order = new Integer[rows.candidates()];
    Arrays.setAll(order, i -> i);
    // stable: equal scores keep the request's order; unknown candidates last
    Arrays.sort(order, (a, b) -> Float.compare(scoreOf(rows, s, b), scoreOf(rows, s, a)));
    for (int i : order) {
      int row = rows.rowOf()[i];
      out.addItems(ScoredItem.newBuilder().setItemId(CandidateRows.itemId(request, i)).setScore(row < 0 ? 0f : s[row]));
    }
    return out.build();
  }

  private static float scoreOf(CandidateRows rows, float[] scores, int candidate) {
    int row = rows.rowOf()[candidate];
    return row < 0 ? Float.NEGATIVE_INFINITY : scores[row];
  }
}
