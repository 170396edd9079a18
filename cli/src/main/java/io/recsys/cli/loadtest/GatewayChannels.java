package io.recsys.cli.loadtest;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.recsys.api.v1.FeedbackResponse;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.RecommenderServiceGrpc;
import io.recsys.api.v1.RecommenderServiceGrpc.RecommenderServiceStub;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Several plaintext channels (one connection each) to the gateway, used round robin, and the one
 * way the harness sends a call: asynchronously, with a deadline, completing with its outcome.
 * Completions run on the transport's threads (direct executor): they only record, never block.
 */
public final class GatewayChannels implements AutoCloseable {

  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<RecommenderServiceStub> stubs = new ArrayList<>();
  private final AtomicInteger next = new AtomicInteger();
  private final long timeoutMs;

  public GatewayChannels(String target, int count, long timeoutMs) {
    if (count < 1) {
      throw new IllegalArgumentException("--channels must be >= 1, got " + count);
    }
    this.timeoutMs = timeoutMs;
    for (int i = 0; i < count; i++) {
      ManagedChannel ch = ManagedChannelBuilder.forTarget(target).usePlaintext().directExecutor().build();
      ch.getState(true); // connect now, not on the first measured call
      channels.add(ch);
      stubs.add(RecommenderServiceGrpc.newStub(ch));
    }
  }

  public CompletableFuture<CallOutcome> send(TrafficMix.Call call) {
    RecommenderServiceStub stub = stubs.get(Math.floorMod(next.getAndIncrement(), stubs.size()))
        .withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS);
    CompletableFuture<CallOutcome> done = new CompletableFuture<>();
    switch (call) {
      case TrafficMix.Call.Recommend r -> stub.recommend(r.request(), new Completion<>(done, false) {
        @Override
        public void onNext(RecommendResponse response) {
          degraded = response.getDegraded();
        }
      });
      case TrafficMix.Call.Feedback f -> stub.feedback(f.request(), new Completion<FeedbackResponse>(done, true));
    }
    return done;
  }

  /** Completes the future with the call's outcome once the call ends. */
  private static class Completion<T> implements StreamObserver<T> {
    private final CompletableFuture<CallOutcome> done;
    private final boolean feedback;
    boolean degraded;

    Completion(CompletableFuture<CallOutcome> done, boolean feedback) {
      this.done = done;
      this.feedback = feedback;
    }

    @Override
    public void onNext(T value) {}

    @Override
    public void onError(Throwable t) {
      done.complete(CallOutcome.error(Status.fromThrowable(t).getCode().name(), feedback));
    }

    @Override
    public void onCompleted() {
      done.complete(CallOutcome.ok(degraded, feedback));
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel ch : channels) {
      ch.shutdownNow();
    }
    for (ManagedChannel ch : channels) {
      ch.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
