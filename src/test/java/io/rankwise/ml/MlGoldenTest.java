package io.rankwise.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rankwise.array.NdArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The estimators against scikit-learn's answers (test-data/ml, made by make_golden.py). */
class MlGoldenTest {
  static Map<String, double[]> read(String file) {
    Map<String, double[]> out = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(Path.of(System.getProperty("rankwise.home", ".")).resolve("test-data/ml")
          .resolve(file))) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String[] p = line.trim().split(" ");
        double[] v = new double[p.length - 1];
        for (int i = 0; i < v.length; i++) {
          v[i] = Double.parseDouble(p[i + 1]);
        }
        out.put(p[0], v);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static final Map<String, double[]> IN = read("input.txt");
  static final Map<String, double[]> GOLD = read("golden.txt");

  static NdArray x() {
    double[] v = IN.get("X");
    return NdArray.of(v, v.length / 4, 4);
  }

  static NdArray y() {
    double[] v = IN.get("y");
    long[] l = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      l[i] = (long) v[i];
    }
    return NdArray.of(l, l.length);
  }

  static void close(double[] want, double[] got, double tol, String what) {
    assertEquals(want.length, got.length, what + " length");
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], tol * Math.max(1, Math.abs(want[i])), what + "[" + i + "]");
    }
  }

  @Test
  void logisticRegressionMatchesScikitLearn() {
    for (String c : new String[] {"1", "0.05"}) {
      LogisticRegression m = new LogisticRegression(Double.parseDouble(c)).fit(x(), y());
      close(GOLD.get("logreg/C=" + c + "/coef"), m.coef(), 1e-6, "coef C=" + c);
      close(GOLD.get("logreg/C=" + c + "/intercept"), new double[] {m.intercept()}, 1e-6, "intercept C=" + c);
      NdArray first5 = NdArray.of(java.util.Arrays.copyOf(x().toDoubles(), 20), 5, 4);
      close(GOLD.get("logreg/C=" + c + "/proba"), m.predictProba(first5).toDoubles(), 1e-7, "proba C=" + c);
      assertEquals(GOLD.get("logreg/C=" + c + "/score")[0], m.score(x(), y()), 1e-12, "accuracy C=" + c);
      assertArrayEquals(new long[] {0, 1}, m.classes());
    }
  }

  @Test
  void logisticRegressionCvPicksScikitLearnsC() {
    LogisticRegressionCV m = new LogisticRegressionCV().fit(x(), y());
    close(GOLD.get("logregcv/meanscores"), m.meanScores(), 1e-12, "mean fold accuracy per C");
    assertEquals(GOLD.get("logregcv/C")[0], m.c(), 1e-15);
    close(GOLD.get("logregcv/coef"), m.coef(), 1e-6, "coef");
    close(GOLD.get("logregcv/intercept"), new double[] {m.intercept()}, 1e-6, "intercept");
  }

  @Test
  void linearRegressionMatchesScikitLearn() {
    double[] xv = IN.get("Xr");
    NdArray xr = NdArray.of(xv, xv.length / 3, 3);
    NdArray yr = NdArray.of(IN.get("yr"), xv.length / 3);
    LinearRegression m = new LinearRegression().fit(xr, yr);
    close(GOLD.get("linreg/coef"), m.coef(), 1e-9, "coef");
    close(GOLD.get("linreg/intercept"), new double[] {m.intercept()}, 1e-9, "intercept");
    assertEquals(GOLD.get("linreg/score")[0], m.score(xr, yr), 1e-12);
  }

  /**
   * Features far from zero (1e9 + unit noise, like epoch seconds): uncentered normal equations lose
   * every digit of XᵀX's information to cancellation; centered ones recover the exact coefficients.
   */
  @Test
  void largeFeatureOffsetsStillFitExactly() {
    int n = 2000;
    double[] x = new double[2 * n];
    double[] y = new double[n];
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    for (int i = 0; i < n; i++) {
      x[2 * i] = 1e9 + r.nextDouble();
      x[2 * i + 1] = -5e8 + r.nextDouble() * 3;
      y[i] = 2.5 * (x[2 * i] - 1e9) - 0.75 * (x[2 * i + 1] + 5e8) + 4 + 1e-3 * (r.nextDouble() - 0.5);
    }
    LinearRegression m = new LinearRegression().fit(NdArray.of(x, n, 2), NdArray.of(y, n));
    close(new double[] {2.5, -0.75}, m.coef(), 1e-3, "coef");
    // the intercept moves the offsets back: y = 4 + 2.5 (x0 - 1e9) - 0.75 (x1 + 5e8)
    close(new double[] {4 - 2.5e9 - 0.75 * 5e8}, new double[] {m.intercept()}, 1e-9 * 3e9, "intercept");
    LinearRegression inc = new LinearRegression();
    for (int a = 0; a < n; a += 500) {
      inc.partialFit(NdArray.of(java.util.Arrays.copyOfRange(x, 2 * a, 2 * (a + 500)), 500, 2),
          NdArray.of(java.util.Arrays.copyOfRange(y, a, a + 500), 500));
    }
    close(m.coef(), inc.coef(), 1e-6, "partialFit around the first block's means");
  }

  /** partialFit over blocks equals a full fit, even when the first blocks alone are rank-deficient. */
  @Test
  void partialFitNeedsNoFullRankPrefix() {
    double[] xv = IN.get("Xr");
    int n = xv.length / 3;
    double[] yv = IN.get("yr");
    LinearRegression inc = new LinearRegression();
    int[] cuts = {0, 2, 3, 50, n};
    for (int k = 0; k + 1 < cuts.length; k++) {
      int a = cuts[k];
      int b = cuts[k + 1];
      inc.partialFit(NdArray.of(java.util.Arrays.copyOfRange(xv, 3 * a, 3 * b), b - a, 3),
          NdArray.of(java.util.Arrays.copyOfRange(yv, a, b), b - a));
    }
    close(GOLD.get("linreg/coef"), inc.coef(), 1e-9, "coef after partial fits");
  }

  @Test
  void multinomialLogisticRegressionMatchesScikitLearn() {
    double[] xv = IN.get("X3");
    double[] yv = IN.get("y3");
    NdArray x3 = NdArray.of(xv, yv.length, 4);
    long[] l = new long[yv.length];
    for (int i = 0; i < l.length; i++) {
      l[i] = (long) yv[i];
    }
    NdArray y3 = NdArray.of(l, l.length);
    LogisticRegression m = new LogisticRegression(0.5).fit(x3, y3);
    assertArrayEquals(new long[] {0, 1, 2}, m.classes());
    double[][] w = m.coefMatrix();
    double[] flat = new double[12];
    for (int c = 0; c < 3; c++) {
      System.arraycopy(w[c], 0, flat, 4 * c, 4);
    }
    close(GOLD.get("multinomial/coef"), flat, 1e-6, "coef");
    close(GOLD.get("multinomial/intercept"), m.intercepts(), 1e-6, "intercepts");
    NdArray first5 = NdArray.of(java.util.Arrays.copyOf(xv, 20), 5, 4);
    close(GOLD.get("multinomial/proba"), m.predictProba(first5).toDoubles(), 1e-7, "proba");
    assertEquals(GOLD.get("multinomial/score")[0], m.score(x3, y3), 1e-12);
    LogisticRegressionCV cv = new LogisticRegressionCV(5, 3).fit(x3, y3);
    close(GOLD.get("multinomialcv/meanscores"), cv.meanScores(), 1e-12, "fold accuracies");
    assertEquals(GOLD.get("multinomialcv/C")[0], cv.c(), 1e-15);
  }
}
