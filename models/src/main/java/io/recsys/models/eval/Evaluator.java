package io.recsys.models.eval;

import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.features.Interaction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Applies the protocol to one model: for every evaluated user, rank ALL items except those the
 * user already had, and score the held-out item. On {@link Stage#VALIDATION} the model sees the
 * training part and the validation item is held out (for tuning); on {@link Stage#TEST} it sees
 * training + validation and the test item is held out.
 */
public final class Evaluator {

  public enum Stage { VALIDATION, TEST }

  private static final int BATCH = 256;

  private final EvalSplit split;
  private final ItemCatalog items;
  private final int[] ks;
  private final int maxK;
  private final double[] selfInformation;
  private EmbeddingMatrix embeddings;

  public Evaluator(EvalSplit split, ItemCatalog items, int[] ks) {
    this.split = split;
    this.items = items;
    this.ks = ks.clone();
    this.maxK = java.util.Arrays.stream(ks).max().orElseThrow();
    List<Set<Integer>> had = new ArrayList<>();
    for (List<Interaction> h : split.train()) {
      had.add(itemsOf(h));
    }
    this.selfInformation = RankingMetrics.selfInformation(had, items.size());
  }

  /** The item vectors intra-list diversity "by embedding" is measured with (the same for every model). */
  public void useEmbeddings(EmbeddingMatrix e) {
    this.embeddings = e;
  }

  public Map<String, Double> evaluate(Recommender model, Stage stage, Consumer<String> progress) {
    EmbeddingMatrix e = embeddings;
    MetricsAccumulator acc = new MetricsAccumulator(ks, items.size(),
        (a, b) -> items.categoryIndex(a) != items.categoryIndex(b) ? 1 : 0,
        e == null ? null : (a, b) -> 1 - e.dotRows(a, b), selfInformation);
    List<Integer> users = new ArrayList<>();
    for (int u = 0; u < split.users(); u++) {
      if (split.evaluated(u)) {
        users.add(u);
      }
    }
    long t0 = System.nanoTime();
    float[][] scores = new float[BATCH][items.size()];
    for (int start = 0; start < users.size(); start += BATCH) {
      List<Recommender.Query> batch = new ArrayList<>();
      List<Interaction> targets = new ArrayList<>();
      for (int u : users.subList(start, Math.min(users.size(), start + BATCH))) {
        Interaction target = stage == Stage.TEST ? split.test(u) : split.validation(u);
        List<Interaction> seen = stage == Stage.TEST ? split.trainAndValidation(u) : split.train().get(u);
        batch.add(new Recommender.Query(u, seen, target.timestampMs()));
        targets.add(target);
      }
      model.score(batch, scores);
      for (int q = 0; q < batch.size(); q++) {
        Set<Integer> exclude = itemsOf(batch.get(q).history());
        int target = targets.get(q).itemIndex();
        acc.add(FullRanking.top(scores[q], exclude, maxK), target,
            FullRanking.rankOf(scores[q], exclude, target));
      }
      if (progress != null && (start / BATCH) % 8 == 7) {
        progress.accept(String.format("[%s] %s: %d/%d users (%.1fs)", model.name(),
            stage.name().toLowerCase(), start + batch.size(), users.size(), (System.nanoTime() - t0) / 1e9));
      }
    }
    return acc.result();
  }

  static Set<Integer> itemsOf(List<Interaction> history) {
    Set<Integer> s = new HashSet<>(history.size() * 2);
    for (Interaction e : history) {
      s.add(e.itemIndex());
    }
    return s;
  }
}
