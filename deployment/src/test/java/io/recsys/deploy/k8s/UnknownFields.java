package io.recsys.deploy.k8s;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fields the Kubernetes model did not recognise. fabric8 keeps unknown YAML keys in each object's
 * additionalProperties instead of failing, so a typo ({@code readinesProbe}) would parse; this walks
 * the typed objects and names every such key with its path.
 */
final class UnknownFields {

  private UnknownFields() {}

  static List<String> in(Object object) {
    List<String> found = new ArrayList<>();
    walk(object, object.getClass().getSimpleName(), found);
    return found;
  }

  private static void walk(Object o, String path, List<String> found) {
    if (o instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        walk(list.get(i), path + "[" + i + "]", found);
      }
    } else if (o instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "." + k, found));
    } else if (o != null && o.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
      for (Method m : o.getClass().getMethods()) {
        if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
            || m.getDeclaringClass() == Object.class) {
          continue;
        }
        Object value = invoke(m, o);
        if (m.getName().equals("getAdditionalProperties")) {
          ((Map<?, ?>) value).keySet().forEach(k -> found.add(path + "." + k));
        } else {
          walk(value, path + "." + m.getName().substring(3), found);
        }
      }
    }
  }

  private static Object invoke(Method m, Object o) {
    try {
      return m.invoke(o);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(m + " on " + o, e);
    }
  }
}
