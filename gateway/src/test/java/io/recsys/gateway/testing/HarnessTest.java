package io.recsys.gateway.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Tests that start a {@link GatewayHarness} per test: its bundle directory and its clean-up. */
public abstract class HarnessTest {

  @TempDir
  protected Path dir;

  protected GatewayHarness harness;

  @AfterEach
  void closeHarness() {
    if (harness != null) {
      harness.close();
    }
  }
}
