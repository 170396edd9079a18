package io.recsys.common.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Locale;

/**
 * The servers' log where logback is the SLF4J backend (bin/recsys, the container images): one
 * line per event on stderr, text by default, JSON lines with {@code RECSYS_LOG_FORMAT=json}
 * carrying the MDC ({@code request_id} on the gateway, {@code trace_id} in a traced call);
 * {@code RECSYS_LOG_LEVEL} sets the level (default INFO). Both also read as system properties.
 * Found by logback through {@code META-INF/services}; a {@code logback.xml} of one's own is used
 * only if this is removed, so the defaults stay in one place.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {

  static final String FORMAT = "RECSYS_LOG_FORMAT";
  static final String LEVEL = "RECSYS_LOG_LEVEL";
  /** What slf4j-simple wrote before, so tools that read the text log read it alike. */
  static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} [%thread] %level %logger - %msg%n";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    // before any level is set, so java.util.logging levels follow (grpc-java's FINE logs stay off)
    LevelChangePropagator jul = new LevelChangePropagator();
    jul.setContext(context);
    jul.setResetJUL(true);
    context.addListener(jul);
    jul.start();

    String format = setting(FORMAT, "text").toLowerCase(Locale.ROOT);
    Encoder<ILoggingEvent> encoder = format.equals("json") ? json() : text();
    encoder.setContext(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setTarget("System.err");
    console.setEncoder(encoder);
    console.start();

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(setting(LEVEL, "INFO"), Level.INFO));
    root.addAppender(console);
    if (!format.equals("json") && !format.equals("text")) {
      context.getLogger(LogSetup.class).warn("{}={} is neither text nor json; logging text", FORMAT, format);
    }
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private static Encoder<ILoggingEvent> text() {
    PatternLayoutEncoder e = new PatternLayoutEncoder();
    e.setPattern(TEXT_PATTERN);
    return e;
  }

  /** Timestamp, level, thread, logger, MDC, the formatted message and any throwable; nothing else. */
  private static Encoder<ILoggingEvent> json() {
    JsonEncoder e = new JsonEncoder();
    e.setWithSequenceNumber(false);
    e.setWithNanoseconds(false);
    e.setWithContext(false);
    e.setWithMessage(false);
    e.setWithArguments(false);
    e.setWithFormattedMessage(true);
    return e;
  }

  private static String setting(String name, String otherwise) {
    String v = System.getProperty(name);
    if (v == null || v.isBlank()) {
      v = System.getenv(name);
    }
    return v == null || v.isBlank() ? otherwise : v.trim();
  }
}
