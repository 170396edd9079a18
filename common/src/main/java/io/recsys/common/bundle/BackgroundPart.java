package io.recsys.common.bundle;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * A part of a bundle (a SavedModel: TensorFlow's native runtime and graph) loaded on another thread
 * while the caller reads the rest: a restart costs the longer of the two, not their sum.
 */
public final class BackgroundPart<T extends AutoCloseable> {

  private final CompletableFuture<T> part;

  private BackgroundPart(CompletableFuture<T> part) {
    this.part = part;
  }

  public static <T extends AutoCloseable> BackgroundPart<T> load(Supplier<T> loader) {
    return new BackgroundPart<>(CompletableFuture.supplyAsync(loader));
  }

  /** Waits for the part; a failed load is rethrown as the loader threw it. */
  public T get() {
    try {
      return part.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** Closes the part whenever it arrives: the rest of the bundle failed, so nobody will take it. */
  public void discard() {
    part.thenAccept(p -> {
      try {
        p.close();
      } catch (Exception e) {
        // nothing holds it; the failure that discards it is the one to report
      }
    });
  }
}
