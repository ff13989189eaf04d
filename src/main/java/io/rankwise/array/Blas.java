package io.rankwise.array;

import dev.ludovic.netlib.blas.BLAS;

/**
 * Block matrix products through netlib's BLAS binding (the one Spark uses): the machine's native
 * BLAS (OpenBLAS) when it can be loaded, its pure-Java implementation otherwise.
 */
final class Blas {
  private static final BLAS BLAS_INSTANCE = BLAS.getInstance();

  private Blas() {}

  /** The implementation in use, for logs and benchmarks. */
  static String implementation() {
    return BLAS_INSTANCE.getClass().getSimpleName();
  }

  /** c (m×n) += a (m×k) · b (k×n), all row-major. */
  static void gemmAccumulate(double[] a, double[] b, double[] c, int m, int k, int n) {
    if (m == 0 || n == 0 || k == 0) {
      return;
    }
    // Row-major C = A·B is column-major Cᵀ = Bᵀ·Aᵀ: the same arrays, operands swapped.
    BLAS_INSTANCE.dgemm("N", "N", n, m, k, 1.0, b, n, a, k, 1.0, c, n);
  }
}
