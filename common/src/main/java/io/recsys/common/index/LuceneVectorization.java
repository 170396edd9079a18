package io.recsys.common.index;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;
import org.apache.lucene.codecs.hnsw.FlatVectorsScorer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports whether Lucene scores vectors with the Java Vector API. Without
 * {@code --add-modules jdk.incubator.vector} (or on a JDK that Lucene does not vectorize) Lucene
 * silently falls back to scalar code that is 1.4-1.6x slower, so servers say so loudly at start.
 */
public final class LuceneVectorization {

  private static final Logger log = LoggerFactory.getLogger(LuceneVectorization.class);
  private static final String MODULE = "jdk.incubator.vector";
  private static final AtomicBoolean LOGGED = new AtomicBoolean();

  private LuceneVectorization() {}

  /**
   * True when the vector scorer that Lucene's HNSW format uses is its vectorized one. Lucene picks
   * it once per JVM from the module, the JDK version and its system properties; asking for the
   * scorer checks the outcome rather than one of the preconditions.
   */
  public static boolean available() {
    return !(scorer() instanceof DefaultFlatVectorScorer);
  }

  private static FlatVectorsScorer scorer() {
    return FlatVectorScorerUtil.getLucene99FlatVectorsScorer();
  }

  /**
   * Logs the state, once per JVM; called where Lucene's vector search starts (index build, and
   * index open, which is where the retrieval server loads its bundle at start).
   */
  public static void logStatus() {
    if (LOGGED.getAndSet(true)) {
      return;
    }
    if (available()) {
      log.info("Lucene vector search is vectorized (Java Vector API; scorer {})", scorer());
    } else {
      log.warn("Lucene vector search runs WITHOUT the Java Vector API (scorer {}, 1.4-1.6x slower):"
          + " start the JVM with --add-modules {} on a JDK Lucene supports (bin/recsys and the"
          + " container images do)", scorer(), MODULE);
    }
  }
}
