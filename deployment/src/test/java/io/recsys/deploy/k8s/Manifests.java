package io.recsys.deploy.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.recsys.deploy.RepoRoot;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The project's {@code k8s/} tree, rendered and read into fabric8's Kubernetes model. */
final class Manifests {

  static final Path K8S = RepoRoot.find().resolve("k8s");
  static final List<String> OVERLAYS = List.of("cpu", "gpu");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Manifests() {}

  /** Every object of k8s/overlays/NAME, as typed Kubernetes objects. */
  static List<HasMetadata> overlay(String name) {
    return Kustomize.build(K8S.resolve("overlays").resolve(name)).stream().map(Manifests::typed).toList();
  }

  /** The typed object of a YAML tree; the model picks the class from apiVersion and kind. */
  static HasMetadata typed(Map<String, Object> tree) {
    KubernetesResource r = SERIALIZATION.convertValue(tree, KubernetesResource.class);
    if (!(r instanceof HasMetadata h)) {
      throw new IllegalArgumentException("not a Kubernetes object: " + tree.get("apiVersion") + " " + tree.get("kind"));
    }
    return h;
  }
}
