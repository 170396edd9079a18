package io.recsys.models.eval.cold;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recsys.models.data.Dataset;
import io.recsys.models.data.synthetic.SyntheticConfig;
import io.recsys.models.data.synthetic.SyntheticGenerator;
import io.recsys.models.train.TwoTowerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cold-item protocol end to end on synthetic data, whose users pick items by category. */
class ColdItemRunTest {

  @Test
  void contentFindsHeldOutItemsFarBetterThanRandomAndTheReportSaysHow(@TempDir Path out) throws Exception {
    Dataset ds = new SyntheticGenerator(SyntheticConfig.small()).generate().dataset();
    List<String> log = new ArrayList<>();
    ColdItemRun.Outcome o = new ColdItemRun(new ColdItemRun.Options(0.2, 3, new long[] {1, 2},
        TwoTowerConfig.defaults().withEpochs(3), new double[] {0.5, 1}), log::add).run(ds);
    ColdItemReport.write(out, o, "bin/recsys evaluate --protocol cold-items --cold-share 0.2");

    JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertThat(json.get("protocol").asText()).isEqualTo("cold-items");
    assertThat(json.at("/dataset/cold_share").asDouble()).isEqualTo(0.2);
    double random = json.at("/models/random/recall@10").asDouble();
    assertThat(random).isGreaterThan(0).isLessThan(0.5);
    // synthetic users choose by category, which both content models read: far above chance
    assertThat(json.at("/models/content_overlap/recall@10").asDouble()).isGreaterThan(1.5 * random);
    assertThat(json.at("/models/cold_start/recall@10").asDouble()).isGreaterThan(1.5 * random);
    assertThat(json.at("/seed_spread/cold_start/ndcg@10").asDouble()).isNotNegative();
    assertThat(json.at("/tuning/cold_start").asText()).startsWith("seeds 1,2: ");
    assertThat(json.at("/tuning/content_overlap").asText()).matches("decay=(0.5|1.0) .*");
    assertThat(log).anyMatch(l -> l.startsWith("[content_overlap] decay 0.5: validation ndcg@10"));
    assertThat(Files.readString(out.resolve("report.md")))
        .contains("## Protocol: cold-items, share 0.2", "A random share 0.2 of the items with interactions, "
            + (json.at("/dataset/validation_cold_items").asInt() + json.at("/dataset/test_cold_items").asInt())
            + " items (seed 3)", "| cold_start |", "| content_overlap |", "| random |",
            "Popularity is meaningless", "recall@50");
  }
}
