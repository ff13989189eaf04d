package io.rankwise.ml;

import io.rankwise.array.DArray;
import io.rankwise.array.NdArray;
import java.util.Arrays;

/**
 * Binary logistic regression with an L2 penalty, scikit-learn's objective
 * {@code ½‖w‖² + C Σ log(1 + exp(-yᵢ (xᵢ·w + b)))} (the intercept is not penalised), solved
 * exactly by Newton's method with step halving. The same solver fits local data and chunked data
 * spread over ranks: one pass over the rows per iteration, merged with one allReduce of the loss,
 * gradient and Hessian, so every rank count converges to the same coefficients.
 *
 * <p>Implemented here rather than taken from a JVM library: the well-kept ones (Tribuo, Smile)
 * fit by SGD or own their data layout, and neither can sum over blocks held on other ranks.
 */
public final class LogisticRegression implements Classifier {
  private final double c;
  private final int maxIter;
  private final double tol;
  private double[][] coefs; // one row per class (one row in all for two classes)
  private double[] intercepts;
  private long[] classes;
  private int nIter;

  /** {@code C = 1}, as scikit-learn's default. */
  public LogisticRegression() {
    this(1.0);
  }

  public LogisticRegression(double c) {
    this(c, 100, 1e-10);
  }

  /** {@code c}: inverse regularisation strength; stops when the largest gradient entry is below {@code tol}. */
  public LogisticRegression(double c, int maxIter, double tol) {
    if (!(c > 0)) {
      throw new MlException("LogisticRegression: C must be positive, got " + c);
    }
    this.c = c;
    this.maxIter = maxIter;
    this.tol = tol;
  }

  public double c() {
    return c;
  }

  @Override
  public LogisticRegression fit(NdArray x, NdArray y) {
    return fit(RowBlocks.local(x, y, "LogisticRegression.fit"));
  }

  /** Distributed training on chunked X (rows x features) and y: collective, nothing gathered. */
  public LogisticRegression fit(DArray x, DArray y) {
    return fit(RowBlocks.distributed(x, y, "LogisticRegression.fit"));
  }

  LogisticRegression fit(RowBlocks data) {
    long[] cls = data.classes("LogisticRegression.fit");
    int d = data.nFeatures;
    int p = d + 1; // per class: weights, then the intercept
    double[] theta;
    if (cls.length == 2) {
      long positive = cls[1];
      theta = newton(data, p, j -> j < d, (b, th, out, off) -> accumulate(b, th, positive, out, off, d), null);
      coefs = new double[][] {Arrays.copyOf(theta, d)};
      intercepts = new double[] {theta[d]};
    } else {
      int k = cls.length;
      theta = newton(data, k * p, j -> j % p < d, (b, th, out, off) -> accumulateMultinomial(b, th, cls, out, off, d),
          th -> { // the intercepts are defined up to a common shift: keep them summing to 0 (scikit-learn's)
            double mean = 0;
            for (int c = 0; c < k; c++) {
              mean += th[c * p + d] / k;
            }
            for (int c = 0; c < k; c++) {
              th[c * p + d] -= mean;
            }
          });
      coefs = new double[k][];
      intercepts = new double[k];
      for (int c = 0; c < k; c++) {
        coefs[c] = Arrays.copyOfRange(theta, c * p, c * p + d);
        intercepts[c] = theta[c * p + d];
      }
    }
    classes = cls;
    return this;
  }

  /** One block's [data loss, gradient (P), Hessian upper triangle (P(P+1)/2)] at theta. */
  @FunctionalInterface
  private interface Accumulator {
    void add(NdArray block, double[] theta, double[] out, int off);
  }

  /**
   * Newton's method with step halving on ½‖w‖² + C·loss over P parameters ({@code penalized}
   * marks the weights; intercepts are free). One pass over the rows and one merge per step (and
   * per halving). {@code project} may move theta along directions the objective ignores.
   */
  private double[] newton(RowBlocks data, int np, java.util.function.IntPredicate penalized, Accumulator acc,
      java.util.function.Consumer<double[]> project) {
    int m = 1 + np + np * (np + 1) / 2;
    double[] theta = new double[np];
    double[] s = data.sums(m, (b, out, off) -> acc.add(b, theta, out, off));
    double loss = objective(theta, s[0], penalized);
    double gtol = tol * Math.max(1, c * data.nRows); // the gradient sums over rows
    int it = 0;
    for (; it < maxIter; it++) {
      double[] grad = new double[np];
      double[] h = new double[np * np];
      double gmax = 0;
      for (int j = 0; j < np; j++) {
        grad[j] = c * s[1 + j] + (penalized.test(j) ? theta[j] : 0);
        gmax = Math.max(gmax, Math.abs(grad[j]));
      }
      if (gmax <= gtol) {
        break;
      }
      double hmax = 0;
      for (int j = 0, k = 1 + np; j < np; j++) {
        for (int l = j; l < np; l++, k++) {
          h[j * np + l] = c * s[k] + (j == l && penalized.test(j) ? 1 : 0);
        }
        hmax = Math.max(hmax, h[j * np + j]);
      }
      for (int j = 0; j < np; j++) {
        if (!penalized.test(j)) { // an intercept's curvature can vanish (separable data, multinomial shift)
          h[j * np + j] += 1e-10 * Math.max(1, hmax);
        }
      }
      double[] step = LinAlg.solveSpd(h, grad, np);
      double smax = 0;
      double tmax = 0;
      for (int j = 0; j < np; j++) {
        smax = Math.max(smax, Math.abs(step[j]));
        tmax = Math.max(tmax, Math.abs(theta[j]));
      }
      if (smax <= 1e-13 * (1 + tmax)) {
        break; // converged to the last bits
      }
      double t = 1;
      double[] next = new double[np];
      double[] ns;
      double nloss;
      while (true) {
        for (int j = 0; j < np; j++) {
          next[j] = theta[j] - t * step[j];
        }
        if (project != null) {
          project.accept(next);
        }
        ns = data.sums(m, (b, out, off) -> acc.add(b, next, out, off));
        nloss = objective(next, ns[0], penalized);
        if (nloss <= loss || t < 1e-10) {
          break;
        }
        t /= 2;
      }
      System.arraycopy(next, 0, theta, 0, np);
      s = ns;
      boolean tiny = nloss >= loss - 1e-16 * Math.abs(loss) && t < 1;
      loss = nloss;
      if (tiny) {
        it++;
        break;
      }
    }
    nIter = it;
    return theta;
  }

  private double objective(double[] theta, double dataLoss, java.util.function.IntPredicate penalized) {
    double w2 = 0;
    for (int j = 0; j < theta.length; j++) {
      if (penalized.test(j)) {
        w2 += theta[j] * theta[j];
      }
    }
    return 0.5 * w2 + c * dataLoss;
  }

  /**
   * One block's multinomial (softmax) loss, gradient and Hessian over K x (d+1) parameters:
   * Hessian blocks Σ pᵢₖ(δₖₗ − pᵢₗ) xᵢxᵢᵀ, row by row (K·(d+1) is small).
   */
  private static void accumulateMultinomial(NdArray block, double[] theta, long[] cls, double[] out, int off, int d) {
    double[] a = (double[]) block.data();
    int k = cls.length;
    int cols = d + 1;
    int p = d + 1;
    int np = k * p;
    int rows = a.length / cols;
    double[] z = new double[k];
    double[] pr = new double[k];
    double[] xv = new double[p];
    double loss = 0;
    int gOff = off + 1;
    int hOff = off + 1 + np;
    for (int i = 0; i < rows; i++) {
      int r = i * cols;
      for (int j = 0; j < d; j++) {
        xv[j] = a[r + j];
      }
      xv[d] = 1;
      int y = Arrays.binarySearch(cls, (long) a[r + d]);
      double zmax = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        double v = 0;
        for (int j = 0; j < p; j++) {
          v += theta[c * p + j] * xv[j];
        }
        z[c] = v;
        zmax = Math.max(zmax, v);
      }
      double sum = 0;
      for (int c = 0; c < k; c++) {
        pr[c] = Math.exp(z[c] - zmax);
        sum += pr[c];
      }
      for (int c = 0; c < k; c++) {
        pr[c] /= sum;
      }
      loss += zmax + Math.log(sum) - z[y];
      for (int c = 0; c < k; c++) {
        double res = pr[c] - (c == y ? 1 : 0);
        for (int j = 0; j < p; j++) {
          out[gOff + c * p + j] += res * xv[j];
        }
      }
      // upper triangle of the (c, j) x (l, mm) Hessian in row-major order of the flat index c * p + j
      int h = hOff;
      for (int c = 0; c < k; c++) {
        for (int j = 0; j < p; j++) {
          for (int l = c; l < k; l++) {
            double w = pr[c] * ((c == l ? 1 : 0) - pr[l]);
            double wx = w * xv[j];
            for (int mm = l == c ? j : 0; mm < p; mm++) {
              out[h++] += wx * xv[mm];
            }
          }
        }
      }
    }
    out[off] += loss;
  }

  private static final dev.ludovic.netlib.blas.BLAS BLAS = io.rankwise.array.Blas.get();

  /**
   * One block's [loss, gradient (p), Hessian upper triangle] of the unpenalised data term. The
   * Hessian Σ wᵢ [xᵢ 1][xᵢ 1]ᵀ is one BLAS dsyrk over the rows scaled by √wᵢ (native OpenBLAS
   * when installed), the rest one pass over the rows.
   */
  private static void accumulate(NdArray block, double[] theta, long positive, double[] out, int off, int d) {
    double[] a = (double[]) block.data();
    int cols = d + 1;
    int p = d + 1;
    int rows = a.length / cols;
    double loss = 0;
    double[] g = new double[p];
    double[] scaled = scratch(rows * p); // row i: √wᵢ [xᵢ 1]
    for (int i = 0; i < rows; i++) {
      int r = i * cols;
      double z = theta[d];
      for (int j = 0; j < d; j++) {
        z += theta[j] * a[r + j];
      }
      double yv = a[r + d] == positive ? 1 : 0;
      double pr = sigmoid(z);
      loss += softplus(z) - yv * z;
      double res = pr - yv;
      double sw = Math.sqrt(pr * (1 - pr));
      for (int j = 0; j < d; j++) {
        g[j] += res * a[r + j];
        scaled[r + j] = sw * a[r + j];
      }
      g[d] += res;
      scaled[r + d] = sw;
    }
    double[] h = new double[p * p];
    if (rows > 0) {
      // row-major (rows x p) is column-major (p x rows): H = B Bᵀ with B that matrix
      BLAS.dsyrk("U", "N", p, rows, 1.0, scaled, p, 0.0, h, p);
    }
    out[off] += loss;
    for (int j = 0; j < p; j++) {
      out[off + 1 + j] += g[j];
    }
    for (int j = 0, k = 0; j < p; j++) {
      for (int l = j; l < p; l++, k++) {
        out[off + 1 + p + k] += h[j + l * p]; // column-major upper triangle: row j <= column l
      }
    }
  }

  /** A per-thread buffer reused across blocks and iterations (blocks are large: no garbage per pass). */
  private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[0]);

  private static double[] scratch(int n) {
    double[] b = SCRATCH.get();
    if (b.length < n) {
      b = new double[n];
      SCRATCH.set(b);
    }
    return b;
  }

  static double sigmoid(double z) {
    if (z >= 0) {
      return 1 / (1 + Math.exp(-z));
    }
    double e = Math.exp(z);
    return e / (1 + e);
  }

  /** log(1 + exp(z)) without overflow. */
  static double softplus(double z) {
    return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
  }

  private void checkFitted(NdArray x) {
    if (coefs == null) {
      throw new MlException("LogisticRegression is not fitted yet; call fit(X, y) first");
    }
    Models.checkFeatures("LogisticRegression", x, coefs[0].length);
  }

  /**
   * Decision values: xᵢ·w + b per row (shape (rows)) for two classes; per class (rows, classes)
   * for more, as scikit-learn's decision_function.
   */
  public NdArray decisionFunction(NdArray x) {
    checkFitted(x);
    int n = x.shape()[0];
    int d = coefs[0].length;
    int k = coefs.length;
    double[] z = new double[n * k];
    double[] a = x.toDoubles();
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < k; c++) {
        double v = intercepts[c];
        double[] w = coefs[c];
        for (int j = 0; j < d; j++) {
          v += w[j] * a[i * d + j];
        }
        z[i * k + c] = v;
      }
    }
    return k == 1 ? NdArray.of(z, n) : NdArray.of(z, n, k);
  }

  @Override
  public NdArray predict(NdArray x) {
    double[] z = decisionFunction(x).toDoubles();
    int k = coefs.length;
    int n = z.length / k;
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      if (k == 1) {
        out[i] = z[i] > 0 ? classes[1] : classes[0];
      } else {
        int best = 0;
        for (int c = 1; c < k; c++) {
          if (z[i * k + c] > z[i * k + best]) {
            best = c;
          }
        }
        out[i] = classes[best];
      }
    }
    return NdArray.of(out, n);
  }

  @Override
  public NdArray predictProba(NdArray x) {
    return proba(x, false);
  }

  @Override
  public NdArray predictLogProba(NdArray x) {
    return proba(x, true);
  }

  /** Class probabilities (sigmoid for two classes, softmax for more), or their logs. */
  private NdArray proba(NdArray x, boolean log) {
    double[] z = decisionFunction(x).toDoubles();
    int k = coefs.length;
    int n = z.length / k;
    int nc = classes.length;
    double[] out = new double[n * nc];
    for (int i = 0; i < n; i++) {
      if (k == 1) {
        out[2 * i] = log ? -softplus(z[i]) : 1 - sigmoid(z[i]);
        out[2 * i + 1] = log ? -softplus(-z[i]) : sigmoid(z[i]);
        continue;
      }
      double zmax = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        zmax = Math.max(zmax, z[i * k + c]);
      }
      double sum = 0;
      for (int c = 0; c < k; c++) {
        sum += Math.exp(z[i * k + c] - zmax);
      }
      double lse = zmax + Math.log(sum);
      for (int c = 0; c < k; c++) {
        out[i * k + c] = log ? z[i * k + c] - lse : Math.exp(z[i * k + c] - lse);
      }
    }
    return NdArray.of(out, n, nc);
  }

  @Override
  public double score(NdArray x, NdArray y) {
    return Models.accuracy(predict(x), y);
  }

  @Override
  public long[] classes() {
    return classes.clone();
  }

  @Override
  public int nFeatures() {
    if (coefs == null) {
      throw new MlException("LogisticRegression is not fitted yet; call fit(X, y) first");
    }
    return coefs[0].length;
  }

  /** The weights: one row for two classes (scikit-learn's coef_[0]); see {@link #coefMatrix()} for more. */
  public double[] coef() {
    nFeatures();
    return coefs[0].clone();
  }

  /** The weights per class (rows, as scikit-learn's coef_: one row for two classes). */
  public double[][] coefMatrix() {
    nFeatures();
    double[][] out = new double[coefs.length][];
    for (int c = 0; c < coefs.length; c++) {
      out[c] = coefs[c].clone();
    }
    return out;
  }

  /** The intercept for two classes (scikit-learn's intercept_[0]). */
  public double intercept() {
    nFeatures();
    return intercepts[0];
  }

  /** The intercepts (one per class when there are more than two; they sum to 0). */
  public double[] intercepts() {
    nFeatures();
    return intercepts.clone();
  }

  /** Newton iterations of the last fit. */
  public int nIter() {
    return nIter;
  }
}
