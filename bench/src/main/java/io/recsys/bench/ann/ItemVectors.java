package io.recsys.bench.ann;

import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.bundle.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * The vectors a benchmark searches: unit item vectors, held both as the bundle's matrix (what the
 * index build takes) and as rows (what the exact scan reads), plus the query vectors.
 */
public record ItemVectors(String source, EmbeddingMatrix matrix, float[][] rows, float[][] queries) {

  /**
   * A Gaussian mixture on the unit sphere, the shape trained item embeddings have: {@code clusters}
   * random unit centroids; each vector is a centroid plus isotropic noise of length ~{@code spread},
   * normalised (cosine to its centroid ~ 1 / sqrt(1 + spread^2)). Queries are fresh draws.
   */
  public static ItemVectors clustered(int items, int dim, int queries, int clusters, double spread,
                                      long seed) {
    Random rnd = new Random(seed);
    float[][] centroids = new float[clusters][];
    for (int c = 0; c < clusters; c++) {
      centroids[c] = normalise(gaussian(rnd, dim, 1));
    }
    float[][] rows = new float[items][];
    for (int i = 0; i < items; i++) {
      rows[i] = draw(rnd, centroids, spread);
    }
    float[][] q = new float[queries][];
    for (int i = 0; i < queries; i++) {
      q[i] = draw(rnd, centroids, spread);
    }
    return new ItemVectors(String.format("clustered synthetic (%d clusters, spread %.2f, seed %d)",
        clusters, spread, seed), matrixOf(rows, dim), rows, q);
  }

  /**
   * A bundle's item_embeddings.f32; its dimension comes from the manifest.json beside it, or
   * {@code dim} where there is none. Queries are items drawn at random (an item-to-item lookup).
   */
  public static ItemVectors fromFile(Path file, int dim, int queries, long seed) throws IOException {
    Path manifest = file.toAbsolutePath().resolveSibling("manifest.json");
    int d = Files.exists(manifest) ? Manifest.read(manifest).embeddingDim() : dim;
    EmbeddingMatrix m = EmbeddingMatrix.read(file, d);
    float[][] rows = new float[m.rows()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = m.row(i);
    }
    Random rnd = new Random(seed);
    float[][] q = new float[queries][];
    for (int i = 0; i < queries; i++) {
      q[i] = rows[rnd.nextInt(rows.length)];
    }
    return new ItemVectors(file.toString(), m, rows, q);
  }

  public int items() {
    return rows.length;
  }

  public int dim() {
    return matrix.dim();
  }

  private static float[] draw(Random rnd, float[][] centroids, double spread) {
    float[] c = centroids[rnd.nextInt(centroids.length)];
    float[] v = gaussian(rnd, c.length, spread / Math.sqrt(c.length));
    for (int d = 0; d < v.length; d++) {
      v[d] += c[d];
    }
    return normalise(v);
  }

  private static float[] gaussian(Random rnd, int dim, double sigma) {
    float[] v = new float[dim];
    for (int d = 0; d < dim; d++) {
      v[d] = (float) (rnd.nextGaussian() * sigma);
    }
    return v;
  }

  private static float[] normalise(float[] v) {
    double sq = 0;
    for (float x : v) {
      sq += (double) x * x;
    }
    float inv = (float) (1 / Math.sqrt(sq));
    for (int d = 0; d < v.length; d++) {
      v[d] *= inv;
    }
    return v;
  }

  private static EmbeddingMatrix matrixOf(float[][] rows, int dim) {
    float[] data = new float[rows.length * dim];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, data, i * dim, dim);
    }
    return new EmbeddingMatrix(rows.length, dim, data);
  }
}
