package io.recsys.gateway.pipeline;

import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;

/**
 * Runs one piece of work per component in parallel, each under its own deadline, and reports per
 * component what came back or why nothing did. A component that is late is abandoned (its task
 * cancelled) rather than waited for: the request goes on without it.
 */
final class ParallelStage {

  /** Time granted beyond a deadline, so a remote call's own DEADLINE_EXCEEDED can arrive first. */
  private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  /** @param failure null when the component answered; else "timeout: ..." or "failed: ..." */
  record Outcome<C, T>(C component, T value, String failure, long micros) {
    boolean ok() {
      return failure == null;
    }

    String status() {
      return ok() ? RequestTrace.OK : failure;
    }
  }

  private record Timed<T>(T value, long micros) {}

  private ParallelStage() {}

  /**
   * Starts every component's work, then collects the answers in order, each within its own
   * deadline. The work itself decides where it runs: a remote call completes on the network thread,
   * local work may complete at once.
   */
  static <C extends PipelineComponent, T> List<Outcome<C, T>> run(
      List<C> components, RequestDeadline deadline, ToLongFunction<C> timeoutMs,
      BiFunction<C, Deadline, CompletableFuture<T>> work) {
    long start = System.nanoTime();
    List<Deadline> deadlines = new ArrayList<>(components.size());
    List<Long> budgetsMs = new ArrayList<>(components.size());
    List<CompletableFuture<T>> started = new ArrayList<>(components.size());
    List<CompletableFuture<Timed<T>>> futures = new ArrayList<>(components.size());
    for (C c : components) {
      Deadline d = deadline.forStage(timeoutMs.applyAsLong(c));
      deadlines.add(d);
      budgetsMs.add(d.timeRemaining(TimeUnit.MILLISECONDS));
      long s = System.nanoTime();
      CompletableFuture<T> pending;
      try {
        pending = work.apply(c, d);
      } catch (RuntimeException e) {
        pending = CompletableFuture.failedFuture(e);
      }
      started.add(pending);
      futures.add(pending.thenApply(value -> new Timed<>(value, RequestTrace.microsSince(s))));
    }
    List<Outcome<C, T>> outcomes = new ArrayList<>(components.size());
    for (int i = 0; i < components.size(); i++) {
      C c = components.get(i);
      CompletableFuture<Timed<T>> f = futures.get(i);
      try {
        long wait = Math.max(0, deadlines.get(i).timeRemaining(TimeUnit.NANOSECONDS)) + GRACE_NANOS;
        Timed<T> t = f.get(wait, TimeUnit.NANOSECONDS);
        outcomes.add(new Outcome<>(c, t.value(), null, t.micros()));
      } catch (TimeoutException | CancellationException e) {
        // the work's own future: cancelling it abandons a remote call
        started.get(i).cancel(true);
        outcomes.add(new Outcome<>(c, null, timeout(budgetsMs.get(i)),
            RequestTrace.microsSince(start)));
      } catch (ExecutionException e) {
        // get() reports the work's own failure, unwrapped from the CompletionException of thenApply
        outcomes.add(new Outcome<>(c, null, describe(e.getCause(), budgetsMs.get(i)),
            RequestTrace.microsSince(start)));
      } catch (InterruptedException e) {
        started.forEach(x -> x.cancel(true));
        Thread.currentThread().interrupt();
        throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
      }
    }
    return outcomes;
  }

  /** A short reason for a failed stage: "timeout: ..." or "failed: CODE: description". */
  static String describe(Throwable t, long timeoutMs) {
    Status s = Status.fromThrowable(t);
    if (s.getCode() == Status.Code.DEADLINE_EXCEEDED) {
      return timeout(timeoutMs);
    }
    if (t instanceof StatusRuntimeException || t instanceof StatusException) {
      return "failed: " + s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
    }
    return "failed: " + t;
  }

  private static String timeout(long timeoutMs) {
    return "timeout: no answer within " + timeoutMs + " ms";
  }
}
