package io.recsys.models.eval.cold;

import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.models.data.Dataset;
import io.recsys.models.eval.EvaluationRun;
import io.recsys.models.eval.EvaluationRun.ModelResult;
import io.recsys.models.train.LeaveLastOut;
import io.recsys.models.train.TwoTowerConfig;
import io.recsys.models.train.TwoTowerModel;
import io.recsys.models.train.TwoTowerTraining;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The cold-item protocol ({@code evaluate --protocol cold-items}): holds a share of the items out
 * of training ({@link ColdItemSplit}), trains the two-tower on the rest as a bundle does, and ranks
 * each held-out interaction's item among the held-out items of the test half. Models: cold_start
 * (the user tower against content-only item vectors, once per seed), the content_overlap baseline
 * (its decay tuned on the validation half) and random order.
 */
public final class ColdItemRun {

  public static final String PROTOCOL = "cold-items";

  /**
   * @param splitSeed draws the held-out items (the same for every neural seed)
   * @param decays tried by content_overlap on the validation half
   */
  public record Options(double share, long splitSeed, long[] seeds, TwoTowerConfig twoTower, double[] decays) {}

  /** What the report shows: data and split statistics and each model's test metrics. */
  public record Outcome(Map<String, Object> dataset, List<ModelResult> results) {}

  private final Options options;
  private final Consumer<String> progress;

  public ColdItemRun(Options options, Consumer<String> progress) {
    this.options = options;
    this.progress = progress;
  }

  public Outcome run(Dataset ds) throws IOException {
    ColdItemSplit split = ColdItemSplit.of(ds.histories(), ds.items().size(), options.share(), options.splitSeed());
    Map<String, Object> stats = statistics(ds, split);
    progress.accept("[cold-items] " + stats);
    if (split.test().isEmpty() || split.validation().isEmpty()) {
      throw new IllegalArgumentException("no held-out interaction has a warm history before it: raise --cold-share");
    }
    List<ModelResult> results = new ArrayList<>();
    long t0 = System.nanoTime();
    results.add(result("random", ColdItemMetrics.random(split.test(), split.testItems()), 0, t0,
        "expected value of a uniformly random order"));
    results.add(contentOverlap(ds, split));
    results.addAll(neural(ds, split));
    return new Outcome(stats, results);
  }

  private ModelResult contentOverlap(Dataset ds, ColdItemSplit split) {
    long t0 = System.nanoTime();
    ContentOverlapScorer base = ContentOverlapScorer.of(ds.items());
    ContentOverlapScorer best = null;
    double bestNdcg = -1;
    for (double decay : options.decays()) {
      ContentOverlapScorer s = base.withDecay(decay);
      double ndcg = ColdItemMetrics.of(s, split.validation(), split.validationItems()).get(ColdItemMetrics.NDCG);
      progress.accept(String.format(Locale.ROOT, "[content_overlap] decay %s: validation ndcg@10 %.4f", decay, ndcg));
      if (ndcg > bestNdcg) {
        bestNdcg = ndcg;
        best = s;
      }
    }
    double tuneSeconds = seconds(t0);
    long t1 = System.nanoTime();
    return result(best.name(), ColdItemMetrics.of(best, split.test(), split.testItems()), tuneSeconds, t1,
        String.format(Locale.ROOT, "decay=%s (validation ndcg@10 %.4f)", best.decay(), bestNdcg));
  }

  /** cold_start once per seed (with and without the user id), as the mean and spread over the seeds. */
  private List<ModelResult> neural(Dataset ds, ColdItemSplit split) throws IOException {
    Map<String, List<ModelResult>> runs = new LinkedHashMap<>();
    // early stopping as in a bundle's training: each user's last warm interaction is held out
    LeaveLastOut warm = LeaveLastOut.of(split.train());
    for (int i = 0; i < options.seeds().length; i++) {
      long seed = options.seeds()[i];
      progress.accept(String.format("[seed] %d (%d/%d)", seed, i + 1, options.seeds().length));
      TwoTowerConfig tc = options.twoTower().withSeed(seed);
      long t0 = System.nanoTime();
      try (TwoTowerModel tower = new TwoTowerModel(tc, ds.items(), ds.users() + 1,
          ds.withHistories(split.train()).itemCounts())) {
        TwoTowerTraining.fit(tower, ds.items(), warm.train(), warm.heldOutItem(), progress, new LinkedHashMap<>());
        EmbeddingMatrix content = tower.contentEmbeddings(ds.items());
        double trainSeconds = seconds(t0);
        for (ColdStartScorer s : List.of(new ColdStartScorer("cold_start", tower, content, false),
            new ColdStartScorer("cold_start_user_id", tower, content, true))) {
          double validation = ColdItemMetrics.of(s, split.validation(), split.validationItems())
              .get(ColdItemMetrics.NDCG);
          long t1 = System.nanoTime();
          runs.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(result(s.name(),
              ColdItemMetrics.of(s, split.test(), split.testItems()), trainSeconds, t1,
              String.format(Locale.ROOT, "validation ndcg@10 %.4f", validation)));
        }
      }
    }
    List<ModelResult> out = new ArrayList<>();
    for (List<ModelResult> r : runs.values()) {
      out.add(EvaluationRun.acrossSeeds(r, options.seeds()));
    }
    return out;
  }

  private ModelResult result(String name, Map<String, Double> metrics, double trainSeconds, long evalStart,
                             String tuning) {
    ModelResult r = new ModelResult(name, metrics, Map.of(), List.of(), trainSeconds, seconds(evalStart), tuning);
    progress.accept(String.format(Locale.ROOT, "[%s] test recall@10 %.4f recall@50 %.4f ndcg@10 %.4f %s", name,
        metrics.get("recall@10"), metrics.get("recall@50"), metrics.get(ColdItemMetrics.NDCG), tuning));
    return r;
  }

  static Map<String, Object> statistics(Dataset ds, ColdItemSplit split) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("name", ds.name());
    s.put("users", ds.users());
    s.put("items", ds.items().size());
    s.put("interactions", ds.interactionCount());
    s.put("cold_share", split.share());
    s.put("split_seed", split.seed());
    s.put("validation_cold_items", split.validationItems().length);
    s.put("test_cold_items", split.testItems().length);
    s.put("training_interactions", split.train().stream().mapToLong(List::size).sum());
    s.put("validation_events", split.validation().size());
    s.put("test_events", split.test().size());
    s.put("test_users", split.test().stream().mapToInt(ColdItemSplit.Event::user).distinct().count());
    return s;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
