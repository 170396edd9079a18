package io.recsys.common.index;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports whether Lucene scores vectors with the Java Vector API. Without
 * {@code --add-modules jdk.incubator.vector} Lucene silently falls back to scalar code that is
 * 1.4-1.6x slower, so servers say so loudly at start.
 */
public final class LuceneVectorization {

  private static final Logger log = LoggerFactory.getLogger(LuceneVectorization.class);
  private static final String MODULE = "jdk.incubator.vector";
  private static final AtomicBoolean LOGGED = new AtomicBoolean();

  private LuceneVectorization() {}

  /**
   * True when the incubator vector module is in the boot layer, which Lucene needs to vectorize.
   * (Lucene's own VectorizationProvider refuses callers outside Lucene, so we check its precondition.)
   */
  public static boolean available() {
    return ModuleLayer.boot().findModule(MODULE).isPresent();
  }

  /** Logs the state, once per JVM; called where Lucene's vector search starts (build, open). */
  public static void logStatus() {
    if (LOGGED.getAndSet(true)) {
      return;
    }
    if (available()) {
      log.info("Lucene vector search can use the Java Vector API ({} is loaded)", MODULE);
    } else {
      log.warn("Lucene vector search runs WITHOUT the Java Vector API (1.4-1.6x slower): start the JVM"
          + " with --add-modules {} (bin/recsys and the container images do)", MODULE);
    }
  }
}
