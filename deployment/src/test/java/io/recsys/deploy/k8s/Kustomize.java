package io.recsys.deploy.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The subset of kustomize that {@code k8s/} uses, so the manifest tests run where no kustomize
 * binary is installed (Debian packages none recent; {@code KustomizeTest} checks this renderer
 * against {@code kubectl kustomize} where that exists): {@code resources} (files and directories),
 * {@code patches} (strategic-merge patch files, targeted by kind and name; {@code $patch: delete}
 * removes the object) and {@code images}
 * ({@code newName}, {@code newTag}). Any other field of a kustomization.yaml is refused, so the
 * manifests cannot silently outgrow it.
 */
final class Kustomize {

  private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "patches", "images");
  /** Lists that a strategic-merge patch merges by "name" (their patchMergeKey in the Kubernetes API). */
  private static final Set<String> MERGED_BY_NAME = Set.of("containers", "initContainers", "env", "volumes");

  private Kustomize() {}

  /** The objects that {@code kustomize build dir} prints, as YAML trees. */
  static List<Map<String, Object>> build(Path dir) {
    Map<String, Object> k = single(dir.resolve("kustomization.yaml"));
    for (String field : k.keySet()) {
      if (!SUPPORTED.contains(field)) {
        throw new IllegalArgumentException(dir + "/kustomization.yaml uses '" + field
            + "', which this test renderer does not implement (supported: " + SUPPORTED + ")");
      }
    }
    List<Map<String, Object>> objects = new ArrayList<>();
    for (Object r : list(k.get("resources"))) {
      Path p = dir.resolve((String) r).normalize();
      objects.addAll(Files.isDirectory(p) ? build(p) : loadAll(p));
    }
    for (Object patch : list(k.get("patches"))) {
      Path p = dir.resolve((String) map(patch).get("path"));
      for (Map<String, Object> doc : loadAll(p)) {
        int i = target(objects, doc, p);
        if ("delete".equals(doc.get("$patch"))) {
          objects.remove(i);
        } else {
          objects.set(i, merge(objects.get(i), doc));
        }
      }
    }
    for (Object image : list(k.get("images"))) {
      Map<String, Object> rule = map(image);
      objects.forEach(o -> setImages(o, rule));
    }
    return objects;
  }

  /** Strategic merge, for the lists this project patches: maps merge, named lists merge by name, the rest is replaced. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> merge(Map<String, Object> target, Map<String, Object> patch) {
    Map<String, Object> out = new LinkedHashMap<>(target);
    patch.forEach((key, value) -> {
      Object old = out.get(key);
      if (value == null) {
        out.remove(key);
      } else if (old instanceof Map<?, ?> o && value instanceof Map<?, ?> v) {
        out.put(key, merge((Map<String, Object>) o, (Map<String, Object>) v));
      } else if (old instanceof List<?> o && value instanceof List<?> v && MERGED_BY_NAME.contains(key)) {
        out.put(key, mergeByName((List<Object>) o, (List<Object>) v));
      } else {
        out.put(key, value);
      }
    });
    return out;
  }

  /** Patched items first, in the patch's order, then the untouched ones: the order kustomize prints. */
  private static List<Object> mergeByName(List<Object> target, List<Object> patch) {
    List<Object> rest = new ArrayList<>(target);
    List<Object> out = new ArrayList<>();
    for (Object p : patch) {
      int i = indexOfName(rest, map(p).get("name"));
      out.add(i < 0 ? p : merge(map(rest.remove(i)), map(p)));
    }
    out.addAll(rest);
    return out;
  }

  private static int indexOfName(List<Object> items, Object name) {
    for (int i = 0; i < items.size(); i++) {
      if (name != null && name.equals(map(items.get(i)).get("name"))) {
        return i;
      }
    }
    return -1;
  }

  /** Index of the object a patch targets: same kind and name. */
  private static int target(List<Map<String, Object>> objects, Map<String, Object> patch, Path file) {
    Object kind = patch.get("kind");
    Object name = map(patch.get("metadata")).get("name");
    for (int i = 0; i < objects.size(); i++) {
      if (kind.equals(objects.get(i).get("kind")) && name.equals(map(objects.get(i).get("metadata")).get("name"))) {
        return i;
      }
    }
    throw new IllegalArgumentException(file + " patches " + kind + "/" + name + ", which no resource defines");
  }

  /** kustomize's images transformer: every "image" field naming this image gets the new name and/or tag. */
  @SuppressWarnings("unchecked")
  private static void setImages(Object node, Map<String, Object> rule) {
    if (node instanceof Map<?, ?> m) {
      Map<String, Object> map = (Map<String, Object>) m;
      if (map.get("image") instanceof String image && imageName(image).equals(rule.get("name"))) {
        String name = (String) rule.getOrDefault("newName", imageName(image));
        String tag = rule.containsKey("newTag") ? String.valueOf(rule.get("newTag")) : imageTag(image);
        map.put("image", tag == null ? name : name + ":" + tag);
      }
      map.values().forEach(v -> setImages(v, rule));
    } else if (node instanceof List<?> l) {
      l.forEach(v -> setImages(v, rule));
    }
  }

  static String imageName(String image) {
    int colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
  }

  static String imageTag(String image) {
    int colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : null;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> loadAll(Path file) {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(read(file))) {
      if (doc != null) {
        docs.add((Map<String, Object>) doc);
      }
    }
    return docs;
  }

  private static Map<String, Object> single(Path file) {
    List<Map<String, Object>> docs = loadAll(file);
    if (docs.size() != 1) {
      throw new IllegalArgumentException(file + " must hold one YAML document, found " + docs.size());
    }
    return docs.get(0);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o == null ? Map.of() : (Map<String, Object>) o;
  }

  private static List<?> list(Object o) {
    return o == null ? List.of() : (List<?>) o;
  }
}
