package io.recsys.models.testing;

import io.recsys.models.data.Dataset;
import io.recsys.models.data.synthetic.SyntheticConfig;
import io.recsys.models.data.synthetic.SyntheticGenerator;
import io.recsys.models.data.synthetic.SyntheticTruth;
import io.recsys.models.train.ModelTrainer;
import io.recsys.models.train.RankerConfig;
import io.recsys.models.train.SequenceConfig;
import io.recsys.models.train.TwoTowerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small real bundle for tests of the servers: synthetic data with known tastes, both models
 * trained for a few seconds, exported as the servers load it. Built once per JVM.
 */
public final class TestBundles {

  /** The bundle and what it was trained from. */
  public record Fixture(Path bundleDir, Dataset dataset, SyntheticTruth truth) {}

  private static Fixture small;

  private TestBundles() {}

  /** A copy of a bundle directory at {@code to}, e.g. to take a part away and see that it still loads. */
  public static Path copy(Path bundle, Path to) throws IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(bundle)) {
      for (Path p : files.toList()) {
        Path dest = to.resolve(bundle.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest);
        }
      }
    }
    return to;
  }

  public static synchronized Fixture small() {
    if (small == null) {
      try {
        SyntheticGenerator.Generated g = new SyntheticGenerator(SyntheticConfig.small()).generate();
        Path root = Files.createTempDirectory("recsys-test-bundles");
        ModelTrainer trainer = new ModelTrainer(TwoTowerConfig.defaults().withEpochs(4),
            RankerConfig.defaults().withEpochs(3), SequenceConfig.defaults().withEpochs(12),
            line -> System.out.println(line));
        Path dir = trainer.trainAndExport(g.dataset(), root).bundle().dir();
        small = new Fixture(dir, g.dataset(), g.truth());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return small;
  }
}
