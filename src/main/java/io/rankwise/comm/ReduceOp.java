package io.rankwise.comm;

/** Element-wise reduction operators of {@link Communicator#allReduce} and friends. */
public enum ReduceOp {
  SUM,
  PROD,
  MIN,
  MAX;

  /** Combines {@code src} into {@code acc} element-wise: {@code acc[i] = acc[i] op src[i]}. */
  public void combine(double[] acc, double[] src) {
    int n = acc.length;
    switch (this) {
      case SUM -> { for (int i = 0; i < n; i++) acc[i] += src[i]; }
      case PROD -> { for (int i = 0; i < n; i++) acc[i] *= src[i]; }
      // Math.min/max propagate NaN, as MPI_MIN/MPI_MAX do in Open MPI for doubles.
      case MIN -> { for (int i = 0; i < n; i++) acc[i] = Math.min(acc[i], src[i]); }
      case MAX -> { for (int i = 0; i < n; i++) acc[i] = Math.max(acc[i], src[i]); }
    }
  }

  /** Combines {@code src} into {@code acc} element-wise; integer overflow wraps as in MPI. */
  public void combine(long[] acc, long[] src) {
    int n = acc.length;
    switch (this) {
      case SUM -> { for (int i = 0; i < n; i++) acc[i] += src[i]; }
      case PROD -> { for (int i = 0; i < n; i++) acc[i] *= src[i]; }
      case MIN -> { for (int i = 0; i < n; i++) acc[i] = Math.min(acc[i], src[i]); }
      case MAX -> { for (int i = 0; i < n; i++) acc[i] = Math.max(acc[i], src[i]); }
    }
  }
}
