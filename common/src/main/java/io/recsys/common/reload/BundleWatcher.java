package io.recsys.common.reload;

import io.recsys.common.bundle.BundleLayout;
import io.recsys.common.server.ServerCounters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls a server forward to newer bundles: every interval it looks for the newest complete bundle
 * under a root of versioned bundles; when that is not the one served, it loads it beside the old
 * one (load includes the server's checks and warm-up) and swaps it in. A bundle that fails to load
 * is refused and logged once, and the old one keeps serving.
 */
public final class BundleWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BundleWatcher.class);

  /** Loads a bundle directory completely, or throws. */
  @FunctionalInterface
  public interface Loader<B> {
    B load(Path bundleDir) throws Exception;
  }

  private final Path root;
  private final Runnable check;
  private final ScheduledExecutorService timer;
  /** Directory names of the bundle served and of the last one refused (not retried). */
  private volatile String served;
  private volatile String refused = "";

  private <B extends AutoCloseable> BundleWatcher(Path root, BundleHolder<B> holder, Function<B, Path> dirOf,
                                                  Loader<B> loader, ServerCounters counters, long intervalMs) {
    this.root = root;
    this.served = holder.read(dirOf).getFileName().toString();
    this.check = () -> checkOnce(holder, loader, counters);
    this.timer = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("bundle-watcher").daemon().factory());
    timer.scheduleWithFixedDelay(check, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts watching when {@code path} is a root of versioned bundles (not a single bundle
   * directory) and the interval is positive; otherwise returns empty.
   *
   * @param dirOf the directory a loaded bundle came from (its name is compared with the newest)
   */
  static <B extends AutoCloseable> Optional<BundleWatcher> start(
      Path path, BundleHolder<B> holder, Function<B, Path> dirOf, Loader<B> loader, ServerCounters counters,
      long intervalMs) {
    if (intervalMs <= 0 || Files.isRegularFile(path.resolve(BundleLayout.MANIFEST))) {
      return Optional.empty();
    }
    log.info("watching {} for new bundles every {} ms", path, intervalMs);
    return Optional.of(new BundleWatcher(path, holder, dirOf, loader, counters, intervalMs));
  }

  private <B extends AutoCloseable> void checkOnce(BundleHolder<B> h, Loader<B> loader, ServerCounters counters) {
    try {
      Optional<BundleLayout> newest = BundleLayout.newestUnder(root);
      if (newest.isEmpty()) {
        return;
      }
      String name = newest.get().dir().getFileName().toString();
      if (name.equals(served) || name.equals(refused)) {
        return;
      }
      B next;
      try {
        next = loader.load(newest.get().dir());
      } catch (Exception e) {
        refused = name;
        counters.increment("bundle.refused");
        log.error("refused bundle {}: {}; still serving {}", newest.get().dir(), e.getMessage(), h.version());
        return;
      }
      h.swap(next);
      served = name;
      counters.increment("bundle.swaps");
    } catch (Exception e) {
      log.warn("looking for new bundles under {} failed", root, e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
