package io.recsys.state.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (Debian's package; {@code .ci/run} installs it) on a free localhost
 * port, without persistence, for tests. It can be stopped and started again on the same port to
 * play an outage.
 */
public final class RedisServerProcess implements AutoCloseable {

  private static final String BINARY = "redis-server";

  private final int port;
  private final Path dir;
  private Process process;

  private RedisServerProcess(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  /** Whether redis-server is installed; tests that need it skip without it. */
  public static boolean available() {
    for (String p : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (Files.isExecutable(Path.of(p, BINARY))) {
        return true;
      }
    }
    return Files.isExecutable(Path.of("/usr/bin", BINARY));
  }

  public static RedisServerProcess start() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    RedisServerProcess redis = new RedisServerProcess(port, Files.createTempDirectory("recsys-redis"));
    redis.startAgain();
    return redis;
  }

  public int port() {
    return port;
  }

  /** For --history-store. */
  public String url() {
    return "redis://localhost:" + port;
  }

  /** Starts the server (again, after {@link #stop}) on the same port and waits until it accepts connections. */
  public void startAgain() throws IOException {
    process = new ProcessBuilder(List.of(BINARY, "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--loglevel", "warning"))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.log").toFile())
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        if (!process.isAlive()) {
          throw new IOException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
      }
    }
    throw new IOException("redis-server did not listen on port " + port + " within 10 s");
  }

  /** Kills the server at once (SIGKILL): clients see a dead connection, as in a crash. Data is gone. */
  public void stop() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    stop();
    TempDirs.deleteTree(dir);
  }
}
