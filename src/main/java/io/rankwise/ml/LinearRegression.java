package io.rankwise.ml;

import io.rankwise.array.DArray;
import io.rankwise.array.NdArray;
import java.util.Arrays;

/**
 * Ordinary least squares with an intercept (scikit-learn's LinearRegression), from the sufficient
 * statistics [X 1]ᵀ[X 1] and [X 1]ᵀy of the <em>centered</em> data: a pass for the column means,
 * a pass for the cross-products around them (the rows stay in memory between the two), one
 * allReduce each when the rows are spread over ranks, then a Cholesky solve. Centering keeps
 * features with large offsets (timestamps, say) from cancelling away the information in XᵀX.
 * The statistics also add up block by block ({@link #partialFit}, used by {@link Incremental}),
 * there around the first block's means.
 */
public final class LinearRegression implements PartialFit {
  private double[] coef;
  private double intercept;
  private double[] stats; // running sums for partialFit: [X 1]ᵀ[X 1] upper triangle, then [X 1]ᵀy
  private double[] shift; // what partialFit's statistics are taken around: the first block's column means
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
    double[] mean = means(data);
    double[] s = data.sums(p * (p + 1) / 2 + p, (b, out, off) -> accumulate(b, d, mean, out, off));
    solve(s, d, mean);
    return this;
  }

  /** Column means of [X | y] (zeros for no rows). */
  private static double[] means(RowBlocks data) {
    int w = data.nFeatures + 1;
    double[] m = data.sums(w, (b, out, off) -> {
      double[] a = (double[]) b.data();
      for (int i = 0; i < a.length; i++) {
        out[off + i % w] += a[i];
      }
    });
    for (int j = 0; j < w; j++) {
      m[j] = data.nRows == 0 ? 0 : m[j] / data.nRows;
    }
    return m;
  }

  /** Adds a block of rows to the running statistics and refits (exact: equals fit on all rows so far). */
  public LinearRegression partialFit(NdArray x, NdArray y) {
    RowBlocks data = RowBlocks.local(x, y, "LinearRegression.partialFit");
    int d = data.nFeatures;
    if (stats == null) {
      statFeatures = d;
      stats = new double[(d + 1) * (d + 2) / 2 + d + 1];
      shift = means(data);
    } else if (d != statFeatures) {
      throw new MlException("LinearRegression.partialFit: X has " + d + " features, earlier blocks had " + statFeatures);
    }
    double[] around = shift;
    double[] add = data.sums(stats.length, (b, out, off) -> accumulate(b, d, around, out, off));
    for (int k = 0; k < stats.length; k++) {
      stats[k] += add[k];
    }
    coef = null; // solved when first needed: a prefix of the data may be rank-deficient
    return this;
  }

  /** Cross-products of [X - shift, 1] with itself and with y - shift[d]. */
  private static void accumulate(NdArray block, int d, double[] shift, double[] out, int off) {
    double[] a = (double[]) block.data();
    int cols = d + 1;
    int p = d + 1;
    int rows = a.length / cols;
    int tri = p * (p + 1) / 2;
    double[] row = new double[p];
    row[d] = 1;
    for (int i = 0; i < rows; i++) {
      int r = i * cols;
      for (int j = 0; j < d; j++) {
        row[j] = a[r + j] - shift[j];
      }
      double yv = a[r + d] - shift[d];
      for (int j = 0, k = off; j < p; j++) {
        double xj = row[j];
        for (int l = j; l < p; l++, k++) {
          out[k] += xj * row[l];
        }
        out[off + tri + j] += xj * yv;
      }
    }
  }

  /** Solves the shifted normal equations and moves the intercept back: y = shift_y + b + Σ coef_j (x_j - shift_j). */
  private void solve(double[] s, int d, double[] shift) {
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
    double c = shift[d] + theta[d];
    for (int j = 0; j < d; j++) {
      c -= coef[j] * shift[j];
    }
    intercept = c;
  }

  /** Solves the running partialFit statistics when they changed. */
  private void solved() {
    if (coef == null && stats != null) {
      solve(stats, statFeatures, shift);
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
