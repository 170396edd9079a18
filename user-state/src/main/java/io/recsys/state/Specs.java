package io.recsys.state;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code scheme:location?key=value&...} strings of {@code --event-log} and {@code --history-store}:
 * the location and the options, with unknown options refused by name.
 */
public record Specs(String scheme, String location, Map<String, String> options) {

  public static Specs parse(String option, String spec, Set<String> knownOptions) {
    int colon = spec.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(option + " '" + spec + "' has no scheme; e.g. file:DIR, kafka://HOST:PORT/TOPIC,"
          + " redis://HOST:PORT");
    }
    String rest = spec.substring(colon + 1);
    Map<String, String> options = new LinkedHashMap<>();
    int q = rest.indexOf('?');
    if (q >= 0) {
      for (String pair : rest.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        if (!knownOptions.contains(key) || eq < 0) {
          throw new IllegalArgumentException(option + " '" + spec + "': unknown option '" + pair + "'; known: "
              + String.join(", ", knownOptions.stream().map(k -> k + "=...").sorted().toList()));
        }
        options.put(key, pair.substring(eq + 1));
      }
      rest = rest.substring(0, q);
    }
    return new Specs(spec.substring(0, colon), rest, options);
  }

  /** For {@code scheme://host:port[/path]}: the part after the slashes. */
  public String authority(String option) {
    if (!location.startsWith("//") || location.length() == 2) {
      throw new IllegalArgumentException(option + " " + scheme + ":" + location + " needs " + scheme + "://HOST:PORT");
    }
    return location.substring(2);
  }

  public long longOption(String key, long fallback) {
    String v = options.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option " + key + "=" + v + " is not a whole number");
    }
  }
}
