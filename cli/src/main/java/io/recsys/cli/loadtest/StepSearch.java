package io.recsys.cli.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the highest open-loop rate the system sustains: runs steps at rising rates (plus a fixed
 * step, or times a factor) until a step breaks the p99 SLO or the error budget, or the rate limit
 * is reached. The max sustainable rate is the last step within both.
 *
 * @param rateFactor when > 1 each step multiplies the rate by it; otherwise {@code rateStep} is added
 */
public record StepSearch(double rateStart, double rateStep, double rateFactor, double rateMax,
                         double sloP99Ms, double maxErrorRate) {

  public StepSearch {
    if (!(rateStart > 0) || rateMax < rateStart) {
      throw new IllegalArgumentException("need 0 < --rate-start <= --rate-max, got " + rateStart + " and " + rateMax);
    }
    if (!(rateFactor > 1) && !(rateStep > 0)) {
      throw new IllegalArgumentException("the rate must rise: set --rate-step > 0 or --rate-factor > 1");
    }
  }

  /** Runs one step at a rate (requests/s) and returns what it measured. */
  @FunctionalInterface
  public interface StepRunner {
    StepResult run(int step, double rate) throws Exception;
  }

  /**
   * @param maxSustainableRate the target rate of the last step within the SLO and error budget; 0
   *     when even the first step broke them
   * @param stopReason why the search stopped
   */
  public record Outcome(List<StepResult> steps, double maxSustainableRate, String stopReason) {}

  public Outcome search(StepRunner runner) throws Exception {
    List<StepResult> steps = new ArrayList<>();
    double sustained = 0;
    double rate = rateStart;
    for (int step = 1; ; step++) {
      StepResult r = runner.run(step, rate);
      steps.add(r);
      Optional<String> breach = breach(r);
      if (breach.isPresent()) {
        return new Outcome(steps, sustained, breach.get());
      }
      sustained = rate;
      double next = rateFactor > 1 ? rate * rateFactor : rate + rateStep;
      if (next > rateMax) {
        return new Outcome(steps, sustained, "reached --rate-max %.0f req/s within the SLO".formatted(rateMax));
      }
      rate = next;
    }
  }

  /** Why a step is not sustainable, if it is not. */
  public Optional<String> breach(StepResult r) {
    if (r.latencyMs().p99() > sloP99Ms) {
      return Optional.of("p99 %.1f ms > SLO %.1f ms at %.0f req/s".formatted(r.latencyMs().p99(), sloP99Ms, r.targetRate()));
    }
    if (r.errorRate() > maxErrorRate) {
      return Optional.of("error rate %.4f > budget %.4f at %.0f req/s".formatted(r.errorRate(), maxErrorRate, r.targetRate()));
    }
    return Optional.empty();
  }
}
