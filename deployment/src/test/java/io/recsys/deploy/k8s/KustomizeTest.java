package io.recsys.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The test renderer agrees with the real kustomize (in kubectl) wherever a kubectl with kustomize v4+
 * is installed: every object of every overlay, field by field.
 */
class KustomizeTest {

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/cpu", "overlays/gpu", "overlays/sharded"})
  void rendersWhatKubectlKustomizeRenders(String dir) throws Exception {
    Path kustomization = Manifests.K8S.resolve(dir);
    String why = whyNoUsableKubectl();
    assumeTrue(why == null, () -> why + ": the manifests are checked through the test renderer only"
        + " (ManifestsTest); install kubectl >= 1.21 to check the renderer against kustomize");
    String kubectl = kubectlKustomize(kustomization);
    Path out = Files.createTempFile("kubectl-kustomize", ".yaml");
    try {
      Files.writeString(out, kubectl);
      Map<String, Map<String, Object>> ours = byKindAndName(Kustomize.build(kustomization));
      Map<String, Map<String, Object>> theirs = byKindAndName(Kustomize.loadAll(out));
      assertThat(ours.keySet()).isEqualTo(theirs.keySet());
      theirs.forEach((key, object) -> assertThat(ours.get(key)).as(key).isEqualTo(object));
    } finally {
      Files.delete(out);
    }
  }

  @Test
  void strategicMergeMergesNamedListsAndReplacesOthers() {
    Map<String, Object> merged = Kustomize.merge(
        Map.of("containers", List.of(Map.of("name", "a", "image", "x"), Map.of("name", "b", "image", "y")),
            "tolerations", List.of(Map.of("key", "old")), "data", Map.of("K1", "1", "K2", "2")),
        Map.of("containers", List.of(Map.of("name", "b", "image", "z")),
            "tolerations", List.of(Map.of("key", "new")), "data", Map.of("K2", "3")));
    assertThat(merged).isEqualTo(Map.of(
        "containers", List.of(Map.of("name", "b", "image", "z"), Map.of("name", "a", "image", "x")),
        "tolerations", List.of(Map.of("key", "new")), "data", Map.of("K1", "1", "K2", "3")));
  }

  @Test
  void imageNamesAndTagsSplitAfterTheLastSlash() {
    assertThat(Kustomize.imageName("registry:5000/recsys/ranking:0.1.0-gpu")).isEqualTo("registry:5000/recsys/ranking");
    assertThat(Kustomize.imageTag("registry:5000/recsys/ranking:0.1.0-gpu")).isEqualTo("0.1.0-gpu");
    assertThat(Kustomize.imageTag("registry:5000/recsys/ranking")).isNull();
  }

  private static Map<String, Map<String, Object>> byKindAndName(List<Map<String, Object>> objects) {
    Map<String, Map<String, Object>> out = new TreeMap<>();
    for (Map<String, Object> o : objects) {
      @SuppressWarnings("unchecked")
      Map<String, Object> meta = (Map<String, Object>) o.get("metadata");
      out.put(o.get("kind") + "/" + meta.get("name"), o);
    }
    return out;
  }

  /**
   * Null where kubectl embeds a kustomize that renders k8s/ (v4 or later: the {@code patches} field),
   * else why not. Debian's only kubectl (kubernetes-client 1.20) embeds kustomize v2.0.3.
   */
  private static String whyNoUsableKubectl() throws IOException, InterruptedException {
    String version;
    try {
      version = kubectl("version", "--client", "-o", "json");
    } catch (IOException notInstalled) {
      return "kubectl is not installed";
    }
    Matcher m = Pattern.compile("\"kustomizeVersion\":\\s*\"v(\\d+)").matcher(version);
    if (!m.find() || Integer.parseInt(m.group(1)) < 4) {
      return "this kubectl embeds a kustomize older than v4 (" + version.replaceAll("\\s+", " ") + ")";
    }
    return null;
  }

  private static String kubectlKustomize(Path dir) throws IOException, InterruptedException {
    return kubectl("kustomize", dir.toString());
  }

  /** kubectl's output; a failed command fails the test; IOException where kubectl is not installed. */
  private static String kubectl(String... args) throws IOException, InterruptedException {
    Path err = Files.createTempFile("kubectl", ".err");
    try {
      List<String> command = new java.util.ArrayList<>(List.of("kubectl"));
      command.addAll(List.of(args));
      Process p = new ProcessBuilder(command)
          .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kubectl %s finishes", args[0]).isTrue();
      assertThat(p.exitValue()).as("kubectl %s: %s", String.join(" ", args), Files.readString(err)).isZero();
      return out;
    } finally {
      Files.delete(err);
    }
  }
}
