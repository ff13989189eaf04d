package io.rankwise.ml;

import io.rankwise.array.DArray;
import io.rankwise.array.NdArray;
import java.util.Arrays;

/**
 * Ordinary least squares with an intercept (scikit-learn's LinearRegression), from the sufficient
 * statistics [X 1]ᵀ[X 1] and [X 1]ᵀy: one pass over the rows, one allReduce when the rows are
 * spread over ranks, then a Cholesky solve. The statistics also add up block by block
 * ({@link #partialFit}), which is what {@link Incremental} uses.
 */
public final class LinearRegression implements PartialFit {
  private double[] coef;
  private double intercept;
  private double[] stats; // running sums for partialFit: [X 1]ᵀ[X 1] upper triangle, then [X 1]ᵀy
  private int statFeatures = -1;

  @Override
  public LinearRegression fit(NdArray x, NdArray y) {
    return fit(RowBlocks.local(x, y, "LinearRegression.fit"));
  }

  /** Distributed fit on chunked X and y: collective, one allReduce, nothing gathered. */
  public LinearRegression fit(DArray x, DArray y) {
    return fit(RowBlocks.distributed(x, y, "LinearRegression.fit"));
  }

  LinearRegression fit(RowBlocks data) {
    stats = null;
    int d = data.nFeatures;
    int p = d + 1;
    double[] s = data.sums(p * (p + 1) / 2 + p, (b, out, off) -> accumulate(b, d, out, off));
    solve(s, d);
    return this;
  }

  /** Adds a block of rows to the running statistics and refits (exact: equals fit on all rows so far). */
  public LinearRegression partialFit(NdArray x, NdArray y) {
    RowBlocks data = RowBlocks.local(x, y, "LinearRegression.partialFit");
    int d = data.nFeatures;
    if (stats == null) {
      statFeatures = d;
      stats = new double[(d + 1) * (d + 2) / 2 + d + 1];
    } else if (d != statFeatures) {
      throw new MlException("LinearRegression.partialFit: X has " + d + " features, earlier blocks had " + statFeatures);
    }
    double[] add = data.sums(stats.length, (b, out, off) -> accumulate(b, d, out, off));
    for (int k = 0; k < stats.length; k++) {
      stats[k] += add[k];
    }
    coef = null; // solved when first needed: a prefix of the data may be rank-deficient
    return this;
  }

  private static void accumulate(NdArray block, int d, double[] out, int off) {
    double[] a = (double[]) block.data();
    int cols = d + 1;
    int p = d + 1;
    int rows = a.length / cols;
    int tri = p * (p + 1) / 2;
    for (int i = 0; i < rows; i++) {
      int r = i * cols;
      double yv = a[r + d];
      for (int j = 0, k = off; j < p; j++) {
        double xj = j < d ? a[r + j] : 1;
        for (int l = j; l < p; l++, k++) {
          out[k] += xj * (l < d ? a[r + l] : 1);
        }
        out[off + tri + j] += xj * yv;
      }
    }
  }

  private void solve(double[] s, int d) {
    int p = d + 1;
    double[] a = new double[p * p];
    for (int j = 0, k = 0; j < p; j++) {
      for (int l = j; l < p; l++, k++) {
        a[j * p + l] = s[k];
      }
    }
    double[] b = Arrays.copyOfRange(s, p * (p + 1) / 2, p * (p + 1) / 2 + p);
    double[] theta = LinAlg.solveSpd(a, b, p);
    coef = Arrays.copyOf(theta, d);
    intercept = theta[d];
  }

  /** Solves the running partialFit statistics when they changed. */
  private void solved() {
    if (coef == null && stats != null) {
      solve(stats, statFeatures);
    }
  }

  @Override
  public NdArray predict(NdArray x) {
    solved();
    if (coef == null) {
      throw new MlException("LinearRegression is not fitted yet; call fit(X, y) first");
    }
    Models.checkFeatures("LinearRegression", x, coef.length);
    int n = x.shape()[0];
    int d = coef.length;
    double[] a = x.toDoubles();
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double v = intercept;
      for (int j = 0; j < d; j++) {
        v += coef[j] * a[i * d + j];
      }
      out[i] = v;
    }
    return NdArray.of(out, n);
  }

  @Override
  public double score(NdArray x, NdArray y) {
    return Models.r2(predict(x), y);
  }

  @Override
  public int nFeatures() {
    if (stats != null) {
      return statFeatures;
    }
    if (coef == null) {
      throw new MlException("LinearRegression is not fitted yet; call fit(X, y) first");
    }
    return coef.length;
  }

  public double[] coef() {
    solved();
    if (coef == null) {
      throw new MlException("LinearRegression is not fitted yet; call fit(X, y) first");
    }
    return coef.clone();
  }

  public double intercept() {
    coef();
    return intercept;
  }
}
