package io.recsys.models.train;

import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.Popularity;
import io.recsys.common.features.CandidateSources;
import io.recsys.common.features.Interaction;
import io.recsys.common.features.RankerFeatures;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains the ranker on examples whose candidates come from sources that never saw them. Rows
 * retrieved in-sample (by a tower that learned exactly those next items, by item2item lists counted
 * over them) make the retrieval scores look far more telling than they are when serving, and the
 * ranker learns to lean on them. So each user's last {@code positionsPerUser} training
 * interactions are held back; a second tower, popularity and the item2item lists are fitted on
 * what comes before them, and the held-back positions become the ranker's examples with the
 * candidates those sources would have served then ({@link OfflineCandidates}). With {@code windows}
 * of 2 the {@code positionsPerUser} before those are examples as well, with sources fitted on what
 * comes before them, while the examples number fewer than {@link RankerConfig#ENOUGH_EXAMPLES}:
 * 14.7k examples instead of 8.3k on ml-latest-small, for a DeepFM with an embedding row per item.
 */
public final class RankerTraining {

  private RankerTraining() {}

  /**
   * @param item2item the item2item source's knobs, as served
   * @param towerEpochs how long to train the second tower (as long as the early-stopped main tower took)
   */
  public static RankerModel train(ItemCatalog items, int userSlots, List<List<Interaction>> train,
                                  TwoTowerConfig tc, RankerConfig rc, Item2ItemLists item2item, int towerEpochs,
                                  Consumer<String> progress) {
    long t0 = System.nanoTime();
    RankerExamples ex = outOfSampleExamples(items, userSlots, train, tc, rc, item2item, towerEpochs, progress);
    return fit(items, ex, rc, t0, progress);
  }

  private static RankerModel fit(ItemCatalog items, RankerExamples ex, RankerConfig rc, long t0,
                                 Consumer<String> progress) {
    progress.accept(String.format("[ranker] %d examples of %d candidates (%.1fs)", ex.groups(), ex.groupSize(),
        seconds(t0)));
    int[] slots = {items.size(), items.categorySlots(), CandidateSources.MASK_SLOTS};
    RankerModel ranker = new RankerModel(rc, slots);
    Random rnd = new Random(rc.seed());
    for (int e = 1; e <= rc.epochs(); e++) {
      float loss = ranker.trainEpoch(ex, rnd);
      progress.accept(String.format("[ranker] epoch %d/%d %s loss %.4f (%.1fs)", e, rc.epochs(),
          rc.listwise() ? "listwise" : "log", loss, seconds(t0)));
    }
    return ranker;
  }

  static RankerExamples outOfSampleExamples(ItemCatalog items, int userSlots, List<List<Interaction>> train,
                                            TwoTowerConfig tc, RankerConfig rc, Item2ItemLists item2item,
                                            int towerEpochs, Consumer<String> progress) {
    RankerExamples all = null;
    for (int w = 1; w <= rc.windows() && (all == null || all.groups() < RankerConfig.ENOUGH_EXAMPLES); w++) {
      RankerExamples ex = windowExamples(items, userSlots, train, w, tc, rc, item2item, towerEpochs, progress);
      all = all == null ? ex : all.plus(ex);
    }
    return all;
  }

  /**
   * Examples of window w: each user's positions from the w-th last positionsPerUser on, up to the
   * next window, with sources fitted on what comes before them.
   */
  private static RankerExamples windowExamples(ItemCatalog items, int userSlots, List<List<Interaction>> all,
                                               int w, TwoTowerConfig tc, RankerConfig rc, Item2ItemLists item2item,
                                               int towerEpochs, Consumer<String> progress) {
    int p = rc.positionsPerUser();
    List<List<Interaction>> train = new ArrayList<>(all.size());
    List<List<Interaction>> earlier = new ArrayList<>(all.size());
    for (List<Interaction> h : all) {
      train.add(h.subList(0, Math.max(0, h.size() - (w - 1) * p)));
      earlier.add(h.subList(0, Math.max(0, h.size() - w * p)));
    }
    float[] counts = new float[items.size()];
    for (List<Interaction> h : earlier) {
      for (Interaction e : h) {
        counts[e.itemIndex()]++;
      }
    }
    progress.accept(String.format("[ranker] window %d/%d: fitting a two-tower and item2item lists without each user's"
        + " last %d interactions, to retrieve the candidates of positions %d-%d from the end out of sample", w,
        rc.windows(), w * p, (w - 1) * p + 1, w * p));
    try (TwoTowerModel tower = new TwoTowerModel(tc, items, userSlots, counts)) {
      EmbeddingMatrix vecs = TwoTowerTraining.fitEpochs(tower, items, earlier, towerEpochs, progress);
      Popularity popularity = new Popularity(counts);
      OfflineCandidates sources = new OfflineCandidates(items, vecs, popularity,
          item2item.fit(earlier, items.size()), rc.quotas());
      RankerFeatures features = new RankerFeatures(items, vecs, popularity, tc.historyLength());
      return RankerExamples.build(train, tower, sources, features, rc);
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
