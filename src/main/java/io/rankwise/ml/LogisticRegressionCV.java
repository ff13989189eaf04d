package io.rankwise.ml;

import io.rankwise.array.NdArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Logistic regression whose C is chosen by cross-validation, as scikit-learn's
 * LogisticRegressionCV: a grid of {@code Cs} values (an int n means n values log-spaced from 1e-4
 * to 1e4), stratified k folds without shuffling (each class's samples, in order, cut into k
 * contiguous parts), accuracy per fold, the C with the best mean accuracy (the first on ties),
 * then a refit on all the data with that C.
 */
public final class LogisticRegressionCV implements Classifier {
  private final double[] cs;
  private final int folds;
  private LogisticRegression best;
  private double[] meanScores;

  /** scikit-learn's defaults: Cs=10, cv=5. */
  public LogisticRegressionCV() {
    this(10, 5);
  }

  public LogisticRegressionCV(int nCs, int folds) {
    this(logspace(-4, 4, nCs), folds);
  }

  public LogisticRegressionCV(double[] cs, int folds) {
    if (cs.length == 0) {
      throw new MlException("LogisticRegressionCV: give at least one C");
    }
    if (folds < 2) {
      throw new MlException("LogisticRegressionCV: cv must be at least 2 folds, got " + folds);
    }
    this.cs = cs.clone();
    this.folds = folds;
  }

  static double[] logspace(double from, double to, int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = Math.pow(10, n == 1 ? from : from + (to - from) * i / (n - 1));
    }
    return out;
  }

  @Override
  public LogisticRegressionCV fit(NdArray x, NdArray y) {
    int n = x.shape()[0];
    if (y.size() != n) {
      throw new MlException("LogisticRegressionCV.fit: y has " + y.size() + " values for " + n + " rows of X");
    }
    int[] fold = stratifiedFolds(y, folds);
    meanScores = new double[cs.length];
    for (int f = 0; f < folds; f++) {
      int[] train = indices(fold, f, false);
      int[] test = indices(fold, f, true);
      NdArray xtr = rows(x, train);
      NdArray ytr = rows(y, train);
      NdArray xte = rows(x, test);
      NdArray yte = rows(y, test);
      for (int k = 0; k < cs.length; k++) {
        meanScores[k] += new LogisticRegression(cs[k]).fit(xtr, ytr).score(xte, yte) / folds;
      }
    }
    int bestK = 0;
    for (int k = 1; k < cs.length; k++) {
      if (meanScores[k] > meanScores[bestK]) {
        bestK = k;
      }
    }
    best = new LogisticRegression(cs[bestK]).fit(x, y);
    return this;
  }

  /**
   * Fold of each sample, as scikit-learn's StratifiedKFold without shuffling: classes numbered in
   * order of first appearance, their labels sorted and dealt round-robin to the k folds give each
   * fold's count per class; then each class's samples, in order, fill fold 0's share, then fold
   * 1's, and so on.
   */
  static int[] stratifiedFolds(NdArray y, int k) {
    java.util.LinkedHashMap<Double, List<Integer>> byClass = new java.util.LinkedHashMap<>();
    for (int i = 0; i < y.size(); i++) {
      byClass.computeIfAbsent(y.getDouble(i), v -> new ArrayList<>()).add(i);
    }
    int[] fold = new int[y.size()];
    int start = 0; // position of this class's first label in the sorted labels
    for (List<Integer> members : byClass.values()) {
      int m = members.size();
      if (m < k) {
        throw new MlException("LogisticRegressionCV: a class has " + m + " samples, fewer than the " + k + " folds");
      }
      int pos = 0;
      for (int f = 0; f < k; f++) {
        // sorted positions start .. start+m-1 that are congruent to f mod k
        int first = start + Math.floorMod(f - start, k);
        int count = first >= start + m ? 0 : (start + m - 1 - first) / k + 1;
        for (int i = 0; i < count; i++) {
          fold[members.get(pos++)] = f;
        }
      }
      start += m;
    }
    return fold;
  }

  private static int[] indices(int[] fold, int f, boolean in) {
    return java.util.stream.IntStream.range(0, fold.length).filter(i -> (fold[i] == f) == in).toArray();
  }

  private static NdArray rows(NdArray a, int[] idx) {
    int[] s = a.shape();
    int width = s.length == 1 ? 1 : s[1];
    double[] d = a.toDoubles();
    double[] out = new double[idx.length * width];
    for (int i = 0; i < idx.length; i++) {
      System.arraycopy(d, idx[i] * width, out, i * width, width);
    }
    return s.length == 1 ? NdArray.of(out, idx.length) : NdArray.of(out, idx.length, width);
  }

  private LogisticRegression fitted() {
    if (best == null) {
      throw new MlException("LogisticRegressionCV is not fitted yet; call fit(X, y) first");
    }
    return best;
  }

  /** The chosen C. */
  public double c() {
    return fitted().c();
  }

  /** Mean accuracy over the folds for each C of the grid. */
  public double[] meanScores() {
    fitted();
    return meanScores.clone();
  }

  public double[] cs() {
    return cs.clone();
  }

  public double[] coef() {
    return fitted().coef();
  }

  public double intercept() {
    return fitted().intercept();
  }

  @Override
  public NdArray predict(NdArray x) {
    return fitted().predict(x);
  }

  @Override
  public NdArray predictProba(NdArray x) {
    return fitted().predictProba(x);
  }

  @Override
  public NdArray predictLogProba(NdArray x) {
    return fitted().predictLogProba(x);
  }

  @Override
  public double score(NdArray x, NdArray y) {
    return fitted().score(x, y);
  }

  @Override
  public long[] classes() {
    return fitted().classes();
  }

  @Override
  public int nFeatures() {
    return fitted().nFeatures();
  }

  @Override
  public String toString() {
    return "LogisticRegressionCV(Cs=" + Arrays.toString(cs) + ", cv=" + folds + ")";
  }
}
