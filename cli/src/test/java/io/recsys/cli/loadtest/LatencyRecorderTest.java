package io.recsys.cli.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

  private static final long MS = 1_000_000;

  @Test
  void percentilesOfOneToOneThousandMilliseconds() {
    LatencyRecorder r = new LatencyRecorder();
    for (int ms = 1000; ms >= 1; ms--) {
      r.record(ms * MS, CallOutcome.ok(false, false));
    }
    LatencySummary l = LatencySummary.of(r.total());
    // 3 significant digits: each value within 0.1%
    assertThat(l.p50()).isCloseTo(500, within(0.5));
    assertThat(l.p90()).isCloseTo(900, within(0.9));
    assertThat(l.p99()).isCloseTo(990, within(1.0));
    assertThat(l.p999()).isCloseTo(999, within(1.0));
    assertThat(l.max()).isCloseTo(1000, within(1.0));
    assertThat(l.mean()).isCloseTo(500.5, within(0.5));
  }

  @Test
  void aFewSlowCallsMoveTheTailNotTheMedian() {
    LatencyRecorder r = new LatencyRecorder();
    for (int i = 0; i < 980; i++) {
      r.record(2 * MS, CallOutcome.ok(false, false));
    }
    for (int i = 0; i < 20; i++) {
      r.record(300 * MS, CallOutcome.ok(false, false));
    }
    LatencySummary l = LatencySummary.of(r.total());
    assertThat(l.p50()).isCloseTo(2, within(0.01));
    assertThat(l.p90()).isCloseTo(2, within(0.01));
    assertThat(l.p99()).isCloseTo(300, within(0.3));
  }

  @Test
  void countsErrorsByCodeDegradedAnswersAndFeedbackAndKeepsThemInTheHistogram() {
    LatencyRecorder r = new LatencyRecorder();
    r.record(MS, CallOutcome.ok(true, false));
    r.record(MS, CallOutcome.ok(false, true));
    r.record(1000 * MS, CallOutcome.error("DEADLINE_EXCEEDED", false));
    r.record(MS, CallOutcome.error("UNAVAILABLE", false));
    r.record(MS, CallOutcome.error("UNAVAILABLE", true));
    assertThat(r.errorsByCode()).isEqualTo(Map.of("DEADLINE_EXCEEDED", 1L, "UNAVAILABLE", 2L));
    assertThat(r.errors()).isEqualTo(3);
    assertThat(r.degraded()).isEqualTo(1);
    assertThat(r.feedback()).isEqualTo(2);
    assertThat(r.total().getTotalCount()).isEqualTo(5);

    StepResult s = StepResult.of("s", 100, 0, 2.0, 0, r);
    assertThat(s.requests()).isEqualTo(5);
    assertThat(s.achievedRate()).isEqualTo(2.5);
    assertThat(s.errorRate()).isEqualTo(0.6);
    assertThat(s.latencyMs().max()).isCloseTo(1000, within(1.0));
  }

  @Test
  void intervalsAddUpToTheTotal() {
    LatencyRecorder r = new LatencyRecorder();
    r.record(MS, CallOutcome.ok(false, false));
    r.record(MS, CallOutcome.ok(false, false));
    assertThat(r.drainInterval()).isEqualTo(2);
    r.record(MS, CallOutcome.ok(false, false));
    assertThat(r.drainInterval()).isEqualTo(1);
    assertThat(r.drainInterval()).isZero();
    assertThat(r.total().getTotalCount()).isEqualTo(3);
  }
}
