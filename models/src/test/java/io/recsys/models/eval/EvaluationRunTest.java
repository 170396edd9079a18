package io.recsys.models.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recsys.models.data.Dataset;
import io.recsys.models.data.synthetic.SyntheticConfig;
import io.recsys.models.data.synthetic.SyntheticGenerator;
import io.recsys.models.train.RankerConfig;
import io.recsys.models.train.TwoTowerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every model through the whole harness on small synthetic data, down to the written report. */
class EvaluationRunTest {

  @Test
  void evaluatesEveryModelAndWritesTheReport(@TempDir Path out) throws Exception {
    Dataset ds = new SyntheticGenerator(SyntheticConfig.small()).generate().dataset();
    int[] ks = {5, 10, 20};
    List<String> log = new ArrayList<>();
    EvaluationRun.Outcome o = new EvaluationRun(new EvaluationRun.Options("leave-last-out", 0.8, ks, new double[] {100},
        new int[] {50}, new double[] {0.8, 1}, TwoTowerConfig.defaults().withEpochs(2),
        RankerConfig.defaults().withEpochs(1), new long[] {1, 2},
        new LinkedHashSet<>(EvaluationRun.MODELS), 2), log::add).run(ds);
    ReportWriter.write(out, o, ks, "bin/recsys evaluate --test");

    assertThat(o.results()).extracting(EvaluationRun.ModelResult::name).containsExactlyElementsOf(EvaluationRun.MODELS);
    assertThat(log).anyMatch(l -> l.startsWith("[two_tower] epoch 1/2"));
    assertThat(log).contains("[seed] 1 (1/2)", "[seed] 2 (2/2)");
    assertThat(log).anyMatch(l -> l.startsWith("[ease] lambda 100: validation"));
    assertThat(log).anyMatch(l -> l.startsWith("[itemknn_recency] neighbours 50, decay 0.8: validation"));

    JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertThat(json.get("protocol").asText()).isEqualTo("leave-last-out");
    assertThat(json.at("/dataset/users").asInt()).isEqualTo(ds.users());
    assertThat(json.at("/dataset/interactions").asLong()).isEqualTo(ds.interactionCount());
    for (String m : EvaluationRun.MODELS) {
      JsonNode metrics = json.at("/models/" + m);
      for (String key : List.of("recall@10", "ndcg@10", "recall@20", "ndcg@20", "precision@10", "hit_rate@10",
          "mrr", "coverage@10", "ild_category@10", "ild_embedding@10", "novelty@10")) {
        assertThat(metrics.has(key)).as(m + " " + key).isTrue();
      }
      assertThat(json.at("/train_seconds/" + m).isNumber()).isTrue();
    }
    // synthetic users follow their tastes: the learned models must beat "most popular"
    double pop = json.at("/models/popularity/recall@20").asDouble();
    assertThat(json.at("/models/ease/recall@20").asDouble()).isGreaterThan(pop);
    assertThat(json.at("/models/two_tower/recall@20").asDouble()).isGreaterThan(pop);
    // the neural models: the mean over both seeds, with the spread beside it; the baselines have none
    assertThat(json.at("/seed_spread/two_stage/ndcg@10").asDouble()).isNotNegative();
    assertThat(json.at("/tuning/two_tower").asText()).startsWith("seeds 1,2: ");
    assertThat(json.at("/seed_spread").has("ease")).isFalse();
    assertThat(json.at("/tuning/ease_recency").asText()).matches("lambda=100, decay=(0.8|1.0)");
    assertThat(Files.readString(out.resolve("report.md"))).contains("| two_stage |", "recall@10", "![ndcg.png]",
        "The bar to beat: ");
    assertThat(out.resolve("recall.png")).isNotEmptyFile();
    assertThat(out.resolve("novelty.png")).isNotEmptyFile();
  }

  @Test
  void theTemporalProtocolIsRunAndNamedInTheReport(@TempDir Path out) throws Exception {
    Dataset ds = new SyntheticGenerator(SyntheticConfig.small()).generate().dataset();
    int[] ks = {10, 20};
    EvaluationRun.Outcome o = new EvaluationRun(new EvaluationRun.Options("temporal", 0.7, ks, new double[] {100},
        new int[] {50}, new double[] {0.8, 1}, TwoTowerConfig.defaults(), RankerConfig.defaults(), new long[] {1},
        new LinkedHashSet<>(List.of("popularity", "itemknn_recency")), 2), l -> { }).run(ds);
    ReportWriter.write(out, o, ks, "bin/recsys evaluate --protocol temporal");

    EvalSplit split = EvalSplit.temporal(ds.histories(), 0.7);
    assertThat(o.dataset().get("evaluated_users")).isEqualTo(split.evaluatedUsers());
    assertThat(split.evaluatedUsers()).isPositive().isLessThan(ds.users());
    JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertThat(json.get("protocol").asText()).isEqualTo("temporal");
    assertThat(json.at("/models/itemknn_recency/users").asInt()).isEqualTo(split.evaluatedUsers());
    assertThat(Files.readString(out.resolve("report.md"))).contains("Temporal (cut at the 0.70 quantile",
        "The bar to beat: itemknn_recency");
  }
}
