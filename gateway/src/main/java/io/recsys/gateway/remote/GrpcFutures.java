package io.recsys.gateway.remote;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Bridges gRPC's future stubs to the pipeline's CompletableFutures. */
public final class GrpcFutures {

  private GrpcFutures() {}

  /**
   * Completes with {@code read} of the call's answer, or the failure, on the thread that receives
   * it; cancelling the returned future cancels the call (a late source is abandoned, not left
   * running).
   */
  public static <T, R> CompletableFuture<R> toCompletable(ListenableFuture<T> call, Function<T, R> read) {
    CompletableFuture<R> out = new CompletableFuture<>() {
      @Override
      public boolean cancel(boolean mayInterruptIfRunning) {
        call.cancel(false);
        return super.cancel(mayInterruptIfRunning);
      }
    };
    Futures.addCallback(call, new FutureCallback<>() {
      @Override
      public void onSuccess(T value) {
        try {
          out.complete(read.apply(value));
        } catch (RuntimeException e) {
          out.completeExceptionally(e);
        }
      }

      @Override
      public void onFailure(Throwable t) {
        out.completeExceptionally(t);
      }
    }, MoreExecutors.directExecutor());
    return out;
  }
}
