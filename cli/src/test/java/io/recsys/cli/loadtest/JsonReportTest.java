package io.recsys.cli.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonReportTest {

  @TempDir
  Path dir;

  @Test
  void writesAndReadsBackSettingsStepsAndHistograms() throws Exception {
    StepResult fast = result("step 1", 100, 1, 5);
    StepResult slow = result("step 2", 200, 3, 120);
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("--gateway", "localhost:50050");
    settings.put("--slo-p99-ms", 50.0);
    settings.put("--k", List.of(10, 20));
    LoadReport report = new LoadReport("step", settings, List.of(fast, slow), 100.0, "p99 over the SLO");

    Path file = dir.resolve("run.json");
    JsonReport.write(report, file);
    LoadReport back = JsonReport.read(file);

    assertThat(back).usingRecursiveComparison().ignoringFieldsOfTypes(Histogram.class).isEqualTo(report);
    for (int i = 0; i < 2; i++) {
      Histogram before = report.steps().get(i).histogram();
      Histogram after = back.steps().get(i).histogram();
      assertThat(after.getTotalCount()).isEqualTo(before.getTotalCount());
      for (double p : new double[] {50, 90, 99, 99.9, 100}) {
        assertThat(after.getValueAtPercentile(p)).isEqualTo(before.getValueAtPercentile(p));
      }
    }

    // what a script sees: plain fields, the encoding named once
    JsonNode tree = new ObjectMapper().readTree(file.toFile());
    assertThat(tree.get("histogramEncoding").asText()).isEqualTo(JsonReport.HISTOGRAM_ENCODING);
    JsonNode step2 = tree.get("report").get("steps").get(1);
    assertThat(step2.get("latencyMs").get("p99").asDouble()).isEqualTo(slow.latencyMs().p99());
    assertThat(step2.get("errors").get("UNAVAILABLE").asLong()).isEqualTo(3);
    assertThat(step2.get("errorRate").asDouble()).isEqualTo(slow.errorRate());
    assertThat(tree.get("report").get("maxSustainableRate").asDouble()).isEqualTo(100.0);
  }

  private static StepResult result(String label, double rate, long errors, long slowMs) {
    LatencyRecorder r = new LatencyRecorder();
    for (int i = 1; i <= 500; i++) {
      r.record(i * 10_000L, CallOutcome.ok(i % 50 == 0, i % 20 == 0));
    }
    for (int i = 0; i < 10; i++) {
      r.record(slowMs * 1_000_000, CallOutcome.ok(false, false));
    }
    for (int i = 0; i < errors; i++) {
      r.record(1_000_000, CallOutcome.error("UNAVAILABLE", false));
    }
    return StepResult.of(label, rate, 0, 5.0, 0.3, r);
  }
}
