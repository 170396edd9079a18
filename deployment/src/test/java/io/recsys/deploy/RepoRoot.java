package io.recsys.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** The project's root directory, found from wherever the tests run (Maven runs them in deployment/). */
public final class RepoRoot {

  private RepoRoot() {}

  public static Path find() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("k8s/base/kustomization.yaml")) && Files.exists(dir.resolve("deployment/images/build.sh"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no project root (k8s/ and deployment/images/) above " + Path.of("").toAbsolutePath());
  }
}
