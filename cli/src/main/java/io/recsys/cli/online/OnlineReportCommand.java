package io.recsys.cli.online;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.recsys.state.log.EventLogReader;
import io.recsys.state.log.EventLogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code online-report}: online metrics per experiment arm and candidate source, from the event log. */
@Command(name = "online-report", mixinStandardHelpOptions = true,
    description = "Join served answers and feedback from the event log; report impressions, CTR, conversion,"
        + " watch time and returning users per experiment arm and candidate source, with 95% intervals and a plot.")
public final class OnlineReportCommand implements Callable<Integer> {

  @Option(names = "--event-log", required = true,
      description = "the gateway's event log: file:DIR or kafka://HOST:PORT/TOPIC (a running gateway's log is fine)")
  String eventLog;

  @Option(names = "--out", defaultValue = "reports/online",
      description = "directory for online-report.md, online-report.json and ctr.png (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--window-minutes", defaultValue = "30",
      description = "feedback without a request id joins the user's latest impression of the item this recent;"
          + " also the gap that makes a user 'returning' (default: ${DEFAULT-VALUE})")
  long windowMinutes;

  @Override
  public Integer call() throws IOException {
    if (windowMinutes < 1) {
      throw new IllegalArgumentException("--window-minutes must be at least 1, got " + windowMinutes);
    }
    long windowMs = windowMinutes * 60_000;
    FeedbackJoin join = new FeedbackJoin(windowMs);
    EventLogReader.ReadResult read = EventLogs.reader(eventLog).readAll(join::accept);
    OnlineMetrics metrics = new OnlineMetrics(join.join(), windowMs);
    Files.createDirectories(out);
    String table = markdown(metrics, read, join.unattributed);
    Files.writeString(out.resolve("online-report.md"), table);
    writeJson(metrics, read, join.unattributed);
    OnlineReportPlot.writeCtr(out.resolve("ctr.png"), metrics);
    System.out.print(table);
    System.out.println("wrote " + out.resolve("online-report.md") + ", online-report.json, ctr.png");
    return 0;
  }

  private String markdown(OnlineMetrics m, EventLogReader.ReadResult read, long unattributed) {
    StringBuilder s = new StringBuilder("# Online report\n\n")
        .append("Event log `").append(eventLog).append("`: ").append(read.records()).append(" records; ")
        .append(unattributed).append(" feedback events matched no impression (join window ")
        .append(windowMinutes).append(" min).\n\n")
        .append("| arm | source | impressions | clicks | CTR [95% CI] | purchases | conversion [95% CI] | watch s / impression [95% CI] |\n")
        .append("|---|---|---:|---:|---|---:|---|---|\n");
    for (OnlineMetrics.Row r : m.rows) {
      s.append(String.format("| %s | %s | %d | %d | %s | %d | %s | %s |%n", r.arm(), r.source(), r.impressions(),
          r.clicks(), format(r.ctr()), r.purchases(), format(r.conversion()), format(r.watchSeconds())));
    }
    s.append("\n| arm | users | returning users |\n|---|---:|---:|\n");
    for (OnlineMetrics.ArmUsers u : m.users) {
      s.append(String.format("| %s | %d | %d (%.1f%%) |%n", u.arm(), u.users(), u.returning(), 100 * u.share()));
    }
    for (String w : read.warnings()) {
      s.append("\nwarning: ").append(w).append('\n');
    }
    return s.toString();
  }

  private static String format(OnlineMetrics.Estimate e) {
    return String.format("%.4f [%.4f, %.4f]", e.value(), e.low(), e.high());
  }

  private void writeJson(OnlineMetrics m, EventLogReader.ReadResult read, long unattributed) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("event_log", eventLog);
    json.put("records", read.records());
    json.put("window_minutes", windowMinutes);
    json.put("unattributed_feedback_events", unattributed);
    json.put("rows", m.rows);
    json.put("users", m.users);
    json.put("warnings", read.warnings());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("online-report.json").toFile(), json);
  }
}
