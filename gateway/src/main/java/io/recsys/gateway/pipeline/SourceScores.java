package io.recsys.gateway.pipeline;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sources that proposed one item, each with its own score, in the order they were added.
 * Immutable. An item has one to a handful of sources, so two small arrays serve where a map per
 * candidate (hundreds per request) would cost more than the rest of the merge.
 */
public final class SourceScores {

  public static final SourceScores NONE = new SourceScores(new String[0], new float[0]);

  private final String[] sources;
  private final float[] scores;

  private SourceScores(String[] sources, float[] scores) {
    this.sources = sources;
    this.scores = scores;
  }

  public static SourceScores of(String source, float score) {
    return new SourceScores(new String[] {source}, new float[] {score});
  }

  /** These plus {@code source}; a source already present keeps its first score. */
  public SourceScores with(String source, float score) {
    if (contains(source)) {
      return this;
    }
    int n = sources.length;
    String[] s = Arrays.copyOf(sources, n + 1);
    float[] v = Arrays.copyOf(scores, n + 1);
    s[n] = source;
    v[n] = score;
    return new SourceScores(s, v);
  }

  public int size() {
    return sources.length;
  }

  public String source(int i) {
    return sources[i];
  }

  public float score(int i) {
    return scores[i];
  }

  public boolean contains(String source) {
    return indexOf(source) >= 0;
  }

  /** The score {@code source} gave, or null when it did not propose the item. */
  public Float scoreOf(String source) {
    int i = indexOf(source);
    return i < 0 ? null : scores[i];
  }

  public List<String> sources() {
    return List.of(sources);
  }

  /** Source -> score, in order (for reports and tests). */
  public Map<String, Float> asMap() {
    Map<String, Float> out = new LinkedHashMap<>();
    for (int i = 0; i < sources.length; i++) {
      out.put(sources[i], scores[i]);
    }
    return out;
  }

  private int indexOf(String source) {
    for (int i = 0; i < sources.length; i++) {
      if (sources[i].equals(source)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SourceScores other && Arrays.equals(sources, other.sources)
        && Arrays.equals(scores, other.scores);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(sources) + Arrays.hashCode(scores);
  }

  @Override
  public String toString() {
    return asMap().toString();
  }
}
