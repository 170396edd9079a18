package io.recsys.state.testing;

import java.io.IOException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real {@link RedisServerProcess} for a test class:
 * {@code @RegisterExtension static final RedisServerExtension redis = new RedisServerExtension();}.
 * The class's tests skip when redis-server is not installed.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {

  private RedisServerProcess server;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    Assumptions.assumeTrue(RedisServerProcess.available(), "redis-server is not installed (.ci/run installs it)");
    server = RedisServerProcess.start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    if (server != null) {
      server.close();
    }
  }

  public String url() {
    return server.url();
  }

  public void stop() throws InterruptedException {
    server.stop();
  }

  public void startAgain() throws IOException {
    server.startAgain();
  }
}
