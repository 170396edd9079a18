package io.recsys.common.bundle;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.lucene.util.VectorUtil;

/**
 * A rows x dim float32 matrix, stored little endian, row i = item index i. Held as one array per
 * row so dot products run through Lucene's SIMD {@link VectorUtil} (the ranker's history
 * similarities take ~rows x history dot products per request).
 */
public final class EmbeddingMatrix {

  private final int dim;
  private final float[][] rows;

  public EmbeddingMatrix(int rows, int dim, float[] data) {
    if (data.length != rows * dim) {
      throw new IllegalArgumentException("embedding data has " + data.length + " floats, expected "
          + rows + " x " + dim);
    }
    this.dim = dim;
    this.rows = new float[rows][];
    for (int r = 0; r < rows; r++) {
      this.rows[r] = Arrays.copyOfRange(data, r * dim, (r + 1) * dim);
    }
  }

  public int rows() {
    return rows.length;
  }

  public int dim() {
    return dim;
  }

  public float[] row(int i) {
    return rows[i].clone();
  }

  /** Dot product of row i with a vector of length dim. */
  public float dot(int i, float[] v) {
    return VectorUtil.dotProduct(rows[i], v);
  }

  /** Dot product of rows a and b. */
  public float dotRows(int a, int b) {
    return VectorUtil.dotProduct(rows[a], rows[b]);
  }

  /** Adds weight * row i into acc. */
  public void addRow(int i, float weight, float[] acc) {
    float[] row = rows[i];
    for (int d = 0; d < dim; d++) {
      acc[d] += weight * row[d];
    }
  }

  public static EmbeddingMatrix read(Path file, int dim) throws IOException {
    long bytes = Files.size(file);
    if (bytes % (4L * dim) != 0) {
      throw new IOException(file + ": size " + bytes + " is not a multiple of 4 x " + dim
          + " (float32 rows of the manifest's embedding_dim)");
    }
    int rows = (int) (bytes / (4L * dim));
    float[] data = new float[rows * dim];
    ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
    return new EmbeddingMatrix(rows, dim, data);
  }

  public void write(Path file) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(rows.length * dim * 4).order(ByteOrder.LITTLE_ENDIAN);
    FloatBuffer floats = buf.asFloatBuffer();
    for (float[] row : rows) {
      floats.put(row);
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(buf.array());
    }
  }
}
