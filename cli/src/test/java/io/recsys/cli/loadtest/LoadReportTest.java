package io.recsys.cli.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LoadReportTest {

  private static StepResult step(String label, double rate, double p99, Map<String, Long> errors, double lagMs) {
    return new StepResult(label, rate, 0, 10, 1000, rate, new LatencySummary(3, 5, p99, p99 + 1, p99 + 2, 3.5),
        errors, 2, 50, lagMs, new Histogram(3));
  }

  @Test
  void stepReportShowsEveryStepTheVerdictAndWhatWentWrong() {
    LoadReport report = new LoadReport("step", Map.of("--slo-p99-ms", 50.0, "--max-error-rate", 0.001),
        List.of(step("step 1", 100, 12.5, Map.of(), 0.2),
            step("step 2", 200, 75.25, Map.of("DEADLINE_EXCEEDED", 4L), 31)),
        100.0, "p99 75.2 ms > SLO 50.0 ms at 200 req/s");
    String text = report.text();
    assertThat(text).contains("from the intended send time");
    assertThat(text.lines().filter(l -> l.trim().startsWith("step ")).toList()).hasSize(2);
    assertThat(text).containsPattern("step 2 +200 +200 +1000 +3\\.00 +5\\.00 +75\\.25 +76\\.25 +77\\.25 +4 +2 +50");
    assertThat(text).contains("errors by status: {DEADLINE_EXCEEDED=4}");
    assertThat(text).containsOnlyOnce("sent up to 31.0 ms late");
    assertThat(text).contains("max sustainable rate: 100 req/s (p99 <= 50.0 ms, error rate <= 0.001);"
        + " stopped: p99 75.2 ms > SLO 50.0 ms at 200 req/s");
  }

  @Test
  void closedLoopReportNamesItsClientsAndHasNoVerdict() {
    StepResult closed = new StepResult("closed", 0, 8, 10, 3000, 300, new LatencySummary(1, 2, 3, 4, 5, 1.5),
        Map.of(), 0, 0, 0, new Histogram(3));
    String text = new LoadReport("closed", Map.of(), List.of(closed), null, null).text();
    assertThat(text).contains("from the actual send").containsPattern("closed +8 cl +300 +3000");
    assertThat(text).doesNotContain("max sustainable");
  }
}
