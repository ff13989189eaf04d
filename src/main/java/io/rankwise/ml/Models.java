package io.rankwise.ml;

import io.rankwise.array.NdArray;
import java.util.Arrays;

/** Checks and scores shared by the estimators. */
final class Models {
  private Models() {}

  static void checkFeatures(String who, NdArray x, int nFeatures) {
    int[] s = x.shape();
    if (s.length != 2) {
      throw new MlException(who + ": X must be 2-d (samples, features), got shape " + Arrays.toString(s));
    }
    if (s[1] != nFeatures) {
      throw new MlException("X has " + s[1] + " features, but " + who + " was fitted with " + nFeatures
          + " features");
    }
  }

  static double accuracy(NdArray pred, NdArray y) {
    if (pred.size() != y.size()) {
      throw new MlException("score: " + pred.size() + " predictions for " + y.size() + " labels");
    }
    long ok = 0;
    for (int i = 0; i < pred.size(); i++) {
      ok += pred.getDouble(i) == y.getDouble(i) ? 1 : 0;
    }
    return pred.size() == 0 ? Double.NaN : (double) ok / pred.size();
  }

  static double r2(NdArray pred, NdArray y) {
    if (pred.size() != y.size()) {
      throw new MlException("score: " + pred.size() + " predictions for " + y.size() + " targets");
    }
    double mean = 0;
    for (int i = 0; i < y.size(); i++) {
      mean += y.getDouble(i);
    }
    mean /= y.size();
    double res = 0;
    double tot = 0;
    for (int i = 0; i < y.size(); i++) {
      double e = y.getDouble(i) - pred.getDouble(i);
      double t = y.getDouble(i) - mean;
      res += e * e;
      tot += t * t;
    }
    return tot == 0 ? (res == 0 ? 1 : 0) : 1 - res / tot;
  }
}
