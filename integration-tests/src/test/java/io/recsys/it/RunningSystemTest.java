package io.recsys.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Test classes that share one {@link RunningSystem} (three real servers) for all their tests. */
abstract class RunningSystemTest {

  static RunningSystem system;

  @BeforeAll
  static void startSystem() throws Exception {
    system = new RunningSystem();
  }

  @AfterAll
  static void stopSystem() throws Exception {
    system.close();
  }
}
