package io.recsys.models.eval.baselines;

import java.util.stream.IntStream;

/**
 * In-place inverse of a symmetric positive definite matrix in float64, via its Cholesky factor:
 * A = L L^T, U = (L^-1)^T, A^-1 = U U^T. Every step is a dot product of contiguous row segments, and
 * rows are processed in blocks so that each streamed row serves a whole block from cache; rows of a
 * block are split across threads. About n^3 / 2 multiply-adds in all.
 *
 * <p>Storage while it runs: L in the lower triangle and diagonal, U in the strict upper triangle
 * (its diagonal in a side array), then A^-1 in the lower triangle, mirrored at the end.
 */
public final class SpdInverse {

  private static final int BLOCK = 64;

  private SpdInverse() {}

  /** Replaces {@code a} (n rows of n; only the lower triangle is read) by its inverse. */
  public static void invert(double[][] a, int threads) {
    int n = a.length;
    cholesky(a, threads);
    double[] uDiag = new double[n];
    invertFactor(a, uDiag, threads);
    double[] pDiag = new double[n];
    multiplyFactor(a, uDiag, pDiag, threads);
    for (int i = 0; i < n; i++) {
      a[i][i] = pDiag[i];
      for (int j = 0; j < i; j++) {
        a[j][i] = a[i][j];
      }
    }
  }

  /** Lower-triangular L with A = L L^T, left-looking by blocks of rows. */
  static void cholesky(double[][] a, int threads) {
    int n = a.length;
    for (int blockStart = 0; blockStart < n; blockStart += BLOCK) {
      int ib = blockStart;
      int ie = Math.min(n, ib + BLOCK);
      // columns left of the block only need finished rows: the block's rows are independent
      parallelRows(ib, ie, threads, (lo, hi) -> {
        for (int j = 0; j < ib; j++) {
          double[] lj = a[j];
          for (int i = lo; i < hi; i++) {
            a[i][j] = (a[i][j] - dot(a[i], lj, 0, j)) / lj[j];
          }
        }
      });
      for (int j = ib; j < ie; j++) {
        double d = a[j][j] - dot(a[j], a[j], 0, j);
        if (!(d > 0)) {
          throw new ArithmeticException("matrix is not positive definite (pivot " + j + " = " + d + ")");
        }
        a[j][j] = Math.sqrt(d);
        for (int i = j + 1; i < ie; i++) {
          a[i][j] = (a[i][j] - dot(a[i], a[j], 0, j)) / a[j][j];
        }
      }
    }
  }

  /**
   * Row j of U = column j of L^-1, from L w = e_j by forward substitution:
   * U[j][i] = (delta_ij - sum_{m in [j, i)} L[i][m] U[j][m]) / L[i][i] for i >= j.
   */
  static void invertFactor(double[][] a, double[] uDiag, int threads) {
    int n = a.length;
    for (int jb = 0; jb < n; jb += BLOCK) {
      int je = Math.min(n, jb + BLOCK);
      parallelRows(jb, je, threads, (lo, hi) -> {
        for (int i = lo; i < n; i++) {
          double[] li = a[i];
          for (int j = lo; j < Math.min(hi, i + 1); j++) {
            if (i == j) {
              uDiag[j] = 1.0 / li[i];
            } else {
              // U[j][j] lives in uDiag, U[j][j+1..i) in row j's upper part
              double s = li[j] * uDiag[j] + dot(li, a[j], j + 1, i);
              a[j][i] = -s / li[i];
            }
          }
        }
      });
    }
  }

  /** A^-1[r][c] = sum_{i >= r} U[r][i] U[c][i] for c <= r, into the lower triangle (diagonal aside). */
  static void multiplyFactor(double[][] a, double[] uDiag, double[] pDiag, int threads) {
    int n = a.length;
    for (int rb = 0; rb < n; rb += BLOCK) {
      int re = Math.min(n, rb + BLOCK);
      parallelRows(rb, re, threads, (lo, hi) -> {
        for (int c = 0; c < hi; c++) {
          double[] uc = a[c];
          for (int r = Math.max(lo, c); r < hi; r++) {
            double[] ur = a[r];
            if (r == c) {
              pDiag[r] = uDiag[r] * uDiag[r] + dot(ur, ur, r + 1, n);
            } else {
              ur[c] = uDiag[r] * uc[r] + dot(ur, uc, r + 1, n);
            }
          }
        }
      });
    }
  }

  /** Sum of x[i] * y[i] for i in [from, to), with four independent accumulators. */
  static double dot(double[] x, double[] y, int from, int to) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = from;
    for (; i + 3 < to; i += 4) {
      s0 += x[i] * y[i];
      s1 += x[i + 1] * y[i + 1];
      s2 += x[i + 2] * y[i + 2];
      s3 += x[i + 3] * y[i + 3];
    }
    for (; i < to; i++) {
      s0 += x[i] * y[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  @FunctionalInterface
  private interface RowRange {
    void run(int lo, int hi);
  }

  /** Splits rows [from, to) into contiguous parts, one per thread. */
  private static void parallelRows(int from, int to, int threads, RowRange body) {
    int parts = Math.max(1, Math.min(threads, to - from));
    if (parts == 1) {
      body.run(from, to);
      return;
    }
    IntStream.range(0, parts).parallel().forEach(p -> {
      int lo = from + (int) ((long) (to - from) * p / parts);
      int hi = from + (int) ((long) (to - from) * (p + 1) / parts);
      body.run(lo, hi);
    });
  }
}
