package io.recsys.cli.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class StepSearchTest {

  /** A step whose p99 and errors are given: what a system with a knee at some rate returns. */
  private static StepResult step(double rate, double p99, long errors) {
    return new StepResult("step", rate, 0, 1, 1000, rate, new LatencySummary(1, 2, p99, p99, p99, 1),
        errors == 0 ? Map.of() : Map.of("UNAVAILABLE", errors), 0, 0, 0, new Histogram(3));
  }

  @Test
  void stopsAtTheFirstStepOverTheSloAndReportsTheOneBefore() throws Exception {
    StepSearch s = new StepSearch(100, 100, 0, 5000, 50, 0.001);
    StepSearch.Outcome o = s.search((n, rate) -> step(rate, rate <= 400 ? 20 : 80, 0));
    assertThat(o.steps()).extracting(StepResult::targetRate).containsExactly(100.0, 200.0, 300.0, 400.0, 500.0);
    assertThat(o.maxSustainableRate()).isEqualTo(400);
    assertThat(o.stopReason()).contains("p99 80.0 ms > SLO 50.0 ms at 500 req/s");
  }

  @Test
  void theErrorBudgetStopsTheSearchToo() throws Exception {
    StepSearch s = new StepSearch(100, 0, 2, 5000, 50, 0.001);
    StepSearch.Outcome o = s.search((n, rate) -> step(rate, 10, rate >= 800 ? 2 : 1));
    assertThat(o.steps()).extracting(StepResult::targetRate).containsExactly(100.0, 200.0, 400.0, 800.0);
    assertThat(o.maxSustainableRate()).isEqualTo(400);
    assertThat(o.stopReason()).contains("error rate 0.0020 > budget 0.0010");
  }

  @Test
  void aFailingFirstStepSustainsNothing() throws Exception {
    StepSearch.Outcome o = new StepSearch(100, 100, 0, 5000, 50, 0.001).search((n, rate) -> step(rate, 60, 0));
    assertThat(o.steps()).hasSize(1);
    assertThat(o.maxSustainableRate()).isZero();
  }

  @Test
  void stopsAtTheRateLimitWhenNothingBreaks() throws Exception {
    StepSearch.Outcome o = new StepSearch(100, 150, 0, 400, 50, 0.001).search((n, rate) -> step(rate, 5, 0));
    assertThat(o.steps()).extracting(StepResult::targetRate).containsExactly(100.0, 250.0, 400.0);
    assertThat(o.maxSustainableRate()).isEqualTo(400);
    assertThat(o.stopReason()).contains("reached --rate-max 400");
  }

  @Test
  void rejectsARateThatCannotRise() {
    assertThatThrownBy(() -> new StepSearch(100, 0, 1, 500, 50, 0.001)).hasMessageContaining("must rise");
    assertThatThrownBy(() -> new StepSearch(600, 100, 0, 500, 50, 0.001)).hasMessageContaining("--rate-max");
  }
}
