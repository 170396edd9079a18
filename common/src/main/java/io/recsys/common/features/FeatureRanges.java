package io.recsys.common.features;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The range each dense ranker feature took in the ranker's training examples. Serving clamps a row
 * into it: a neural ranker extrapolates arbitrarily outside what it was trained on, and requests do
 * go there (a user back after months has a time since the last event no training example had; an
 * item can be older than any the ranker saw). Written beside the bundle's ranker; a bundle without
 * the file is served unclamped.
 */
public final class FeatureRanges {

  private final float[] min;
  private final float[] max;

  public FeatureRanges(float[] min, float[] max) {
    if (min.length != RankerFeatures.DENSE.size() || max.length != min.length) {
      throw new IllegalArgumentException("ranges of " + min.length + "/" + max.length + " features for "
          + RankerFeatures.DENSE.size() + " dense features");
    }
    this.min = min;
    this.max = max;
  }

  /** The ranges of row-major dense rows. */
  public static FeatureRanges of(float[] denseRows) {
    int w = RankerFeatures.DENSE.size();
    float[] lo = new float[w];
    float[] hi = new float[w];
    Arrays.fill(lo, Float.POSITIVE_INFINITY);
    Arrays.fill(hi, Float.NEGATIVE_INFINITY);
    for (int i = 0; i < denseRows.length; i++) {
      lo[i % w] = Math.min(lo[i % w], denseRows[i]);
      hi[i % w] = Math.max(hi[i % w], denseRows[i]);
    }
    return new FeatureRanges(lo, hi);
  }

  /** Clamps the row of {@link RankerFeatures#DENSE} floats at {@code off} into the ranges. */
  public void clamp(float[] dense, int off) {
    for (int f = 0; f < min.length; f++) {
      dense[off + f] = Math.max(min[f], Math.min(max[f], dense[off + f]));
    }
  }

  public float min(int feature) {
    return min[feature];
  }

  public float max(int feature) {
    return max[feature];
  }

  public void write(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("feature\tmin\tmax");
    for (int f = 0; f < min.length; f++) {
      lines.add(String.format(Locale.ROOT, "%s\t%s\t%s", RankerFeatures.DENSE.get(f), min[f], max[f]));
    }
    Files.createDirectories(file.getParent());
    Files.write(file, lines);
  }

  /** Reads ranges written by {@link #write}; they must name exactly {@link RankerFeatures#DENSE}, in order. */
  public static FeatureRanges read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    int w = RankerFeatures.DENSE.size();
    if (lines.size() != w + 1) {
      throw new IOException(file + " has " + (lines.size() - 1) + " feature ranges; the ranker has " + w
          + " dense features");
    }
    float[] lo = new float[w];
    float[] hi = new float[w];
    for (int f = 0; f < w; f++) {
      String[] cols = lines.get(f + 1).split("\t");
      if (cols.length != 3 || !cols[0].equals(RankerFeatures.DENSE.get(f))) {
        throw new IOException(file + " line " + (f + 2) + ": expected the range of "
            + RankerFeatures.DENSE.get(f) + ", got '" + lines.get(f + 1) + "'");
      }
      try {
        lo[f] = Float.parseFloat(cols[1]);
        hi[f] = Float.parseFloat(cols[2]);
      } catch (NumberFormatException e) {
        throw new IOException(file + " line " + (f + 2) + ": " + e.getMessage(), e);
      }
    }
    return new FeatureRanges(lo, hi);
  }
}
