package io.recsys.models.eval;

import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.bundle.ItemNeighbours;
import io.recsys.common.bundle.Popularity;
import io.recsys.common.candidates.CandidateQuotas;
import io.recsys.common.features.RankerFeatures;
import io.recsys.models.data.Dataset;
import io.recsys.models.eval.baselines.EaseRecommender;
import io.recsys.models.eval.baselines.ItemKnnRecommender;
import io.recsys.models.eval.baselines.PopularityRecommender;
import io.recsys.models.train.Item2ItemLists;
import io.recsys.models.train.OfflineCandidates;
import io.recsys.models.train.RankerConfig;
import io.recsys.models.train.RankerModel;
import io.recsys.models.train.RankerTraining;
import io.recsys.models.train.RetrievalCheck;
import io.recsys.models.train.SequenceConfig;
import io.recsys.models.train.SequenceModel;
import io.recsys.models.train.SequenceTraining;
import io.recsys.models.train.TwoTowerConfig;
import io.recsys.models.train.TwoTowerModel;
import io.recsys.models.train.TwoTowerTraining;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Fits every model on the training part of one split (leave-last-out or temporal), tunes each
 * baseline's knobs (neighbours or lambda, and the decay of the recency-weighted ones) on the
 * validation items, and measures all of them on the test items with the same {@link Evaluator}.
 * The two-tower and two-stage models are trained with the same code as a bundle.
 */
public final class EvaluationRun {

  public static final List<String> MODELS = List.of("popularity", "itemknn", "itemknn_recency", "item2item",
      "ease", "ease_recency", "two_tower", "sequence", "two_stage");

  /** The models without a neural network: the strongest of them is the bar the neural models must beat. */
  public static final List<String> BASELINES = List.of("popularity", "itemknn", "itemknn_recency", "ease",
      "ease_recency");

  /** What to run and with which knobs. */
  public record Options(String protocol, double cutQuantile, int[] ks, double[] easeLambdas,
                        int[] knnNeighbours, double[] recencyDecays, TwoTowerConfig twoTower,
                        RankerConfig ranker, long[] seeds, Set<String> models, int threads) {}

  /**
   * One model's row of the report. For a model run with several seeds: the mean of each metric, its
   * spread (max - min over the seeds) and each seed's metrics, in seed order (both empty for one
   * run), and the mean times.
   */
  public record ModelResult(String name, Map<String, Double> metrics, Map<String, Double> spread,
                            List<Map<String, Double>> seedRuns, double trainSeconds, double evalSeconds,
                            String tuning) {}

  /** Data set statistics and every model's result. */
  public record Outcome(Map<String, Object> dataset, String protocol, String protocolDetail,
                        List<ModelResult> results) {}

  private final Options options;
  private final SequenceConfig sequence;
  private final Consumer<String> progress;
  private Item2ItemLists item2itemKnobs;
  /** The item2item lists with those knobs over the training part: what every seed's two_stage serves. */
  private ItemNeighbours item2itemLists;

  public EvaluationRun(Options options, Consumer<String> progress) {
    this(options, SequenceConfig.defaults(), progress);
  }

  /** @param sequence the sequence model's knobs (its seeds are the options' seeds) */
  public EvaluationRun(Options options, SequenceConfig sequence, Consumer<String> progress) {
    this.options = options;
    this.sequence = sequence;
    this.progress = progress;
  }

  public Outcome run(Dataset ds) throws IOException {
    EvalSplit split = EvalSplit.of(options.protocol(), ds.histories(), options.cutQuantile());
    Map<String, Object> stats = statistics(ds, split);
    progress.accept("[data] " + stats);
    progress.accept("[data] protocol " + split.protocol()
        + (split.detail().isEmpty() ? "" : ", " + split.detail()));
    Evaluator evaluator = new Evaluator(split, ds.items(), options.ks());
    int items = ds.items().size();
    List<ModelResult> results = new ArrayList<>();

    // the neural models first: their (first seed's) item vectors measure "diversity by embedding"
    if (options.models().contains("two_tower") || options.models().contains("two_stage")) {
      results.addAll(neural(ds, split, evaluator));
    }
    if (options.models().contains("sequence")) {
      results.add(sequence(ds, split, evaluator));
    }
    if (options.models().contains("popularity")) {
      long t0 = System.nanoTime();
      Recommender pop = new PopularityRecommender(split.train(), items);
      results.add(test(evaluator, pop, seconds(t0), ""));
    }
    if (options.models().contains("itemknn") || options.models().contains("itemknn_recency")
        || options.models().contains("item2item")) {
      results.addAll(itemKnn(split, evaluator, items));
    }
    if (options.models().contains("ease") || options.models().contains("ease_recency")) {
      results.addAll(ease(split, evaluator, items));
    }
    return new Outcome(stats, split.protocol(), split.detail(), order(results));
  }

  /**
   * Plain item-kNN tuned over neighbours; its recency-weighted twin over neighbours x decay; and
   * item2item, the lists a bundle export writes (its fixed neighbours and decay, untuned), scored
   * as the served item2item source.
   */
  private List<ModelResult> itemKnn(EvalSplit split, Evaluator evaluator, int items) {
    long t0 = System.nanoTime();
    int max = java.util.Arrays.stream(options.knnNeighbours()).max().orElseThrow();
    ItemKnnRecommender full = ItemKnnRecommender.fit(split.train(), items, max);
    progress.accept(String.format("[itemknn] similarities fitted (%.1fs)", seconds(t0)));
    Best<ItemKnnRecommender> plain = new Best<>();
    Best<ItemKnnRecommender> recency = new Best<>();
    for (int k : options.knnNeighbours()) {
      ItemKnnRecommender m = full.withNeighbours(k);
      if (options.models().contains("itemknn")) {
        plain.offer(m, validate(evaluator, m, "neighbours " + k));
      }
      if (options.models().contains("itemknn_recency")) {
        for (double decay : options.recencyDecays()) {
          ItemKnnRecommender r = m.withRecency(decay);
          recency.offer(r, validate(evaluator, r, "neighbours " + k + ", decay " + decay));
        }
      }
    }
    double fitSeconds = seconds(t0);
    List<ModelResult> out = new ArrayList<>();
    if (plain.model != null) {
      out.add(test(evaluator, plain.model, fitSeconds, "neighbours=" + plain.model.neighbours()));
    }
    if (recency.model != null) {
      out.add(test(evaluator, recency.model, fitSeconds,
          "neighbours=" + recency.model.neighbours() + ", decay=" + recency.model.decay()));
    }
    if (options.models().contains("item2item")) {
      ItemKnnRecommender exported = ItemKnnRecommender.fromLists(item2itemLists(split, items));
      out.add(test(evaluator, exported, fitSeconds, "as exported (knobs chosen on validation): "
          + item2itemKnobs(split, items).describe()));
    }
    return out;
  }

  /** EASE tuned over lambda; its recency-weighted twin over lambda x decay (one fit per lambda). */
  private List<ModelResult> ease(EvalSplit split, Evaluator evaluator, int items) {
    long t0 = System.nanoTime();
    EaseRecommender.Gram gram = new EaseRecommender.Gram(split.train(), items);
    progress.accept(String.format("[ease] Gram matrix over %d items (%.1fs)", gram.size(), seconds(t0)));
    Best<EaseRecommender> plain = new Best<>();
    Best<EaseRecommender> recency = new Best<>();
    for (double lambda : options.easeLambdas()) {
      long t1 = System.nanoTime();
      EaseRecommender m = EaseRecommender.fit(gram, lambda, options.threads());
      progress.accept(String.format("[ease] lambda %.0f fitted (%.1fs)", lambda, seconds(t1)));
      if (options.models().contains("ease")) {
        plain.offer(m, validate(evaluator, m, String.format("lambda %.0f", lambda)));
      }
      if (options.models().contains("ease_recency")) {
        for (double decay : options.recencyDecays()) {
          EaseRecommender r = m.withRecency(decay);
          recency.offer(r, validate(evaluator, r, String.format("lambda %.0f, decay %s", lambda, decay)));
        }
      }
    }
    double fitSeconds = seconds(t0);
    List<ModelResult> out = new ArrayList<>();
    if (plain.model != null) {
      out.add(test(evaluator, plain.model, fitSeconds, "lambda=" + Math.round(plain.model.lambda())));
    }
    if (recency.model != null) {
      out.add(test(evaluator, recency.model, fitSeconds,
          "lambda=" + Math.round(recency.model.lambda()) + ", decay=" + recency.model.decay()));
    }
    return out;
  }

  /** The model with the best validation nDCG@10 so far (the first one on ties). */
  private static final class Best<M extends Recommender> {
    M model;
    double ndcg = -1;

    void offer(M m, double validationNdcg) {
      if (validationNdcg > ndcg) {
        ndcg = validationNdcg;
        model = m;
      }
    }
  }

  /**
   * The neural models once per seed, each reported as the mean over its seeds with the spread (max -
   * min) of every metric beside it: a difference inside the spread is not a result.
   */
  private List<ModelResult> neural(Dataset ds, EvalSplit split, Evaluator evaluator) throws IOException {
    Map<String, List<ModelResult>> runs = new LinkedHashMap<>();
    for (int i = 0; i < options.seeds().length; i++) {
      long seed = options.seeds()[i];
      progress.accept(String.format("[seed] %d (%d/%d)", seed, i + 1, options.seeds().length));
      for (ModelResult r : neural(ds, split, evaluator, options.twoTower().withSeed(seed),
          options.ranker().withSeed(seed), i == 0)) {
        runs.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r);
      }
    }
    List<ModelResult> out = new ArrayList<>();
    for (List<ModelResult> r : runs.values()) {
      out.add(acrossSeeds(r, options.seeds()));
    }
    return out;
  }

  /** The mean of each metric over the seeds' runs, and its spread (max - min); one run is itself. */
  public static ModelResult acrossSeeds(List<ModelResult> runs, long[] seeds) {
    if (runs.size() == 1) {
      return runs.get(0);
    }
    Map<String, Double> mean = new LinkedHashMap<>();
    Map<String, Double> spread = new LinkedHashMap<>();
    for (String metric : runs.get(0).metrics().keySet()) {
      java.util.DoubleSummaryStatistics st = runs.stream().mapToDouble(r -> r.metrics().get(metric))
          .summaryStatistics();
      mean.put(metric, st.getAverage());
      spread.put(metric, st.getMax() - st.getMin());
    }
    List<String> tunings = runs.stream().map(ModelResult::tuning).distinct().toList();
    return new ModelResult(runs.get(0).name(), mean, spread, runs.stream().map(ModelResult::metrics).toList(),
        runs.stream().mapToDouble(ModelResult::trainSeconds).average().orElseThrow(),
        runs.stream().mapToDouble(ModelResult::evalSeconds).average().orElseThrow(),
        "seeds " + java.util.Arrays.stream(seeds).mapToObj(Long::toString)
            .collect(java.util.stream.Collectors.joining(",")) + ": " + String.join(" / ", tunings));
  }

  private List<ModelResult> neural(Dataset ds, EvalSplit split, Evaluator evaluator, TwoTowerConfig tc,
                                   RankerConfig rc, boolean firstSeed) throws IOException {
    List<ModelResult> out = new ArrayList<>();
    Map<String, Double> trainMetrics = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    try (TwoTowerModel tower = new TwoTowerModel(tc, ds.items(), ds.users() + 1,
        ds.withHistories(split.train()).itemCounts())) {
      EmbeddingMatrix itemVecs = TwoTowerTraining.fit(tower, ds.items(), split.train(),
          split.validationItems(), progress, trainMetrics);
      double towerSeconds = seconds(t0);
      if (firstSeed) {
        evaluator.useEmbeddings(itemVecs);
      }
      TwoTowerRecommender twoTower = new TwoTowerRecommender(tower, itemVecs);
      if (options.models().contains("two_tower")) {
        out.add(test(evaluator, twoTower, towerSeconds,
            validation(trainMetrics.get(TwoTowerTraining.VALIDATION_RECALL),
                trainMetrics.get(TwoTowerTraining.VALIDATION_NDCG), trainMetrics.get(TwoTowerTraining.EPOCHS))));
      }
      if (!options.models().contains("two_stage")) {
        return out;
      }
      long t1 = System.nanoTime();
      Item2ItemLists knobs = item2itemKnobs(split, ds.items().size());
      try (RankerModel ranker = RankerTraining.train(ds.items(), ds.users() + 1, split.train(), tc, rc, knobs,
          trainMetrics.get(TwoTowerTraining.EPOCHS).intValue(), progress)) {
        // what serving uses: the final tower's item vectors, popularity and item2item lists of all training data
        Popularity popularity = new Popularity(ds.withHistories(split.train()).itemCounts());
        OfflineCandidates sources = new OfflineCandidates(ds.items(), itemVecs, popularity,
            item2itemLists(split, ds.items().size()), rc.quotas());
        RankerFeatures features = new RankerFeatures(ds.items(), itemVecs, popularity, tc.historyLength())
            .withRanges(ranker.denseRanges());
        CandidateQuotas q = rc.quotas();
        TwoStageRecommender twoStage = new TwoStageRecommender(twoTower, ranker, features, sources);
        String setup = String.format("ranker (%s, %d epochs, %d members) over two_tower %d + popular %d + item2item %d",
            rc.listwise() ? "listwise" : "pointwise", rc.epochs(), rc.members(), q.twoTower(), q.popular(), q.item2item());
        // on validation too, so that the ranker's knobs can be chosen without looking at the test
        double validation = validate(evaluator, twoStage, setup);
        out.add(test(evaluator, twoStage, towerSeconds + seconds(t1),
            String.format("%s, validation ndcg@10 %.4f", setup, validation)));
      }
    }
    return out;
  }

  /** The sequence model once per seed, reported like the two-tower: mean and spread over the seeds. */
  private ModelResult sequence(Dataset ds, EvalSplit split, Evaluator evaluator) throws IOException {
    List<ModelResult> runs = new ArrayList<>();
    for (long seed : options.seeds()) {
      progress.accept(String.format("[sequence] seed %d", seed));
      long t0 = System.nanoTime();
      Map<String, Double> trainMetrics = new LinkedHashMap<>();
      try (SequenceModel model = new SequenceModel(sequence.withSeed(seed), ds.items().size(),
          ds.withHistories(split.train()).itemCounts())) {
        EmbeddingMatrix itemVecs = SequenceTraining.fit(model, split.train(), split.validationItems(), progress,
            trainMetrics);
        runs.add(test(evaluator, new SequenceRecommender(model, itemVecs), seconds(t0),
            validation(trainMetrics.get(SequenceTraining.VALIDATION_RECALL),
                trainMetrics.get(SequenceTraining.VALIDATION_NDCG), trainMetrics.get(SequenceTraining.EPOCHS))));
      }
    }
    return acrossSeeds(runs, options.seeds());
  }

  /** How a model's kept epoch scored on validation, for the report. */
  private static String validation(double recall, double ndcg, double epoch) {
    return String.format("validation %s at epoch %.0f", new RetrievalCheck.Scores(recall, ndcg), epoch);
  }

  /** The item2item knobs chosen on this split's validation items, once per run (no seed involved). */
  private Item2ItemLists item2itemKnobs(EvalSplit split, int items) {
    if (item2itemKnobs == null) {
      item2itemKnobs = Item2ItemLists.tune(split.train(), split.validationItems(), items, progress);
    }
    return item2itemKnobs;
  }

  /** The lists with those knobs over this split's training part, fitted once per run. */
  private ItemNeighbours item2itemLists(EvalSplit split, int items) {
    if (item2itemLists == null) {
      item2itemLists = item2itemKnobs(split, items).fit(split.train(), items);
    }
    return item2itemLists;
  }

  private double validate(Evaluator evaluator, Recommender m, String knobs) {
    double ndcg = evaluator.evaluate(m, Evaluator.Stage.VALIDATION, null).get("ndcg@10");
    progress.accept(String.format("[%s] %s: validation ndcg@10 %.4f", m.name(), knobs, ndcg));
    return ndcg;
  }

  private ModelResult test(Evaluator evaluator, Recommender m, double trainSeconds, String tuning) {
    long t0 = System.nanoTime();
    Map<String, Double> metrics = evaluator.evaluate(m, Evaluator.Stage.TEST, progress);
    ModelResult r = new ModelResult(m.name(), metrics, Map.of(), List.of(), trainSeconds, seconds(t0), tuning);
    progress.accept(String.format("[%s] test recall@10 %.4f ndcg@10 %.4f (train %.1fs, eval %.1fs) %s",
        m.name(), metrics.getOrDefault("recall@10", Double.NaN), metrics.getOrDefault("ndcg@10", Double.NaN),
        trainSeconds, r.evalSeconds(), tuning));
    return r;
  }

  private static List<ModelResult> order(List<ModelResult> results) {
    List<ModelResult> out = new ArrayList<>(results);
    out.sort(java.util.Comparator.comparingInt(r -> MODELS.indexOf(r.name())));
    return out;
  }

  static Map<String, Object> statistics(Dataset ds, EvalSplit split) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("name", ds.name());
    s.put("users", ds.users());
    s.put("items", ds.items().size());
    s.put("interactions", ds.interactionCount());
    s.put("evaluated_users", split.evaluatedUsers());
    s.put("categories", ds.items().categorySlots() - 1);
    s.put("training_data_until", java.time.Instant.ofEpochMilli(split.trainingCutoffMs()).toString());
    s.put("density", (double) ds.interactionCount() / ((double) ds.users() * ds.items().size()));
    int[] lengths = ds.histories().stream().mapToInt(List::size).sorted().toArray();
    s.put("median_history", lengths.length == 0 ? 0 : lengths[lengths.length / 2]);
    return s;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
