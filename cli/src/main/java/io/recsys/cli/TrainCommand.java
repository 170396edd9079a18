package io.recsys.cli;

import io.recsys.models.data.Dataset;
import io.recsys.models.data.io.DatasetFormat;
import io.recsys.models.train.ModelTrainer;
import io.recsys.models.train.RankerConfig;
import io.recsys.models.train.TwoTowerConfig;
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

  @Override
  public Integer call() throws Exception {
    train(this.data, format, bundles, epochs, rankerEpochs);
    return 0;
  }

  static ModelTrainer.Result train(Path data, String format, Path bundles, Integer epochs,
                                   Integer rankerEpochs) throws Exception {
    if (data.equals(Path.of("data/synthetic")) && !java.nio.file.Files.exists(data)) {
      GenerateCommand.generate(io.recsys.models.data.synthetic.SyntheticConfig.defaults(), data);
    }
    Dataset ds = DatasetFormat.read(data, format);
    TwoTowerConfig tt = TwoTowerConfig.defaults();
    RankerConfig rk = RankerConfig.defaults();
    if (epochs != null) {
      tt = tt.withEpochs(epochs);
    }
    if (rankerEpochs != null) {
      rk = rk.withEpochs(rankerEpochs);
    }
    return new ModelTrainer(tt, rk, System.out::println).trainAndExport(ds, bundles);
  }
}
