package io.recsys.cli.loadtest;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import io.recsys.api.v1.FeedbackRequest;
import io.recsys.api.v1.FeedbackResponse;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.RecommenderServiceGrpc;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A RecommenderService on a real port that answers at once, except that every call arriving in
 * one window (starting {@code stallAfterMs} after the first call, lasting {@code stallMs}) is
 * held until the window ends: the pause a GC, a model reload or a full queue causes.
 */
final class StallingRecommender extends RecommenderServiceGrpc.RecommenderServiceImplBase implements AutoCloseable {

  private final long stallAfterNanos;
  private final long stallNanos;
  private final AtomicLong firstCall = new AtomicLong();
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger maxPending = new AtomicInteger();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final Server server;

  StallingRecommender(long stallAfterMs, long stallMs) throws IOException {
    this.stallAfterNanos = TimeUnit.MILLISECONDS.toNanos(stallAfterMs);
    this.stallNanos = TimeUnit.MILLISECONDS.toNanos(stallMs);
    this.server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()).addService(this).build().start();
  }

  String target() {
    return "localhost:" + server.getPort();
  }

  /** The most calls that were ever waiting for their answer at once. */
  int maxPending() {
    return maxPending.get();
  }

  @Override
  public void recommend(RecommendRequest request, StreamObserver<RecommendResponse> out) {
    answer(RecommendResponse.newBuilder().setDegraded(request.getUserId().startsWith("loadtest-new-")).build(), out);
  }

  @Override
  public void feedback(FeedbackRequest request, StreamObserver<FeedbackResponse> out) {
    answer(FeedbackResponse.newBuilder().setAccepted(request.getEventsCount()).build(), out);
  }

  private <T> void answer(T response, StreamObserver<T> out) {
    maxPending.accumulateAndGet(pending.incrementAndGet(), Math::max);
    long now = System.nanoTime();
    firstCall.compareAndSet(0, now);
    long stallStart = firstCall.get() + stallAfterNanos;
    long wait = now >= stallStart ? stallStart + stallNanos - now : 0;
    if (wait > 0) {
      timer.schedule(() -> complete(response, out), wait, TimeUnit.NANOSECONDS);
    } else {
      complete(response, out);
    }
  }

  private <T> void complete(T response, StreamObserver<T> out) {
    pending.decrementAndGet();
    out.onNext(response);
    out.onCompleted();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    timer.shutdownNow();
  }
}
