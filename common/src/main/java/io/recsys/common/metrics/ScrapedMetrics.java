package io.recsys.common.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scrape of a {@code /metrics} endpoint, read back as samples: what a test or a check script
 * asserts on ("the Recommend histogram counted 5 calls with code OK").
 */
public final class ScrapedMetrics {

  /** One line of the text format: {@code name{label="value",...} number}. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples;

  private ScrapedMetrics(List<Sample> samples) {
    this.samples = samples;
  }

  /** GET http://host:port/metrics; fails on anything but 200. */
  public static ScrapedMetrics fetch(String host, int port) throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/metrics"))
          .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException("GET /metrics on " + host + ":" + port + " answered " + r.statusCode());
      }
      return parse(r.body());
    }
  }

  public static ScrapedMetrics parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String name;
      Map<String, String> labels = new LinkedHashMap<>();
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        int close = line.lastIndexOf('}');
        readLabels(line.substring(brace + 1, close), labels);
        space = line.indexOf(' ', close);
      } else {
        name = line.substring(0, line.indexOf(' '));
        space = line.indexOf(' ');
      }
      String[] rest = line.substring(space + 1).trim().split(" ");
      out.add(new Sample(name, labels, Double.parseDouble(rest[0])));
    }
    return new ScrapedMetrics(List.copyOf(out));
  }

  /** label="value" pairs; values may hold escaped quotes, commas and braces. */
  private static void readLabels(String s, Map<String, String> labels) {
    int i = 0;
    while (i < s.length()) {
      int eq = s.indexOf('=', i);
      String key = s.substring(i, eq).trim();
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      while (s.charAt(j) != '"') {
        char c = s.charAt(j);
        if (c == '\\') {
          j++;
          c = s.charAt(j) == 'n' ? '\n' : s.charAt(j);
        }
        value.append(c);
        j++;
      }
      labels.put(key, value.toString());
      i = j + 1;
      while (i < s.length() && (s.charAt(i) == ',' || s.charAt(i) == ' ')) {
        i++;
      }
    }
  }

  /** Samples of {@code name} whose labels include every {@code key, value} pair given. */
  public List<Sample> find(String name, String... labelPairs) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) {
      if (s.name().equals(name) && matches(s.labels(), labelPairs)) {
        out.add(s);
      }
    }
    return out;
  }

  /** The sum over {@link #find}; 0 when there is no such sample. */
  public double sum(String name, String... labelPairs) {
    return find(name, labelPairs).stream().mapToDouble(Sample::value).sum();
  }

  public boolean has(String name, String... labelPairs) {
    return !find(name, labelPairs).isEmpty();
  }

  private static boolean matches(Map<String, String> labels, String[] pairs) {
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
        return false;
      }
    }
    return true;
  }
}
