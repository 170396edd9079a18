package io.recsys.gateway;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.recsys.api.v1.FeedbackRequest;
import io.recsys.api.v1.FeedbackResponse;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.RecommendedItem;
import io.recsys.api.v1.RecommenderServiceGrpc;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.validation.ContextValidator;
import io.recsys.common.validation.EventValidator;
import io.recsys.gateway.experiment.ExperimentArms;
import io.recsys.gateway.experiment.ExperimentMetrics;
import io.recsys.gateway.history.HistoryEvents;
import io.recsys.common.reload.BundleHolder;
import io.recsys.gateway.pipeline.Candidate;
import io.recsys.gateway.pipeline.RecommendQuery;
import io.recsys.gateway.pipeline.RecommendResult;
import io.recsys.gateway.state.UserState;
import java.io.IOException;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * The public API: validates requests, runs the pipeline for Recommend, and writes Feedback into the
 * event log (durable before OK) and the user's history at once (so the next Recommend filters what
 * was bought and queries with it). Every answer is logged too (see {@link UserState}).
 */
public final class RecommenderServiceImpl extends RecommenderServiceGrpc.RecommenderServiceImplBase {

  public static final int MAX_K = 200;
  public static final int MAX_EXCLUDED_ITEMS = 1000;
  /** The log context key of a Recommend's request id (the one its answer and Feedback carry). */
  static final String REQUEST_ID = "request_id";

  /** The pipeline of the bundle in service; a request keeps the one it started with. */
  private final BundleHolder<ServingPipeline> serving;
  private final UserState state;
  private final ExperimentArms arms;
  private final ExperimentMetrics metrics;

  RecommenderServiceImpl(BundleHolder<ServingPipeline> serving, UserState state,
                         ExperimentArms arms, ExperimentMetrics metrics) {
    this.serving = serving;
    this.state = state;
    this.arms = arms;
    this.metrics = metrics;
  }

  @Override
  public void recommend(RecommendRequest request, StreamObserver<RecommendResponse> out) {
    // known from the start, so every log line of the request carries it (MDC request_id)
    String requestId = UUID.randomUUID().toString();
    try (MDC.MDCCloseable ignored = MDC.putCloseable(REQUEST_ID, requestId)) {
      recommend(request, requestId, out);
    }
  }

  private void recommend(RecommendRequest request, String requestId, StreamObserver<RecommendResponse> out) {
    answer(out, () -> {
      long now = System.currentTimeMillis();
      validate(request, now);
      RecommendQuery query = RecommendQuery.of(request.getUserId(),
          HistoryEvents.interest(request.getRecentEventsList(), now), request.getContext(),
          request.getFilters(), request.getK(), request.getDebug(), now);
      try (BundleHolder.Lease<ServingPipeline> lease = serving.acquire()) {
        // the caller's deadline bounds every stage; null when the caller set none
        RecommendResult result = lease.get().pipeline().run(query, io.grpc.Context.current().getDeadline());
        RecommendResponse response = toResponse(requestId, result, lease.get().bundle().catalog());
        // the arm from its hash, as Feedback logs it: also when the arm hydrator ran late
        state.recordAnswer(request.getUserId(), arms.armOf(request.getUserId()), lease.get().bundle().version(),
            request.getK(), response);
        return response;
      }
    });
  }

  @Override
  public void feedback(FeedbackRequest request, StreamObserver<FeedbackResponse> out) {
    // the request id of the answer the feedback is about, when the client sends it
    try (MDC.MDCCloseable ignored = MDC.putCloseable(REQUEST_ID, request.getRequestId())) {
      recordFeedback(request, out);
    }
  }

  private void recordFeedback(FeedbackRequest request, StreamObserver<FeedbackResponse> out) {
    answer(out, () -> {
      long now = System.currentTimeMillis();
      EventValidator.validateUserId(request.getUserId());
      if (request.getEventsCount() == 0) {
        throw EventValidator.invalid("events is empty: send 1.." + EventValidator.MAX_EVENTS + " events");
      }
      EventValidator.validate(request.getEventsList(), "events", now);
      String arm = arms.armOf(request.getUserId());
      int size;
      try {
        size = state.recordFeedback(request.getUserId(), request.getRequestId(), arm, request.getEventsList(), now);
      } catch (IOException e) {
        throw Status.UNAVAILABLE.withDescription("feedback not recorded, send it again: " + e.getMessage())
            .withCause(e).asRuntimeException();
      }
      metrics.recordFeedback(arm, request.getEventsList());
      return FeedbackResponse.newBuilder()
          .setAccepted(request.getEventsCount())
          .setHistorySize(size)
          .build();
    });
  }

  private static void validate(RecommendRequest request, long now) {
    EventValidator.validateUserId(request.getUserId());
    if (request.getK() < 1 || request.getK() > MAX_K) {
      throw EventValidator.invalid("k is " + request.getK() + "; ask for 1.." + MAX_K + " items");
    }
    EventValidator.validate(request.getRecentEventsList(), "recent_events", now);
    // what retrieval and ranking would refuse is refused here: an error, not a degraded answer
    ContextValidator.validate(request.getContext(), "context", now);
    if (request.getFilters().getExcludeItemIdsCount() > MAX_EXCLUDED_ITEMS) {
      throw EventValidator.invalid("filters.exclude_item_ids has " + request.getFilters().getExcludeItemIdsCount()
          + " ids; at most " + MAX_EXCLUDED_ITEMS + " (items the user has seen are excluded already)");
    }
  }

  private static RecommendResponse toResponse(String requestId, RecommendResult result, ItemCatalog catalog) {
    RecommendResponse.Builder r = RecommendResponse.newBuilder()
        .setRequestId(requestId)
        .setModelVersion(result.modelVersion())
        .setDegraded(result.degraded())
        .addAllDegradedReasons(result.degradedReasons());
    for (Candidate c : result.items()) {
      ItemCatalog.Item item = catalog.get(c.itemIndex());
      r.addItems(RecommendedItem.newBuilder()
          .setItemId(c.itemId())
          .setScore(c.score())
          .addAllSources(c.sources())
          .setCategory(item.category())
          .setTitle(item.title()));
    }
    if (result.debug() != null) {
      r.setDebug(result.debug());
    }
    return r.build();
  }

  /**
   * Sends the value; a failure is thrown on to {@link io.recsys.common.server.ErrorMapping}, which
   * answers it with its status (unexpected ones as INTERNAL, logged).
   */
  private static <T> void answer(StreamObserver<T> out, Supplier<T> call) {
    T value = call.get();
    out.onNext(value);
    out.onCompleted();
  }
}
