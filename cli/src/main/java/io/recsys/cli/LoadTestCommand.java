package io.recsys.cli;

import io.recsys.cli.loadtest.ClosedLoopDriver;
import io.recsys.cli.loadtest.GatewayChannels;
import io.recsys.cli.loadtest.JsonReport;
import io.recsys.cli.loadtest.LatencyRecorder;
import io.recsys.cli.loadtest.LoadReport;
import io.recsys.cli.loadtest.OpenLoopDriver;
import io.recsys.cli.loadtest.ProgressPrinter;
import io.recsys.cli.loadtest.StepResult;
import io.recsys.cli.loadtest.StepSearch;
import io.recsys.cli.loadtest.TrafficIds;
import io.recsys.cli.loadtest.TrafficMix;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code loadtest}: the load-testing harness for a running gateway (package
 * {@code io.recsys.cli.loadtest}). Open loop at a fixed rate, closed loop with N clients, or step
 * mode: open-loop steps at rising rates until the p99 SLO or the error budget breaks, reporting
 * the max sustainable rate. Stops by itself (duration, request count, rate limit).
 */
@Command(name = "loadtest", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Load test of a running gateway: open loop (a target rate, latency from the intended send"
        + " time), closed loop (N clients) or step mode (rising rates until the p99 SLO or the error budget"
        + " breaks: the max sustainable rate). Prints progress and a report; --json writes the settings,"
        + " every step and its latency histogram.")
final class LoadTestCommand implements Callable<Integer> {

  enum Mode { step, open, closed }

  @Spec
  CommandSpec spec;

  @Option(names = "--gateway", defaultValue = "localhost:50050", description = "gateway target (default: ${DEFAULT-VALUE})")
  String gateway;

  @Option(names = "--mode", defaultValue = "step", description = "step, open or closed (default: ${DEFAULT-VALUE})")
  Mode mode;

  @Option(names = "--rate", defaultValue = "200", description = "open: arrival rate in requests/s (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(names = "--concurrency", defaultValue = "8", description = "closed: concurrent clients (default: ${DEFAULT-VALUE})")
  int concurrency;

  @Option(names = "--duration-s", defaultValue = "30", description = "open, closed: measured seconds (default: ${DEFAULT-VALUE})")
  double durationS;

  @Option(names = "--max-requests", defaultValue = "10000000", description = "stop a phase after this many calls (default: ${DEFAULT-VALUE})")
  long maxRequests;

  @Option(names = "--warmup-s", defaultValue = "5", description = "unmeasured warm-up seconds at the first rate / concurrency (default: ${DEFAULT-VALUE})")
  double warmupS;

  @Option(names = "--rate-start", defaultValue = "100", description = "step: first rate, requests/s (default: ${DEFAULT-VALUE})")
  double rateStart;

  @Option(names = "--rate-step", defaultValue = "100", description = "step: added to the rate each step (default: ${DEFAULT-VALUE})")
  double rateStep;

  @Option(names = "--rate-factor", defaultValue = "0", description = "step: when > 1, the rate is multiplied by it instead (default: ${DEFAULT-VALUE})")
  double rateFactor;

  @Option(names = "--rate-max", defaultValue = "5000", description = "step: highest rate tried (default: ${DEFAULT-VALUE})")
  double rateMax;

  @Option(names = "--step-s", defaultValue = "10", description = "step: measured seconds per step (default: ${DEFAULT-VALUE})")
  double stepS;

  @Option(names = "--slo-p99-ms", defaultValue = "50", description = "step: p99 latency objective (default: ${DEFAULT-VALUE})")
  double sloP99Ms;

  @Option(names = "--max-error-rate", defaultValue = "0.001", description = "step: error budget, failed calls / calls (default: ${DEFAULT-VALUE})")
  double maxErrorRate;

  @Option(names = "--channels", defaultValue = "2", description = "gRPC channels (connections) used round robin (default: ${DEFAULT-VALUE})")
  int channels;

  @Option(names = "--timeout-ms", defaultValue = "1000", description = "per-call deadline (default: ${DEFAULT-VALUE})")
  long timeoutMs;

  @Option(names = "--max-in-flight", defaultValue = "10000", description = "open: calls in flight beyond this are not sent and count as CLIENT_BACKLOG errors (default: ${DEFAULT-VALUE})")
  int maxInFlight;

  @Option(names = "--bundle", description = "bundle (or root of bundles) the gateway serves: known users, items and categories come from it; without it the built-in data set's ids")
  Path bundle;

  @Option(names = "--users", defaultValue = "2000", description = "without --bundle: known users u00001..uN (default: ${DEFAULT-VALUE})")
  int users;

  @Option(names = "--items", defaultValue = "3000", description = "without --bundle: items i00001..iN (default: ${DEFAULT-VALUE})")
  int items;

  @Option(names = "--unknown-share", defaultValue = "0.1", description = "Recommend calls from unknown users (default: ${DEFAULT-VALUE})")
  double unknownShare;

  @Option(names = "--events-share", defaultValue = "0.2", description = "Recommend calls carrying recent events (default: ${DEFAULT-VALUE})")
  double eventsShare;

  @Option(names = "--filter-share", defaultValue = "0.1", description = "Recommend calls with a category filter; needs --bundle (default: ${DEFAULT-VALUE})")
  double filterShare;

  @Option(names = "--feedback-share", defaultValue = "0.05", description = "calls that are Feedback (default: ${DEFAULT-VALUE})")
  double feedbackShare;

  @Option(names = "--k", defaultValue = "10,20,50", split = ",", description = "k values, drawn uniformly (default: ${DEFAULT-VALUE})")
  List<Integer> ks;

  @Option(names = "--seed", defaultValue = "1", description = "traffic random seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--progress-s", defaultValue = "5", description = "seconds between progress lines (default: ${DEFAULT-VALUE})")
  int progressS;

  @Option(names = "--json", description = "also write the report as JSON to this file")
  Path json;

  @Override
  public Integer call() throws Exception {
    TrafficIds ids = bundle != null ? TrafficIds.fromBundle(bundle) : TrafficIds.synthetic(users, items);
    TrafficMix mix = new TrafficMix(ids, unknownShare, eventsShare, filterShare, feedbackShare, ks);
    StepSearch search = mode == Mode.step
        ? new StepSearch(rateStart, rateStep, rateFactor, rateMax, sloP99Ms, maxErrorRate) : null;
    System.out.printf("[loadtest] %s, %s mode, %d channel(s); traffic from %s%s%n", gateway, mode, channels,
        ids.source(), ids.categories().isEmpty() && filterShare > 0 ? " (no categories: no filters)" : "");
    LoadReport report;
    try (GatewayChannels gw = new GatewayChannels(gateway, channels, timeoutMs)) {
      OpenLoopDriver open = new OpenLoopDriver(gw, mix, seed, maxInFlight, timeoutMs + 5000);
      ClosedLoopDriver closed = new ClosedLoopDriver(gw, mix, seed);
      if (warmupS > 0) {
        System.out.printf("[loadtest] warm-up %.0fs (not measured)%n", warmupS);
        LatencyRecorder discarded = new LatencyRecorder();
        if (mode == Mode.closed) {
          closed.run("warm-up", concurrency, warmupS, maxRequests, discarded);
        } else {
          open.run("warm-up", mode == Mode.step ? rateStart : rate, warmupS, maxRequests, discarded);
        }
      }
      report = switch (mode) {
        case open -> single(measure("open", r -> open.run("open", rate, durationS, maxRequests, r)));
        case closed -> single(measure("closed", r -> closed.run("closed", concurrency, durationS, maxRequests, r)));
        case step -> {
          StepSearch.Outcome o = search.search((step, stepRate) -> measure("step " + step + " @" + Math.round(stepRate),
              r -> open.run("step " + step, stepRate, stepS, maxRequests, r)));
          yield new LoadReport(mode.name(), settings(), o.steps(), o.maxSustainableRate(), o.stopReason());
        }
      };
    }
    System.out.print(report.text());
    if (json != null) {
      JsonReport.write(report, json);
      System.out.println("[loadtest] JSON report: " + json);
    }
    return 0;
  }

  /** One phase. */
  private interface Phase {
    StepResult run(LatencyRecorder recorder) throws Exception;
  }

  private StepResult measure(String label, Phase phase) throws Exception {
    LatencyRecorder recorder = new LatencyRecorder();
    try (ProgressPrinter ignored = new ProgressPrinter(label, recorder, progressS, System.out)) {
      return phase.run(recorder);
    }
  }

  private LoadReport single(StepResult r) {
    return new LoadReport(mode.name(), settings(), List.of(r), null, null);
  }

  /** Every option as given or defaulted, for the JSON report. */
  private Map<String, Object> settings() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (OptionSpec o : spec.options()) {
      Object v = o.getValue();
      if (v != null && !o.usageHelp() && !o.versionHelp()) {
        out.put(o.longestName(), v instanceof Number || v instanceof Boolean || v instanceof Collection<?> ? v : v.toString());
      }
    }
    return out;
  }
}
