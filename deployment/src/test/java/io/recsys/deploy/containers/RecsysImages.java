package io.recsys.deploy.containers;

import com.github.dockerjava.api.exception.NotFoundException;
import io.recsys.deploy.RepoRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;

/**
 * The images under test, built by the project's own command ({@code deployment/images/build.sh})
 * from the jars this Maven run packaged, with the test's bundle as {@code recsys/bundle:VERSION}.
 * Docker's layer cache makes a rebuild with unchanged jars quick.
 */
final class RecsysImages {

  static final String TAG = Objects.requireNonNull(System.getProperty("recsys.image.tag"),
      "run through Maven (failsafe sets recsys.image.tag from deployment/pom.xml)");

  private RecsysImages() {}

  static String server(String name) {
    return "recsys/" + name + ":" + TAG;
  }

  static String bundle(Path bundleDir) {
    return "recsys/bundle:" + bundleDir.getFileName();
  }

  /** Removes an image this test built for itself (each run trains a bundle of a new version). */
  static void remove(String image) {
    try {
      DockerClientFactory.instance().client().removeImageCmd(image).exec();
    } catch (NotFoundException alreadyGone) {
      // nothing to remove
    }
  }

  /** Runs build.sh for the servers and the bundle; its output goes to target/build-images.log. */
  static void build(Path bundleDir) throws IOException, InterruptedException {
    Path root = RepoRoot.find();
    Path lib = Path.of(Objects.requireNonNull(System.getProperty("recsys.image.lib"), "recsys.image.lib"));
    Path log = root.resolve("deployment/target/build-images.log");
    ProcessBuilder pb = new ProcessBuilder(root.resolve("deployment/images/build.sh").toString(),
        "--lib", lib.toString(), "--tag", TAG, "--bundle", bundleDir.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    // jlink comes from the JDK that runs the tests
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("build.sh took over 5 minutes; see " + log);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("build.sh failed (exit " + p.exitValue() + "):\n" + Files.readString(log));
    }
    System.out.print(Files.readString(log));
  }
}
