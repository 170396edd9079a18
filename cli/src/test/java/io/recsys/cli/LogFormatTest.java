package io.recsys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recsys.common.logging.JulBridge;
import io.recsys.common.logging.LogSetup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The servers' log as bin/recsys and the images configure it: text by default, JSON lines when asked. */
class LogFormatTest {

  private final PrintStream realErr = System.err;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  /** Reconfigures logback as a server starts it, writing into {@link #captured}. */
  private void configure(String format) throws Exception {
    if (format == null) {
      System.clearProperty("RECSYS_LOG_FORMAT");
    } else {
      System.setProperty("RECSYS_LOG_FORMAT", format);
    }
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    new LogSetup().configure(context);
    JulBridge.install();
  }

  @AfterEach
  void restore() throws Exception {
    MDC.clear();
    configure(null);
    System.setErr(realErr);
  }

  private List<String> lines() {
    List<String> out = new ArrayList<>();
    for (String l : captured.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!l.isBlank()) {
        out.add(l);
      }
    }
    return out;
  }

  @Test
  void jsonLinesCarryTheRequestIdAndGrpcJavasOwnLogging() throws Exception {
    configure("json");
    MDC.put("request_id", "req-42");
    LoggerFactory.getLogger("io.recsys.gateway.Test").info("answered {} items", 10);
    MDC.remove("request_id");
    // what grpc-java does: java.util.logging
    java.util.logging.Logger.getLogger("io.grpc.internal.Test").warning("a channel went idle");

    ObjectMapper json = new ObjectMapper();
    List<JsonNode> events = new ArrayList<>();
    for (String line : lines()) {
      events.add(json.readTree(line));
    }
    JsonNode ours = events.stream().filter(e -> e.path("formattedMessage").asText().equals("answered 10 items"))
        .findFirst().orElseThrow(() -> new AssertionError("not logged: " + lines()));
    assertThat(ours.path("level").asText()).isEqualTo("INFO");
    assertThat(ours.path("loggerName").asText()).isEqualTo("io.recsys.gateway.Test");
    assertThat(ours.path("mdc").path("request_id").asText()).isEqualTo("req-42");
    JsonNode grpc = events.stream().filter(e -> e.path("formattedMessage").asText().equals("a channel went idle"))
        .findFirst().orElseThrow(() -> new AssertionError("not logged: " + lines()));
    assertThat(grpc.path("level").asText()).isEqualTo("WARN");
    assertThat(grpc.path("loggerName").asText()).isEqualTo("io.grpc.internal.Test");
  }

  @Test
  void textByDefaultAsBefore() throws Exception {
    configure(null);
    LoggerFactory.getLogger("io.recsys.common.server.RecsysServer").info("gateway server listening on port {}", 50050);
    assertThat(lines()).anySatisfy(l -> assertThat(l).matches(
        "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[.+] INFO io\\.recsys\\.common\\.server\\.RecsysServer - gateway server listening on port 50050"));
  }
}
