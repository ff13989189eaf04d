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
  private double[] coef;
  private double intercept;
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
    long[] cls = data.binaryClasses("LogisticRegression.fit");
    int d = data.nFeatures;
    int p = d + 1; // weights, then the intercept
    int hsize = p * (p + 1) / 2;
    int m = 1 + p + hsize;
    double[] theta = new double[p];
    double[] s = data.sums(m, (b, out, off) -> accumulate(b, theta, cls[1], out, off, d));
    double loss = objective(theta, s[0], d);
    double gtol = tol * Math.max(1, c * data.nRows); // the gradient sums over rows
    int it = 0;
    for (; it < maxIter; it++) {
      double[] grad = new double[p];
      double[] h = new double[p * p];
      double gmax = 0;
      for (int j = 0; j < p; j++) {
        grad[j] = c * s[1 + j] + (j < d ? theta[j] : 0);
        gmax = Math.max(gmax, Math.abs(grad[j]));
      }
      if (gmax <= gtol) {
        break;
      }
      for (int j = 0, k = 1 + p; j < p; j++) {
        for (int l = j; l < p; l++, k++) {
          h[j * p + l] = c * s[k] + (j == l && j < d ? 1 : 0);
        }
      }
      h[(p - 1) * p + (p - 1)] += 1e-12; // the intercept's curvature can vanish on separable data
      double[] step = LinAlg.solveSpd(h, grad, p);
      double smax = 0;
      double tmax = 0;
      for (int j = 0; j < p; j++) {
        smax = Math.max(smax, Math.abs(step[j]));
        tmax = Math.max(tmax, Math.abs(theta[j]));
      }
      if (smax <= 1e-13 * (1 + tmax)) {
        break; // converged to the last bits
      }
      double t = 1;
      double[] next = new double[p];
      double[] ns;
      double nloss;
      while (true) {
        for (int j = 0; j < p; j++) {
          next[j] = theta[j] - t * step[j];
        }
        ns = data.sums(m, (b, out, off) -> accumulate(b, next, cls[1], out, off, d));
        nloss = objective(next, ns[0], d);
        if (nloss <= loss || t < 1e-10) {
          break;
        }
        t /= 2;
      }
      System.arraycopy(next, 0, theta, 0, p);
      s = ns;
      boolean tiny = nloss >= loss - 1e-16 * Math.abs(loss) && t < 1;
      loss = nloss;
      if (tiny) {
        it++;
        break;
      }
    }
    coef = Arrays.copyOf(theta, d);
    intercept = theta[d];
    classes = cls;
    nIter = it;
    return this;
  }

  private double objective(double[] theta, double dataLoss, int d) {
    double w2 = 0;
    for (int j = 0; j < d; j++) {
      w2 += theta[j] * theta[j];
    }
    return 0.5 * w2 + c * dataLoss;
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
    if (coef == null) {
      throw new MlException("LogisticRegression is not fitted yet; call fit(X, y) first");
    }
    Models.checkFeatures("LogisticRegression", x, coef.length);
  }

  /** xᵢ·w + b per row. */
  public NdArray decisionFunction(NdArray x) {
    checkFitted(x);
    int n = x.shape()[0];
    int d = coef.length;
    double[] z = new double[n];
    double[] a = x.toDoubles();
    for (int i = 0; i < n; i++) {
      double v = intercept;
      for (int j = 0; j < d; j++) {
        v += coef[j] * a[i * d + j];
      }
      z[i] = v;
    }
    return NdArray.of(z, n);
  }

  @Override
  public NdArray predict(NdArray x) {
    double[] z = decisionFunction(x).toDoubles();
    long[] out = new long[z.length];
    for (int i = 0; i < z.length; i++) {
      out[i] = z[i] > 0 ? classes[1] : classes[0];
    }
    return NdArray.of(out, z.length);
  }

  @Override
  public NdArray predictProba(NdArray x) {
    double[] z = decisionFunction(x).toDoubles();
    double[] out = new double[2 * z.length];
    for (int i = 0; i < z.length; i++) {
      double p1 = sigmoid(z[i]);
      out[2 * i] = 1 - p1;
      out[2 * i + 1] = p1;
    }
    return NdArray.of(out, z.length, 2);
  }

  @Override
  public NdArray predictLogProba(NdArray x) {
    double[] z = decisionFunction(x).toDoubles();
    double[] out = new double[2 * z.length];
    for (int i = 0; i < z.length; i++) {
      out[2 * i] = -softplus(z[i]);
      out[2 * i + 1] = -softplus(-z[i]);
    }
    return NdArray.of(out, z.length, 2);
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
    if (coef == null) {
      throw new MlException("LogisticRegression is not fitted yet; call fit(X, y) first");
    }
    return coef.length;
  }

  public double[] coef() {
    return coef.clone();
  }

  public double intercept() {
    return intercept;
  }

  /** Newton iterations of the last fit. */
  public int nIter() {
    return nIter;
  }
}
