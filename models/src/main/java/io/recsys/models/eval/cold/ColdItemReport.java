package io.recsys.models.eval.cold;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.recsys.models.eval.EvaluationRun.ModelResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes the cold-item protocol's report.json and report.md. */
public final class ColdItemReport {

  static final List<String> COLUMNS = List.of("recall@10", "recall@20", "recall@50", "ndcg@10", "mrr");

  private ColdItemReport() {}

  public static void write(Path out, ColdItemRun.Outcome o, String command) throws IOException {
    Files.createDirectories(out);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("protocol", ColdItemRun.PROTOCOL);
    root.put("dataset", o.dataset());
    Map<String, Object> models = new LinkedHashMap<>();
    Map<String, Object> spread = new LinkedHashMap<>();
    Map<String, Object> seedRuns = new LinkedHashMap<>();
    Map<String, Object> tuning = new LinkedHashMap<>();
    for (ModelResult r : o.results()) {
      models.put(r.name(), r.metrics());
      if (!r.spread().isEmpty()) {
        spread.put(r.name(), r.spread());
        seedRuns.put(r.name(), r.seedRuns());
      }
      tuning.put(r.name(), r.tuning());
    }
    root.put("models", models);
    root.put("seed_spread", spread);
    root.put("seed_runs", seedRuns);
    root.put("tuning", tuning);
    Files.writeString(out.resolve("report.json"),
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root));
    Files.writeString(out.resolve("report.md"), markdown(o, command));
  }

  static String markdown(ColdItemRun.Outcome o, String command) {
    Map<String, Object> d = o.dataset();
    StringBuilder md = new StringBuilder();
    md.append("# Cold-item evaluation: ").append(d.get("name")).append("\n\n");
    md.append("Command: `").append(command).append("`\n\n");
    md.append(String.format(Locale.ROOT, "## Protocol: cold-items, share %s%n%n", d.get("cold_share")));
    md.append(String.format(Locale.ROOT, "A random share %s of the items with interactions, %s items (seed %s), is held out of "
        + "training entirely: every interaction with them is removed, so no model sees their ids. They are halved "
        + "into %s validation items (content_overlap's decay is tuned there) and %s test items. Every interaction "
        + "with a test item by a user with an earlier warm interaction is one query (%s, from %s users): the "
        + "user's warm interactions before it are the history, and the item is ranked among the test items only, "
        + "minus the held-out items the user already had. The two-tower trains on the %s remaining interactions "
        + "as a bundle does (early stopping on each user's last warm interaction). MovieLens tags are not read "
        + "(a new item has none, and they are written by the users who rated it). Popularity is meaningless "
        + "here: every held-out item has no training interaction, so it ties them all.%n%n",
        d.get("cold_share"), (int) d.get("validation_cold_items") + (int) d.get("test_cold_items"),
        d.get("split_seed"), d.get("validation_cold_items"), d.get("test_cold_items"), d.get("test_events"),
        d.get("test_users"), d.get("training_interactions")));
    md.append("- `cold_start`: the user tower (as the unknown user: its history only) against each item's "
        + "content-only vector (category + title words through the item tower, the id part zero).\n"
        + "- `cold_start_user_id`: the same with the user's id embedding, as served; that embedding was trained "
        + "on the user's whole warm history, later interactions included, which the baselines do not see.\n"
        + "- `content_overlap`: IDF-weighted overlap of the item's category and title words with the user's "
        + "history, item h weighted decay^(age of h).\n"
        + "- `random`: the expected value of a uniformly random order.\n\n");
    md.append("## Results (test items)\n\n| model |");
    for (String c : COLUMNS) {
      md.append(' ').append(c).append(" |");
    }
    md.append(" train s | tuning |\n|---|").append("---:|".repeat(COLUMNS.size() + 1)).append("---|\n");
    for (ModelResult r : o.results()) {
      md.append("| ").append(r.name()).append(" |");
      for (String c : COLUMNS) {
        Double spread = r.spread().get(c);
        md.append(String.format(Locale.ROOT, spread == null ? " %.4f |" : " %.4f (%.4f) |", r.metrics().get(c),
            spread));
      }
      md.append(String.format(Locale.ROOT, " %.1f | %s |%n", r.trainSeconds(), r.tuning()));
    }
    md.append("\nRows run with several seeds show the mean and, in brackets, the spread (max - min); a "
        + "difference inside the spread is not claimed.\n\n").append(verdict(o));
    return md.toString();
  }

  /** cold_start against each baseline on nDCG@10 and Recall@10, a gap inside its seed spread called a tie. */
  static String verdict(ColdItemRun.Outcome o) {
    StringBuilder s = new StringBuilder();
    ModelResult m = find(o, "cold_start");
    if (m == null) {
      return "";
    }
    for (String base : List.of("content_overlap", "random")) {
      ModelResult b = find(o, base);
      for (String metric : List.of("recall@10", "ndcg@10")) {
        double x = m.metrics().get(metric);
        double y = b.metrics().get(metric);
        double spread = m.spread().getOrDefault(metric, 0.0);
        String verb = Math.abs(x - y) <= spread ? "is within its seed spread of" : x > y ? "beats" : "does NOT beat";
        s.append(String.format(Locale.ROOT, "- cold_start %s %s on %s (%.4f vs %.4f, %.2fx)%n", verb, base, metric,
            x, y, x / y));
      }
    }
    return s.toString();
  }

  private static ModelResult find(ColdItemRun.Outcome o, String name) {
    return o.results().stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
  }
}
