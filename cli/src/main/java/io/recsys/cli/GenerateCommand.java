package io.recsys.cli;

import io.recsys.models.data.io.GenericFormat;
import io.recsys.models.data.synthetic.SyntheticConfig;
import io.recsys.models.data.synthetic.SyntheticGenerator;
import io.recsys.models.data.synthetic.TruthFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code generate}: writes the built-in synthetic data set in the generic format. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Generate the built-in synthetic data set (generic CSV format + users_truth.csv).")
final class GenerateCommand implements Callable<Integer> {

  @Option(names = "--out", defaultValue = "data/synthetic", description = "output directory (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--users", defaultValue = "2000", description = "users (default: ${DEFAULT-VALUE})")
  int users;

  @Option(names = "--items", defaultValue = "3000", description = "items (default: ${DEFAULT-VALUE})")
  int items;

  @Option(names = "--categories", defaultValue = "20", description = "categories, at most 30 (default: ${DEFAULT-VALUE})")
  int categories;

  @Option(names = "--cold-items", defaultValue = "150", description = "items created after the last event (default: ${DEFAULT-VALUE})")
  int coldItems;

  @Option(names = "--seed", defaultValue = "42", description = "random seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Override
  public Integer call() throws Exception {
    SyntheticConfig d = SyntheticConfig.defaults();
    generate(new SyntheticConfig(users, items, categories, coldItems, d.meanSessionsPerUser(),
        d.meanEventsPerSession(), seed), out);
    return 0;
  }

  static void generate(SyntheticConfig cfg, Path out) throws java.io.IOException {
    SyntheticGenerator.Generated g = new SyntheticGenerator(cfg).generate();
    GenericFormat.write(g.dataset(), out);
    TruthFile.write(g.truth(), out);
    System.out.printf("[data] generated %d users, %d items, %d interactions into %s%n",
        g.dataset().users(), g.dataset().items().size(), g.dataset().interactionCount(), out);
  }
}
