package io.rankwise.ml;

import io.rankwise.array.NdArray;

/** A model fitted on local data (scikit-learn's estimator API): X is (samples, features). */
public interface Estimator {
  /** Fits on local data; returns this. */
  Estimator fit(NdArray x, NdArray y);

  /** Predictions for the rows of x: class labels (int64) or values (float64). */
  NdArray predict(NdArray x);

  /** Accuracy for classifiers, R² for regressors. */
  double score(NdArray x, NdArray y);

  /** Number of features the model was fitted on (checked against inputs). */
  int nFeatures();

  /** True for classifiers, whose default score is accuracy. */
  default boolean isClassifier() {
    return this instanceof Classifier;
  }
}
