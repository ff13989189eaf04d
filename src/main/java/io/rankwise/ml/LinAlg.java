package io.rankwise.ml;

/** Small dense linear algebra for model fitting: symmetric positive definite solves (Cholesky). */
final class LinAlg {
  private LinAlg() {}

  /**
   * Solves A x = b for symmetric positive definite A (n x n, row-major, only the upper triangle
   * read). Throws when A is not positive definite (collinear features without regularisation).
   */
  static double[] solveSpd(double[] a, double[] b, int n) {
    double[] l = new double[n * n];
    for (int j = 0; j < n; j++) {
      double d = a[j * n + j];
      for (int k = 0; k < j; k++) {
        d -= l[j * n + k] * l[j * n + k];
      }
      if (!(d > 1e-300)) {
        throw new MlException("the system is singular (features are collinear or constant); add regularisation "
            + "or drop the redundant features");
      }
      double ljj = Math.sqrt(d);
      l[j * n + j] = ljj;
      for (int i = j + 1; i < n; i++) {
        double s = a[Math.min(i, j) * n + Math.max(i, j)];
        for (int k = 0; k < j; k++) {
          s -= l[i * n + k] * l[j * n + k];
        }
        l[i * n + j] = s / ljj;
      }
    }
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double s = b[i];
      for (int k = 0; k < i; k++) {
        s -= l[i * n + k] * y[k];
      }
      y[i] = s / l[i * n + i];
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double s = y[i];
      for (int k = i + 1; k < n; k++) {
        s -= l[k * n + i] * x[k];
      }
      x[i] = s / l[i * n + i];
    }
    return x;
  }
}
