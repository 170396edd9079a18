package io.recsys.common.bundle;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** A rows x dim float32 matrix, stored little endian, row i = item index i. */
public final class EmbeddingMatrix {

  private final int rows;
  private final int dim;
  private final float[] data;

  public EmbeddingMatrix(int rows, int dim, float[] data) {
    if (data.length != rows * dim) {
      throw new IllegalArgumentException("embedding data has " + data.length + " floats, expected "
          + rows + " x " + dim);
    }
    this.rows = rows;
    this.dim = dim;
    this.data = data;
  }

  public int rows() {
    return rows;
  }

  public int dim() {
    return dim;
  }

  public float[] row(int i) {
    float[] out = new float[dim];
    System.arraycopy(data, i * dim, out, 0, dim);
    return out;
  }

  /** Dot product of row i with a vector of length dim. */
  public float dot(int i, float[] v) {
    float s = 0f;
    int off = i * dim;
    for (int d = 0; d < dim; d++) {
      s += data[off + d] * v[d];
    }
    return s;
  }

  /** Dot product of rows a and b. */
  public float dotRows(int a, int b) {
    float s = 0f;
    int oa = a * dim;
    int ob = b * dim;
    for (int d = 0; d < dim; d++) {
      s += data[oa + d] * data[ob + d];
    }
    return s;
  }

  /** Adds weight * row i into acc. */
  public void addRow(int i, float weight, float[] acc) {
    int off = i * dim;
    for (int d = 0; d < dim; d++) {
      acc[d] += weight * data[off + d];
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
    ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(data);
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(buf.array());
    }
  }
}
