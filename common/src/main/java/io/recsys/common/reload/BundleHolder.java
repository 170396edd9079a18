package io.recsys.common.reload;

import io.recsys.common.server.ServerCounters;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model bundle a server is serving, swappable while requests run. A request takes a
 * {@link Lease} for its whole duration; {@link #swap} makes new requests see the new bundle at
 * once, and the old one is closed when its last lease is returned, never under a running request.
 *
 * @param <B> the server's loaded bundle (models, indexes, tables)
 */
public final class BundleHolder<B extends AutoCloseable> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BundleHolder.class);

  private final AtomicReference<Counted<B>> current;
  private final Function<B, String> version;
  private volatile BundleWatcher watcher;

  public BundleHolder(B initial, Function<B, String> version) {
    this.current = new AtomicReference<>(new Counted<>(initial));
    this.version = version;
  }

  /** A bundle in use; close it (try-with-resources) when the request is done. */
  public static final class Lease<B extends AutoCloseable> implements AutoCloseable {
    private final Counted<B> counted;
    private boolean released;

    private Lease(Counted<B> counted) {
      this.counted = counted;
    }

    public B get() {
      return counted.bundle;
    }

    @Override
    public void close() {
      if (!released) {
        released = true;
        counted.release();
      }
    }
  }

  /**
   * Rolls this holder forward to newer bundles under {@code path} when it is a root of versioned
   * bundles (see {@link BundleWatcher}); the watcher stops when the holder closes.
   *
   * @param dirOf the directory a loaded bundle came from
   */
  public BundleHolder<B> watch(Path path, Function<B, Path> dirOf, BundleWatcher.Loader<B> loader,
                               ServerCounters counters, long intervalMillis) {
    watcher = BundleWatcher.start(path, this, dirOf, loader, counters, intervalMillis).orElse(null);
    return this;
  }

  public Lease<B> acquire() {
    while (true) {
      Counted<B> c = current.get();
      if (c.tryRetain()) {
        return new Lease<>(c);
      }
      // lost a race with swap(): that bundle is on its way out, take the new one
    }
  }

  /** Something read off the bundle now served, under a lease. */
  public <T> T read(Function<B, T> reader) {
    try (Lease<B> l = acquire()) {
      return reader.apply(l.get());
    }
  }

  /** The version now served. */
  public String version() {
    return read(version);
  }

  /** Serves {@code next} from now on; the previous bundle closes once its last request is done. */
  public void swap(B next) {
    Counted<B> old = current.getAndSet(new Counted<>(next));
    log.info("now serving bundle {} (was {}); the old one closes after its in-flight requests",
        version.apply(next), version.apply(old.bundle));
    old.release();
  }

  /** Stops watching for new bundles, then closes the current one once its requests are done. */
  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
    }
    current.get().release();
  }

  /** A bundle with a reference count; the holder owns one reference while it is current. */
  private static final class Counted<B extends AutoCloseable> {
    final B bundle;
    final AtomicInteger refs = new AtomicInteger(1);

    Counted(B bundle) {
      this.bundle = bundle;
    }

    boolean tryRetain() {
      while (true) {
        int r = refs.get();
        if (r == 0) {
          return false;
        }
        if (refs.compareAndSet(r, r + 1)) {
          return true;
        }
      }
    }

    void release() {
      if (refs.decrementAndGet() == 0) {
        try {
          bundle.close();
        } catch (Exception e) {
          log.warn("closing a retired bundle failed", e);
        }
      }
    }
  }
}
