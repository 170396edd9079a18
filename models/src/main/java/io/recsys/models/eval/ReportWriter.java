package io.recsys.models.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes report.json (machine-readable), report.md (for people) and the metric-vs-k plots. */
public final class ReportWriter {

  /** Columns of the headline table in report.md. */
  static final List<String> HEADLINE = List.of("recall@10", "ndcg@10", "recall@20", "ndcg@20",
      "precision@10", "hit_rate@10", "mrr", "coverage@10", "ild_category@10", "ild_embedding@10", "novelty@10");

  private ReportWriter() {}

  public static void write(Path out, EvaluationRun.Outcome outcome, int[] ks, String command)
      throws IOException {
    Files.createDirectories(out);
    Files.writeString(out.resolve("report.json"), json(outcome));
    List<String> plots = MetricPlots.write(out, outcome.results(), ks);
    Files.writeString(out.resolve("report.md"), markdown(outcome, ks, command, plots));
  }

  static String json(EvaluationRun.Outcome o) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("dataset", o.dataset());
    root.put("protocol", o.protocol());
    root.put("protocol_detail", o.protocolDetail());
    Map<String, Object> models = new LinkedHashMap<>();
    Map<String, Object> train = new LinkedHashMap<>();
    Map<String, Object> eval = new LinkedHashMap<>();
    Map<String, Object> tuning = new LinkedHashMap<>();
    Map<String, Object> spread = new LinkedHashMap<>();
    Map<String, Object> seedRuns = new LinkedHashMap<>();
    for (EvaluationRun.ModelResult r : o.results()) {
      models.put(r.name(), r.metrics());
      if (!r.spread().isEmpty()) {
        spread.put(r.name(), r.spread());
        seedRuns.put(r.name(), r.seedRuns());
      }
      train.put(r.name(), round(r.trainSeconds()));
      eval.put(r.name(), round(r.evalSeconds()));
      tuning.put(r.name(), r.tuning());
    }
    root.put("models", models);
    root.put("seed_spread", spread);
    root.put("seed_runs", seedRuns);
    root.put("train_seconds", train);
    root.put("eval_seconds", eval);
    root.put("tuning", tuning);
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
  }

  static String markdown(EvaluationRun.Outcome o, int[] ks, String command, List<String> plots) {
    StringBuilder md = new StringBuilder();
    Map<String, Object> d = o.dataset();
    md.append("# Offline evaluation: ").append(d.get("name")).append("\n\n");
    md.append("Command: `").append(command).append("`\n\n");
    md.append("## Data set\n\n| users | items | interactions | evaluated users | categories | density | median history |\n")
        .append("|---:|---:|---:|---:|---:|---:|---:|\n")
        .append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.4f | %s |%n%n", d.get("users"),
            d.get("items"), d.get("interactions"), d.get("evaluated_users"), d.get("categories"),
            ((Number) d.get("density")).doubleValue(), d.get("median_history")));
    md.append("The training data ends at ").append(d.get("training_data_until"))
        .append("; item text written later (MovieLens tags) is not read.\n\n");
    md.append("## Protocol\n\n").append(protocol(o)).append(" Every model is fitted on the training part and "
        + "tuned on validation only; for the test it sees training + validation. ALL items are ranked, except the "
        + "user's training and validation items; no sampled negatives. itemknn_recency and ease_recency weigh "
        + "history item h by decay^(age of h), age 0 the newest, with the decay tuned on validation like the other "
        + "knobs: the next item often follows the latest ones, which the order-blind itemknn and ease ignore. The bar "
        + "to beat is the strongest baseline on test nDCG@10. Diversity by embedding uses the (first seed's) "
        + "two-tower item vectors for every model; novelty is -log2 of the share of training users who had the "
        + "item.\n\n");
    md.append("## Results (test)\n\n| model |");
    for (String c : HEADLINE) {
      md.append(' ').append(c).append(" |");
    }
    md.append(" train s | eval s | tuning |\n|---|");
    md.append("---:|".repeat(HEADLINE.size() + 2)).append("---|\n");
    for (EvaluationRun.ModelResult r : o.results()) {
      md.append("| ").append(r.name()).append(" |");
      for (String c : HEADLINE) {
        Double v = r.metrics().get(c);
        Double spread = r.spread().get(c);
        md.append(v == null ? " - |" : String.format(Locale.ROOT, spread == null ? " %.4f |" : " %.4f (%.4f) |", v,
            spread));
      }
      md.append(String.format(Locale.ROOT, " %.1f | %.1f | %s |%n", r.trainSeconds(), r.evalSeconds(), r.tuning()));
    }
    if (o.results().stream().anyMatch(r -> !r.spread().isEmpty())) {
      md.append("\nModels run with several seeds show the mean over the seeds and, in brackets, the spread "
          + "(max - min); a difference inside the spread is not claimed.\n");
    }
    md.append('\n').append(verdict(o)).append('\n');
    md.append("## All metrics\n\n| metric |");
    for (EvaluationRun.ModelResult r : o.results()) {
      md.append(' ').append(r.name()).append(" |");
    }
    md.append("\n|---|").append("---:|".repeat(o.results().size())).append('\n');
    if (!o.results().isEmpty()) {
      for (String metric : o.results().get(0).metrics().keySet()) {
        md.append("| ").append(metric).append(" |");
        for (EvaluationRun.ModelResult r : o.results()) {
          Double v = r.metrics().get(metric);
          md.append(v == null ? " - |" : String.format(Locale.ROOT, metric.equals("users") ? " %.0f |" : " %.4f |", v));
        }
        md.append('\n');
      }
    }
    md.append("\n## Plots\n\n");
    for (String p : plots) {
      md.append("![").append(p).append("](").append(p).append(")\n");
    }
    return md.toString();
  }

  private static String protocol(EvaluationRun.Outcome o) {
    return switch (o.protocol()) {
      case "temporal" -> "Temporal (" + o.protocolDetail() + "): training is every interaction before the cut "
          + "time; each user's first interaction at or after it is the test item and their last one before it the "
          + "validation item; users with fewer than 2 interactions before the cut or none after it are not "
          + "evaluated, and nothing after a test item is used.";
      default -> "Leave-last-out: per user, interactions sorted by time (ties in file order); the last is the test "
          + "item, the second to last the validation item, the rest is training; users with fewer than 3 "
          + "interactions stay in training only.";
    };
  }

  /**
   * The bar to beat: the strongest baseline on test nDCG@10 (the strictest test of the neural
   * models; under leave-last-out usually a recency-weighted one); null when none ran.
   */
  static EvaluationRun.ModelResult bar(EvaluationRun.Outcome o) {
    return o.results().stream().filter(r -> EvaluationRun.BASELINES.contains(r.name()))
        .max(java.util.Comparator.comparingDouble(r -> r.metrics().getOrDefault("ndcg@10", Double.NaN)))
        .orElse(null);
  }

  /**
   * Plain statements of where the two-tower and two-stage models stand against the bar, each baseline
   * and each other; a difference no larger than the seed spread of either side is called a tie.
   */
  static String verdict(EvaluationRun.Outcome o) {
    StringBuilder s = new StringBuilder();
    EvaluationRun.ModelResult bar = bar(o);
    if (bar != null) {
      double b = bar.metrics().get("ndcg@10");
      s.append(String.format(Locale.ROOT, "- **The bar to beat: %s** (nDCG@10 %.4f; %s)%n", bar.name(), b,
          bar.tuning()));
      for (String model : List.of("two_tower", "sequence", "two_stage")) {
        EvaluationRun.ModelResult m = find(o, model);
        if (m != null) {
          s.append(String.format(Locale.ROOT, "- %s nDCG@10 is %.2fx the bar%s%s%n", model,
              m.metrics().get("ndcg@10") / b,
              m.spread().containsKey("ndcg@10")
                  ? String.format(Locale.ROOT, " (seed spread %.2fx)", m.spread().get("ndcg@10") / b) : "",
              model.equals("two_stage") ? "; the goal is >= 1.10x the bar and >= two_tower" : ""));
        }
      }
    }
    // two_stage against every single source it merges (two_tower, popularity, item2item) and each baseline
    List<String> others = new java.util.ArrayList<>(EvaluationRun.BASELINES);
    others.addAll(List.of("item2item", "two_tower"));
    for (String model : List.of("two_tower", "sequence", "two_stage")) {
      EvaluationRun.ModelResult m = find(o, model);
      if (m == null) {
        continue;
      }
      for (String base : others) {
        EvaluationRun.ModelResult b = find(o, base);
        if (b == null || b == m) {
          continue;
        }
        for (String metric : List.of("recall@10", "ndcg@10")) {
          s.append(comparison(m, b, metric));
        }
      }
    }
    return s.toString();
  }

  private static String comparison(EvaluationRun.ModelResult m, EvaluationRun.ModelResult b, String metric) {
    double x = m.metrics().getOrDefault(metric, Double.NaN);
    double y = b.metrics().getOrDefault(metric, Double.NaN);
    double spread = Math.max(m.spread().getOrDefault(metric, 0.0), b.spread().getOrDefault(metric, 0.0));
    String verb = spread > 0 && Math.abs(x - y) <= spread
        ? "is within the seed spread (" + String.format(Locale.ROOT, "%.4f", spread) + ") of"
        : x > y ? "beats" : "does NOT beat";
    return String.format(Locale.ROOT, "- %s %s %s on %s (%.4f vs %.4f, %+.1f%%%s)%n", m.name(), verb, b.name(),
        metric, x, y, 100 * (x - y) / y, pairedBySeed(m, b, metric));
  }

  /**
   * Two models trained with the same seeds, compared seed by seed: a model below the other in every
   * seed is below it even where the spreads overlap.
   */
  private static String pairedBySeed(EvaluationRun.ModelResult m, EvaluationRun.ModelResult b, String metric) {
    int n = m.seedRuns().size();
    if (n == 0 || b.seedRuns().size() != n) {
      return "";
    }
    int higher = 0;
    for (int i = 0; i < n; i++) {
      higher += m.seedRuns().get(i).get(metric) > b.seedRuns().get(i).get(metric) ? 1 : 0;
    }
    return String.format(Locale.ROOT, "; higher in %d of %d seeds", higher, n);
  }

  private static EvaluationRun.ModelResult find(EvaluationRun.Outcome o, String name) {
    return o.results().stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
  }

  private static double round(double seconds) {
    return Math.round(seconds * 10) / 10.0;
  }
}
