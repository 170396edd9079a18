package io.recsys.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportWriterTest {

  private static EvaluationRun.ModelResult run(String name, double ndcg) {
    return new EvaluationRun.ModelResult(name, Map.of("ndcg@10", ndcg, "recall@10", 2 * ndcg), Map.of(), List.of(), 1,
        1, "");
  }

  @Test
  void seedsAreAveragedAndTheirSpreadIsMaxMinusMin() {
    EvaluationRun.ModelResult m = EvaluationRun.acrossSeeds(
        List.of(run("two_tower", 0.10), run("two_tower", 0.12), run("two_tower", 0.11)), new long[] {1, 2, 3});
    assertThat(m.metrics().get("ndcg@10")).isCloseTo(0.11, within(1e-12));
    assertThat(m.spread().get("ndcg@10")).isCloseTo(0.02, within(1e-12));
    assertThat(m.spread().get("recall@10")).isCloseTo(0.04, within(1e-12));
    assertThat(m.tuning()).startsWith("seeds 1,2,3: ");
    assertThat(m.seedRuns()).extracting(r -> r.get("ndcg@10")).containsExactly(0.10, 0.12, 0.11);
    assertThat(EvaluationRun.acrossSeeds(List.of(run("two_tower", 0.1)), new long[] {1}).spread()).isEmpty();
  }

  @Test
  void theVerdictNamesTheStrongestBaselineAsTheBarAndClaimsNoWinInsideTheSpread() {
    EvaluationRun.ModelResult tower = EvaluationRun.acrossSeeds(
        List.of(run("two_tower", 0.10), run("two_tower", 0.12)), new long[] {1, 2}); // 0.11, spread 0.02
    // below the tower in both seeds, though the spreads overlap
    EvaluationRun.ModelResult ranked = EvaluationRun.acrossSeeds(
        List.of(run("two_stage", 0.09), run("two_stage", 0.115)), new long[] {1, 2});
    EvaluationRun.Outcome o = new EvaluationRun.Outcome(Map.of(), "leave-last-out", "", List.of(
        run("popularity", 0.05), run("itemknn", 0.06), run("itemknn_recency", 0.10), run("ease_recency", 0.09),
        tower, ranked));
    String v = ReportWriter.verdict(o);
    assertThat(v).contains("**The bar to beat: itemknn_recency** (nDCG@10 0.1000",
        "two_tower nDCG@10 is 1.10x the bar (seed spread 0.20x)",
        "two_tower is within the seed spread (0.0200) of itemknn_recency on ndcg@10",
        "two_tower beats popularity on ndcg@10 (0.1100 vs 0.0500, +120.0%)",
        "two_tower beats itemknn on ndcg@10 (0.1100 vs 0.0600",
        "two_tower is within the seed spread (0.0400) of itemknn_recency on recall@10",
        "two_stage is within the seed spread (0.0250) of two_tower on ndcg@10 (0.1025 vs 0.1100, -6.8%; "
            + "higher in 0 of 2 seeds)");
  }
}
