package io.recsys.cli;

import io.recsys.cli.online.TrainingFeedback;
import io.recsys.common.catalog.CatalogLog;
import io.recsys.common.catalog.CatalogLogs;
import io.recsys.models.data.Dataset;
import io.recsys.models.data.LiveCatalogMerge;
import io.recsys.models.data.io.DatasetFormat;
import io.recsys.models.train.ModelTrainer;
import io.recsys.models.train.SequenceConfig;
import io.recsys.models.train.RankerConfig;
import io.recsys.models.train.TwoTowerConfig;
import io.recsys.state.log.EventLogs;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code train}: trains the two-tower and ranking models and writes a new versioned bundle. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train both models on a data set and export a new versioned model bundle.")
final class TrainCommand implements Callable<Integer> {

  @Option(names = "--data", defaultValue = "data/synthetic",
      description = "data directory (default: ${DEFAULT-VALUE}; generated when it is the default and absent)")
  Path data;

  @Option(names = "--format", defaultValue = "generic",
      description = "data format: generic (default), movielens-100k, movielens-1m, movielens-latest")
  String format;

  @Option(names = "--bundles", defaultValue = "bundles", description = "root of versioned bundles (default: ${DEFAULT-VALUE})")
  Path bundles;

  @Option(names = "--epochs", description = "two-tower epochs (early stopping may stop sooner)")
  Integer epochs;

  @Option(names = "--ranker-epochs", description = "ranker epochs")
  Integer rankerEpochs;

  @Option(names = "--ranker-members", description = "DeepFM networks in the ranker, their logits averaged (default 3;"
      + " 1 costs about a third of the ranking CPU per candidate, for a noisier ranking)")
  Integer rankerMembers;

  @Option(names = "--sequence", description = "also train the sequence model (causal self-attention over the recent"
      + " items) and ship it in the bundle, served as the retrieval server's sequence source; adds minutes on a CPU"
      + " (ml-100k: ~2 min), so it is off by default")
  boolean sequence;

  @Option(names = "--index-shards", defaultValue = "1",
      description = "write the item index as N shards by item id, each served by `serve retrieval --shard I/N`"
          + " (default: ${DEFAULT-VALUE}, one index)")
  int indexShards;

  @Option(names = "--catalog-log",
      description = "the live catalog log whose upserts join the catalog and whose deletes leave it: DIR,"
          + " file:DIR or kafka://HOST:PORT/TOPIC, as the servers' --catalog-log"
          + " (default: catalog beside --bundles, where the servers keep it; none there = nothing to add)")
  String catalogLog = "";

  @Option(names = "--event-log",
      description = "also train on the Feedback in a gateway's event log (file:DIR or kafka://HOST:PORT/TOPIC),"
          + " appended to the data's histories")
  String eventLog;

  @Override
  public Integer call() throws Exception {
    Dataset ds = load(data, format);
    CatalogLog catalog = CatalogLogs.open(catalogLog, bundles);
    LiveCatalogMerge.Merged live = LiveCatalogMerge.merge(ds, catalog);
    if (live.added() + live.updated() + live.deleted() > 0) {
      System.out.printf("[train] catalog log %s: %d items added, %d updated, %d deleted (%d interactions"
          + " with deleted items dropped)%n", catalog.describe(), live.added(), live.updated(), live.deleted(),
          live.droppedInteractions());
      ds = live.dataset();
    }
    // after the catalog: feedback on live items is trained on too
    if (eventLog != null) {
      TrainingFeedback.Merged merged = TrainingFeedback.append(ds, EventLogs.reader(eventLog));
      System.out.printf("[train] event log %s: %d feedback events added (%d new users), %d skipped"
          + " (impressions, searches, items not in the catalog)%n", eventLog, merged.added(), merged.newUsers(),
          merged.skipped());
      ds = merged.dataset();
    }
    trainOn(ds, bundles, epochs, rankerEpochs, rankerMembers, sequence, indexShards);
    return 0;
  }

  static ModelTrainer.Result train(Path data, String format, Path bundles, Integer epochs,
                                   Integer rankerEpochs) throws Exception {
    return trainOn(load(data, format), bundles, epochs, rankerEpochs, null, false, 1);
  }

  private static Dataset load(Path data, String format) throws Exception {
    if (data.equals(Path.of("data/synthetic")) && !java.nio.file.Files.exists(data)) {
      GenerateCommand.generate(io.recsys.models.data.synthetic.SyntheticConfig.defaults(), data);
    }
    return DatasetFormat.read(data, format);
  }

  private static ModelTrainer.Result trainOn(Dataset ds, Path bundles, Integer epochs, Integer rankerEpochs,
                                            Integer rankerMembers, boolean sequence, int indexShards)
      throws Exception {
    TwoTowerConfig tt = TwoTowerConfig.defaults();
    RankerConfig rk = RankerConfig.defaults();
    if (epochs != null) {
      tt = tt.withEpochs(epochs);
    }
    if (rankerEpochs != null) {
      rk = rk.withEpochs(rankerEpochs);
    }
    if (rankerMembers != null) {
      rk = rk.withMembers(rankerMembers);
    }
    return new ModelTrainer(tt, rk, sequence ? SequenceConfig.defaults() : null, System.out::println)
        .trainAndExport(ds, bundles, indexShards);
  }
}
