package io.recsys.models.train;

import io.recsys.common.bundle.BundleLayout;
import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.bundle.ItemNeighbours;
import io.recsys.common.bundle.Manifest;
import io.recsys.common.bundle.Popularity;
import io.recsys.common.candidates.CandidateQuotas;
import io.recsys.common.features.RankerFeatures;
import io.recsys.models.data.Dataset;
import io.recsys.models.export.BundleWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Trains both models on a data set and writes a bundle: split off each user's last interaction for
 * validation, train the two-tower (early stopping on validation recall), choose the item2item
 * source's knobs on validation ({@link Item2ItemLists}), train the ranker on the
 * candidates the served sources would have merged out of sample ({@link RankerTraining}), export.
 */
public final class ModelTrainer {

  private static final DateTimeFormatter VERSION =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private final TwoTowerConfig twoTowerConfig;
  private final RankerConfig rankerConfig;
  private final SequenceConfig sequenceConfig;
  private final Consumer<String> progress;

  /** Trains no sequence model: it costs minutes on a CPU and no default serving path asks it yet. */
  public ModelTrainer(TwoTowerConfig twoTower, RankerConfig ranker, Consumer<String> progress) {
    this(twoTower, ranker, null, progress);
  }

  /** @param sequence the sequence model to train and ship in the bundle, or null for none */
  public ModelTrainer(TwoTowerConfig twoTower, RankerConfig ranker, SequenceConfig sequence,
                      Consumer<String> progress) {
    this.twoTowerConfig = twoTower;
    this.rankerConfig = ranker;
    this.sequenceConfig = sequence;
    this.progress = progress;
  }

  /** The written bundle and what training measured. */
  public record Result(BundleLayout bundle, Manifest manifest, Map<String, Double> metrics) {}

  public Result trainAndExport(Dataset ds, Path bundlesRoot) throws IOException {
    return trainAndExport(ds, bundlesRoot, 1);
  }

  /** @param indexShards how many shards the bundle's item index is written as (1 = one index) */
  public Result trainAndExport(Dataset ds, Path bundlesRoot, int indexShards) throws IOException {
    long t0 = System.nanoTime();
    progress.accept(String.format("[data] %s: %d users, %d items, %d interactions",
        ds.name(), ds.users(), ds.items().size(), ds.interactionCount()));
    LeaveLastOut split = LeaveLastOut.of(ds.histories());
    Dataset train = ds.withHistories(split.train());
    Map<String, Double> metrics = new LinkedHashMap<>();

    try (TwoTowerModel tower = new TwoTowerModel(twoTowerConfig, ds.items(), ds.users() + 1,
        train.itemCounts());
         SequenceModel sequence = sequenceConfig == null ? null
             : new SequenceModel(sequenceConfig, ds.items().size(), train.itemCounts())) {
      EmbeddingMatrix itemVecs = TwoTowerTraining.fit(tower, ds.items(), split.train(),
          split.heldOutItem(), progress, metrics);
      metrics.put("two_tower_train_seconds", (System.nanoTime() - t0) / 1e9);
      BundleWriter.SequencePart sequencePart = sequence == null ? null : new BundleWriter.SequencePart(sequence,
          SequenceTraining.fit(sequence, split.train(), split.heldOutItem(), progress, metrics));

      Item2ItemLists item2itemKnobs = Item2ItemLists.tune(split.train(), split.heldOutItem(), ds.items().size(),
          progress);
      long t1 = System.nanoTime();
      try (RankerModel ranker = RankerTraining.train(ds.items(), ds.users() + 1, split.train(), twoTowerConfig,
          rankerConfig, item2itemKnobs, metrics.get(TwoTowerTraining.EPOCHS).intValue(), progress)) {
        metrics.put("ranker_train_seconds", (System.nanoTime() - t1) / 1e9);
        CandidateQuotas q = rankerConfig.quotas();
        metrics.put("ranker_quota_two_tower", (double) q.twoTower());
        metrics.put("ranker_quota_popular", (double) q.popular());
        metrics.put("ranker_quota_item2item", (double) q.item2item());

        long t2 = System.nanoTime();
        // all interactions, like popularity: serving follows what users did up to the export
        ItemNeighbours item2item = item2itemKnobs.fit(ds.histories(), ds.items().size());
        metrics.put("item2item_ease_lambda", item2itemKnobs.easeLambda());
        metrics.put("item2item_neighbours", (double) item2itemKnobs.neighbours());
        metrics.put("item2item_decay", item2itemKnobs.decay());
        progress.accept(String.format("[item2item] lists written (%s; %.1fs)", item2itemKnobs.describe(),
            (System.nanoTime() - t2) / 1e9));

        String version = VERSION.format(Instant.now());
        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, version, Instant.now().toString(),
            ds.name(), ds.items().size(), ds.users(), ds.items().categorySlots() - 1,
            twoTowerConfig.dim(), twoTowerConfig.historyLength(),
            TwoTowerModel.USER_SIGNATURE, TwoTowerModel.ITEM_SIGNATURE, RankerModel.SIGNATURE,
            new Manifest.RankerFeatureSpec(RankerFeatures.SPARSE, RankerFeatures.DENSE),
            metrics, Map.of(), indexShards).withSequence(sequence == null ? null
            : new Manifest.SequenceSpec(SequenceModel.USER_SIGNATURE, sequenceConfig.maxLength(), sequenceConfig.dim()));
        BundleLayout bundle = BundleWriter.write(bundlesRoot, new BundleWriter.Contents(ds, tower,
            itemVecs, ranker, new Popularity(ds.itemCounts()), item2item, manifest,
            sequencePart), progress);
        progress.accept(String.format("[export] bundle %s written in %.1fs total", bundle.dir(),
            (System.nanoTime() - t0) / 1e9));
        return new Result(bundle, Manifest.read(bundle.manifest()), metrics);
      }
    }
  }
}
