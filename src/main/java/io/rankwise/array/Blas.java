package io.rankwise.array;

import dev.ludovic.netlib.blas.BLAS;

/**
 * Block matrix products through netlib's BLAS binding (the one Spark uses): the machine's native
 * BLAS (OpenBLAS) when it can be loaded, its pure-Java implementation otherwise.
 */
public final class Blas {
  /** Held so that the level set below is not lost when the logger is garbage collected. */
  private static final java.util.logging.Logger NETLIB_LOG = java.util.logging.Logger.getLogger("dev.ludovic.netlib");
  private static final BLAS BLAS_INSTANCE = load();

  private Blas() {}

  private static BLAS load() {
    // netlib logs a WARNING when its optional Vector-API variant is unavailable (it needs
    // --add-modules jdk.incubator.vector); the native or plain-Java variant is used then, so quiet it.
    NETLIB_LOG.setLevel(java.util.logging.Level.SEVERE);
    return BLAS.getInstance();
  }

  /** The shared BLAS (native OpenBLAS when it loads), for kernels outside this package. */
  public static BLAS get() {
    return BLAS_INSTANCE;
  }

  /** The implementation in use, for logs and benchmarks. */
  public static String implementation() {
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
