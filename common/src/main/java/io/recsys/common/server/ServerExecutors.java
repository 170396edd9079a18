package io.recsys.common.server;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executors gRPC calls run on. grpc-java's default is an unbounded cached pool: on a small
 * machine every burst becomes more threads fighting for the same cores. Handlers that compute
 * (features, models, index search) get a fixed pool; handlers that mostly wait on other servers
 * get virtual threads, which cost nothing while they wait.
 */
public final class ServerExecutors {

  private ServerExecutors() {}

  /**
   * Threads for compute handlers: {@code recsys.server.threads}, else four per core. More than one
   * per core because a handler waits while TensorFlow runs its graph on TensorFlow's own threads:
   * on 2 cores, served two-tower retrieval ran 3.8k calls/s with 2 handler threads and 5.2k with 8
   * (raw: 10.3k).
   */
  public static int computeThreads() {
    return Integer.getInteger("recsys.server.threads", 4 * Runtime.getRuntime().availableProcessors());
  }

  /** A fixed pool of {@code threads} daemon threads named {@code name-N}. */
  public static ExecutorService compute(String name, int threads) {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, name + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** A virtual thread per call, for handlers that block on other servers. */
  public static ExecutorService waiting(String name) {
    return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name + "-", 0).factory());
  }
}
