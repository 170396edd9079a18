package io.recsys.ranking;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
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
import io.recsys.ranking.batching.Scored;
import io.recsys.common.reload.BundleHolder;
import io.recsys.ranking.bundle.RankingBundle;
import io.recsys.ranking.serving.ServingRanker;
import io.recsys.ranking.features.CandidateRows;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Rank: validates the request, builds one feature row per candidate (the user profile once per
 * request), scores the rows through the dynamic batcher and returns the candidates best first.
 * Candidates the bundle does not know come last with score 0 and are counted in
 * {@code rank.unknown_candidates}.
 */
public final class RankingServiceImpl extends RankingServiceGrpc.RankingServiceImplBase {

  private static final Executor DIRECT = Runnable::run;

  /** The bundle in service and its batcher; a request keeps the one it started with. */
  private final BundleHolder<ServingRanker> ranker;
  private final RankRequestValidator validator;
  private final ServerCounters counters;

  public RankingServiceImpl(BundleHolder<ServingRanker> ranker, int maxCandidates, ServerCounters counters) {
    this.ranker = ranker;
    this.validator = new RankRequestValidator(maxCandidates);
    this.counters = counters;
  }

  @Override
  public void rank(RankRequest request, StreamObserver<RankResponse> out) {
    RankResponse response;
    try {
      response = rank(request);
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return;
    }
    out.onNext(response);
    out.onCompleted();
  }

  private RankResponse rank(RankRequest request) {
    long now = System.currentTimeMillis();
    validator.validate(request, now);
    try (BundleHolder.Lease<ServingRanker> lease = ranker.acquire()) {
      return rank(request, lease.get().bundle(), lease.get().batcher(), now);
    }
  }

  private RankResponse rank(RankRequest request, RankingBundle bundle, DynamicBatcher batcher, long now) {
    long requestTime = request.getContext().getRequestTimeMs() == 0 ? now : request.getContext().getRequestTimeMs();
    int user = bundle.users().indexOf(request.getUserId());
    List<Interaction> history = EventValidator.resolve(request.getRecentEventsList(), bundle.items(), requestTime);
    UserProfile profile = bundle.features().profile(user, history, requestTime);
    CandidateRows rows = CandidateRows.build(request.getCandidatesList(), profile, bundle.items(), bundle.features());
    if (!rows.unknownIds().isEmpty()) {
      counters.add("rank.unknown_candidates", rows.unknownIds().size());
    }
    Scored scored = rows.rows() == 0 ? new Scored(new float[0], 0) : score(rows, batcher);
    return response(rows, scored, bundle.version());
  }

  /**
   * Waits for the batcher, within the call's deadline; a cancelled call leaves the queue. Blocking
   * the call thread is fine here: gRPC's default executor grows, and the wait is one batch.
   */
  private Scored score(CandidateRows rows, DynamicBatcher batcher) {
    Context ctx = Context.current();
    Deadline deadline = ctx.getDeadline();
    long deadlineNanos = deadline == null
        ? DynamicBatcher.NO_DEADLINE
        : System.nanoTime() + deadline.timeRemaining(TimeUnit.NANOSECONDS);
    CompletableFuture<Scored> pending;
    try {
      pending = batcher.submit(rows.sparse(), rows.dense(), deadlineNanos);
    } catch (RejectedExecutionException e) {
      throw Status.UNAVAILABLE.withDescription(e.getMessage() + "; retry on another replica").asRuntimeException();
    }
    Context.CancellationListener cancel = c -> pending.cancel(false);
    ctx.addListener(cancel, DIRECT);
    try {
      return deadline == null
          ? pending.get()
          : pending.get(deadline.timeRemaining(TimeUnit.NANOSECONDS), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      pending.cancel(false);
      throw Status.DEADLINE_EXCEEDED.withDescription("deadline passed while " + rows.rows()
          + " candidates waited for the ranker").asRuntimeException();
    } catch (CancellationException e) {
      throw Status.CANCELLED.withDescription("the call was cancelled").asRuntimeException();
    } catch (InterruptedException e) {
      pending.cancel(false);
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted while waiting for the ranker").asRuntimeException();
    } catch (ExecutionException e) {
      throw failure(e.getCause());
    } finally {
      ctx.removeListener(cancel);
    }
  }

  private static StatusRuntimeException failure(Throwable cause) {
    if (cause instanceof ExpiredInQueueException) {
      return Status.DEADLINE_EXCEEDED.withDescription(cause.getMessage()).asRuntimeException();
    }
    if (cause instanceof RejectedExecutionException) {
      return Status.UNAVAILABLE.withDescription(cause.getMessage()).asRuntimeException();
    }
    return Status.INTERNAL.withDescription("the ranker model failed: " + cause).withCause(cause)
        .asRuntimeException();
  }

  private static RankResponse response(CandidateRows rows, Scored scored, String modelVersion) {
    float[] s = scored.scores();
    Integer[] order = new Integer[s.length];
    Arrays.setAll(order, i -> i);
    // stable: equal scores keep the request's order
    Arrays.sort(order, (a, b) -> Float.compare(s[b], s[a]));
    RankResponse.Builder out = RankResponse.newBuilder()
        .setModelVersion(modelVersion)
        .setBatchRows(scored.batchRows());
    for (int i : order) {
      out.addItems(ScoredItem.newBuilder().setItemId(rows.knownIds().get(i)).setScore(s[i]));
    }
    for (String id : rows.unknownIds()) {
      out.addItems(ScoredItem.newBuilder().setItemId(id).setScore(0f));
    }
    return out.build();
  }
}
