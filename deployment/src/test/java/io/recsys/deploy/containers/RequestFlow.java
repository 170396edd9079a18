package io.recsys.deploy.containers;

import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.RecommenderServiceGrpc.RecommenderServiceBlockingStub;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Recommend calls sent one after another from a background thread while a test stops and starts
 * containers: counts answers, keeps the latest, and records every call that failed or answered
 * degraded. Bounded: it stops by itself after {@code maxDuration}.
 */
final class RequestFlow implements AutoCloseable {

  private final Supplier<RecommenderServiceBlockingStub> stub;
  private final List<String> users;
  private final int k;
  private final AtomicReference<RecommendResponse> latest = new AtomicReference<>();
  private final AtomicInteger answered = new AtomicInteger();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final List<String> degraded = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean closed;

  RequestFlow(Supplier<RecommenderServiceBlockingStub> stub, List<String> users, int k, Duration maxDuration) {
    this.stub = stub;
    this.users = users;
    this.k = k;
    long end = System.nanoTime() + maxDuration.toNanos();
    thread = Thread.ofPlatform().name("request-flow").daemon().start(() -> {
      for (int i = 0; !closed && System.nanoTime() < end; i++) {
        send(users.get(i % users.size()));
        pause();
      }
    });
  }

  private void send(String user) {
    try {
      RecommendResponse r = stub.get().recommend(RecommendRequest.newBuilder().setUserId(user).setK(k).build());
      if (r.getItemsCount() != k) {
        failures.add(user + ": " + r.getItemsCount() + " items instead of " + k);
      }
      if (r.getDegraded()) {
        degraded.add(user + ": " + r.getDegradedReasonsList());
      }
      latest.set(r);
      answered.incrementAndGet();
    } catch (RuntimeException e) {
      failures.add(user + ": " + e);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until an answer that arrived after this call satisfies the condition; returns it. */
  RecommendResponse awaitAnswer(Predicate<RecommendResponse> condition, Duration timeout) throws InterruptedException {
    int seen = answered.get();
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      RecommendResponse r = latest.get();
      if (answered.get() > seen && r != null && condition.test(r)) {
        return r;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no such answer within " + timeout + "; latest: " + latest.get()
        + "; failed calls: " + failures);
  }

  int answered() {
    return answered.get();
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  /** Answers marked degraded, with their reasons. */
  List<String> degraded() {
    return List.copyOf(degraded);
  }

  @Override
  public void close() {
    closed = true;
    try {
      thread.join(Duration.ofSeconds(20));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
