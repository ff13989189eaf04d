package io.rankwise.ml;

import io.rankwise.array.DArray;
import io.rankwise.array.DType;
import io.rankwise.array.NdArray;

/**
 * dask-ml's ParallelPostFit: fit an estimator on local data as it is, then predict, transform and
 * score chunked arrays block by block on the ranks that own the blocks. Predictions come back as
 * chunked arrays (row blocks as X's); scores are merged from per-block partial counts, never by
 * gathering the data.
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
   * Accuracy (classifiers) or R² (regressors) over chunked X and y: each block is scored where it
   * is, into a few numbers (correct and rows; or rows, mean, M2 and squared error), which are then
   * shared with every rank and merged in block order: the same value for any number of ranks, and
   * no data gathered. Collective.
   */
  public double score(DArray x, DArray y) {
    features(x, "score");
    if (y.ndim() != 1 || y.shape()[0] != x.shape()[0]) {
      throw new MlException("ParallelPostFit.score: y must be 1-d with one value per row of X (" + x.shape()[0]
          + "), got shape " + java.util.Arrays.toString(y.shape()));
    }
    DArray xx = oneColumnBlock(x);
    if (!java.util.Arrays.equals(xx.grid().chunks(0), y.grid().chunks(0))) {
      throw new MlException("ParallelPostFit.score: X and y must have the same row chunks; X has "
          + java.util.Arrays.toString(xx.grid().chunks(0)) + ", y has " + java.util.Arrays.toString(y.grid().chunks(0)));
    }
    boolean classifier = estimator.isClassifier();
    // per block, where the block is: (correct, rows) or (rows, mean y, M2 of y, squared error)
    NdArray per = xx.perRowBlock(y, "score-partials", classifier ? 2 : 4, (xb, yb) -> {
      int rows = xb.shape()[0];
      NdArray pred = estimator.predict(xb);
      if (classifier) {
        long ok = 0;
        if (pred.data() instanceof long[] pl && yb.data() instanceof long[] yl) {
          for (int i = 0; i < rows; i++) {
            ok += pl[i] == yl[i] ? 1 : 0;
          }
        } else {
          for (int i = 0; i < rows; i++) {
            ok += pred.getDouble(i) == yb.getDouble(i) ? 1 : 0;
          }
        }
        return NdArray.of(new double[] {ok, rows}, 2);
      }
      double mean = 0;
      for (int i = 0; i < rows; i++) {
        mean += yb.getDouble(i);
      }
      mean = rows == 0 ? 0 : mean / rows;
      double m2 = 0;
      double sse = 0;
      for (int i = 0; i < rows; i++) {
        double yv = yb.getDouble(i);
        m2 += (yv - mean) * (yv - mean);
        double e = yv - pred.getDouble(i);
        sse += e * e;
      }
      return NdArray.of(new double[] {rows, mean, m2, sse}, 4);
    }).compute(); // a few numbers per block, in block order, on every rank
    double[] p = per.toDoubles();
    int nb = per.shape()[0];
    if (classifier) {
      double ok = 0;
      double n = 0;
      for (int b = 0; b < nb; b++) {
        ok += p[2 * b];
        n += p[2 * b + 1];
      }
      return n == 0 ? Double.NaN : ok / n;
    }
    double n = 0;
    double mean = 0;
    double m2 = 0;
    double sse = 0;
    for (int b = 0; b < nb; b++) { // Chan et al., in block order: the same bits for any rank count
      double nb2 = p[4 * b];
      if (nb2 == 0) {
        continue;
      }
      double delta = p[4 * b + 1] - mean;
      double nt = n + nb2;
      mean += delta * nb2 / nt;
      m2 += p[4 * b + 2] + delta * delta * n * nb2 / nt;
      n = nt;
      sse += p[4 * b + 3];
    }
    return m2 == 0 ? (sse == 0 ? 1 : 0) : 1 - sse / m2;
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
