package io.recsys.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.gateway.testing.TestBundle;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** --event-log and --history-store: the default log's place, and bad values as usage errors. */
class GatewayStateOptionsTest {

  @TempDir
  Path dir;

  private static GatewayServerCommand parse(String... args) {
    GatewayServerCommand command = new GatewayServerCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void theDefaultLogIsTheEventsDirectoryNextToTheBundlePath() {
    assertThat(parse().eventLogSpec()).isEqualTo("file:" + Path.of("events").toAbsolutePath());
    assertThat(parse("--bundle", "/srv/recsys/bundles").eventLogSpec()).isEqualTo("file:/srv/recsys/events");
    assertThat(parse("--event-log", "kafka://k:9092/events").eventLogSpec()).isEqualTo("kafka://k:9092/events");
    assertThat(parse().historyStore).isEqualTo("embedded");
  }

  @Test
  void badStateOptionsAreUsageErrorsThatSayWhatToWrite() throws Exception {
    String bundle = TestBundle.write(dir).toString();
    String events = "file:" + dir.resolve("events");
    assertThatThrownBy(() -> parse("--bundle", bundle, "--event-log", events, "--history-store", "memcached://x:1").start())
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("use embedded or redis://HOST:PORT");
    assertThatThrownBy(() -> parse("--bundle", bundle, "--event-log", "s3://bucket").start())
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("use file:DIR or kafka://HOST:PORT/TOPIC");
    assertThatThrownBy(() -> parse("--bundle", bundle, "--event-log", events + "?fsync=often").start())
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("use 'batch'");
  }
}
