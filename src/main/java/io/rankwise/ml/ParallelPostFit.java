package io.rankwise.ml;

import io.rankwise.array.DArray;
import io.rankwise.array.DType;
import io.rankwise.array.NdArray;

/**
 * dask-ml's ParallelPostFit: fit an estimator on local data as it is, then predict, transform and
 * score chunked arrays block by block on the ranks that own the blocks. Predictions come back as
 * chunked arrays (row blocks as X's); scores are merged from per-block partial counts with one
 * allReduce, never by gathering the data.
 *
 * <pre>
 *   ParallelPostFit&lt;LogisticRegressionCV&gt; clf = new ParallelPostFit&lt;&gt;(new LogisticRegressionCV());
 *   clf.fit(xSmall, ySmall);
 *   DArray labels = clf.predict(xLarge);      // lazy
 *   double accuracy = clf.score(xLarge, yLarge);
 * </pre>
 */
public final class ParallelPostFit<E extends Estimator> {
  private final E estimator;
  private boolean fitted;

  public ParallelPostFit(E estimator) {
    this.estimator = estimator;
  }

  public E estimator() {
    return estimator;
  }

  /** Wraps an estimator that is already fitted (by a distributed fit, say). */
  public ParallelPostFit<E> fitted(E fittedEstimator) {
    if (fittedEstimator != estimator) {
      throw new MlException("ParallelPostFit.fitted: pass the wrapped estimator");
    }
    estimator.nFeatures(); // throws when it is not fitted
    fitted = true;
    return this;
  }

  /** For wrappers that fit the estimator themselves (Incremental). */
  void markFitted() {
    fitted = true;
  }

  /** Fits the wrapped estimator on local data (unchanged). */
  public ParallelPostFit<E> fit(NdArray x, NdArray y) {
    estimator.fit(x, y);
    fitted = true;
    return this;
  }

  private int features(DArray x, String op) {
    if (!fitted) {
      throw new MlException("ParallelPostFit." + op + ": the estimator is not fitted yet; call fit(X, y) first");
    }
    if (x.ndim() != 2) {
      throw new MlException("ParallelPostFit." + op + ": X must be 2-d (samples, features), got "
          + java.util.Arrays.toString(x.shape()));
    }
    int d = estimator.nFeatures();
    if (x.shape()[1] != d) {
      throw new MlException("X has " + x.shape()[1] + " features, but " + estimator.getClass().getSimpleName()
          + " was fitted with " + d + " features");
    }
    return d;
  }

  private static DArray oneColumnBlock(DArray x) {
    return x.grid().numBlocks()[1] == 1 ? x : x.rechunk(io.rankwise.array.Chunks.explicit(x.grid().chunks(0),
        new int[] {(int) x.shape()[1]}));
  }

  /** Predictions per row of chunked X (int64 labels for classifiers, float64 values otherwise). */
  public DArray predict(DArray x) {
    features(x, "predict");
    DType t = estimator.isClassifier() ? DType.INT64 : DType.FLOAT64;
    return oneColumnBlock(x).mapRows("predict", t, 0, b -> estimator.predict(b).astype(t));
  }

  /** Class probabilities per row, (rows, classes). */
  public DArray predictProba(DArray x) {
    features(x, "predictProba");
    Classifier c = classifier("predictProba");
    int k = c.classes().length;
    return oneColumnBlock(x).mapRows("predict_proba", DType.FLOAT64, k, c::predictProba);
  }

  public DArray predictLogProba(DArray x) {
    features(x, "predictLogProba");
    Classifier c = classifier("predictLogProba");
    int k = c.classes().length;
    return oneColumnBlock(x).mapRows("predict_log_proba", DType.FLOAT64, k, c::predictLogProba);
  }

  /** The wrapped transformer applied block by block. */
  public DArray transform(DArray x) {
    features(x, "transform");
    if (!(estimator instanceof Transformer tr)) {
      throw new MlException("ParallelPostFit.transform: " + estimator.getClass().getSimpleName()
          + " is not a transformer");
    }
    return oneColumnBlock(x).mapRows("transform", DType.FLOAT64, tr.nOutputs(), tr::transform);
  }

  private Classifier classifier(String op) {
    if (!(estimator instanceof Classifier c)) {
      throw new MlException("ParallelPostFit." + op + ": " + estimator.getClass().getSimpleName()
          + " is not a classifier");
    }
    return c;
  }

  /**
   * Accuracy (classifiers) or R² (regressors) over chunked X and y, from per-block partial sums
   * merged with one allReduce, in block order: the same value for any number of ranks. Collective.
   */
  public double score(DArray x, DArray y) {
    features(x, "score");
    RowBlocks data = RowBlocks.distributed(x, y, "ParallelPostFit.score");
    int d = data.nFeatures;
    if (estimator.isClassifier()) {
      double[] s = data.sums(2, (b, out, off) -> {
        int rows = b.shape()[0];
        NdArray pred = estimator.predict(featuresOf(b, d));
        double[] a = (double[]) b.data();
        for (int i = 0; i < rows; i++) {
          out[off] += pred.getDouble(i) == a[i * (d + 1) + d] ? 1 : 0;
        }
        out[off + 1] += rows;
      });
      return s[1] == 0 ? Double.NaN : s[0] / s[1];
    }
    // R²: per block (n, mean of y, M2 of y, squared error), merged in block order (Chan et al.)
    double[] per = data.perBlock(4, (b, out, off) -> {
      int rows = b.shape()[0];
      NdArray pred = estimator.predict(featuresOf(b, d));
      double[] a = (double[]) b.data();
      double mean = 0;
      for (int i = 0; i < rows; i++) {
        mean += a[i * (d + 1) + d];
      }
      mean = rows == 0 ? 0 : mean / rows;
      double m2 = 0;
      double sse = 0;
      for (int i = 0; i < rows; i++) {
        double yv = a[i * (d + 1) + d];
        m2 += (yv - mean) * (yv - mean);
        double e = yv - pred.getDouble(i);
        sse += e * e;
      }
      out[off] = rows;
      out[off + 1] = mean;
      out[off + 2] = m2;
      out[off + 3] = sse;
    });
    double n = 0;
    double mean = 0;
    double m2 = 0;
    double sse = 0;
    for (int b = 0; b < data.nBlocks; b++) {
      double nb = per[4 * b];
      if (nb == 0) {
        continue;
      }
      double delta = per[4 * b + 1] - mean;
      double nt = n + nb;
      mean += delta * nb / nt;
      m2 += per[4 * b + 2] + delta * delta * n * nb / nt;
      n = nt;
      sse += per[4 * b + 3];
    }
    return m2 == 0 ? (sse == 0 ? 1 : 0) : 1 - sse / m2;
  }

  /** The feature columns of a [X | y] block. */
  private static NdArray featuresOf(NdArray block, int d) {
    int rows = block.shape()[0];
    double[] a = (double[]) block.data();
    double[] x = new double[rows * d];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(a, i * (d + 1), x, i * d, d);
    }
    return NdArray.of(x, rows, d);
  }

  // ---- dataframes: every column of X is a feature, in order ---------------------------------

  /** Predictions for the rows of a dataframe (one row block per partition; lengths are computed first). */
  public DArray predict(io.rankwise.frame.DFrame x) {
    return predict(x.toArray());
  }

  public DArray predictProba(io.rankwise.frame.DFrame x) {
    return predictProba(x.toArray());
  }

  /** Score over a dataframe of features and a one-column dataframe of targets, partitioned alike. */
  public double score(io.rankwise.frame.DFrame x, io.rankwise.frame.DFrame y) {
    if (y.columns().size() != 1) {
      throw new MlException("ParallelPostFit.score: y must have exactly one column, it has " + y.columns());
    }
    if (x.npartitions() != y.npartitions()) {
      throw new MlException("ParallelPostFit.score: X has " + x.npartitions() + " partitions, y " + y.npartitions()
          + "; they must be partitioned alike");
    }
    return score(x.toArray(), y.columnArray(y.columns().get(0)));
  }

  /** Local data passes straight to the estimator. */
  public NdArray predict(NdArray x) {
    return estimator.predict(x);
  }

  public double score(NdArray x, NdArray y) {
    return estimator.score(x, y);
  }
}
