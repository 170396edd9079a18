package io.recsys.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.common.server.RecsysServer;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The servers' shared flags: their defaults are the documented ones, with or without a command line. */
class ServerOptionsTest {

  @Test
  void parsedDefaultsEqualTheFieldDefaults() {
    ServerOptions parsed = new ServerOptions();
    new CommandLine(parsed).parseArgs();
    ServerOptions built = ServerOptions.defaults();
    assertThat(parsed).usingRecursiveComparison().isEqualTo(built);
    assertThat(built.maxConnectionAgeSeconds).isEqualTo(30);
    assertThat(built.maxConnectionAgeGraceSeconds).isEqualTo(5);
    assertThat(built.maxInboundMessageBytes).isEqualTo(2 * 1024 * 1024);
    assertThat(built.adminPort).isEqualTo(-1);
    assertThat(built.tlsCert).isNull();
  }

  @Test
  void threadsSizeTheServersPool() {
    ServerOptions o = new ServerOptions();
    new CommandLine(o).parseArgs("--threads", "3");
    var pool = (ThreadPoolExecutor) RecsysServer.builder("test", 0).options(o).executor();
    try {
      assertThat(pool.getMaximumPoolSize()).isEqualTo(3);
    } finally {
      pool.shutdown();
    }
  }
}
