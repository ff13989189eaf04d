package io.rankwise.ml;

import io.rankwise.array.NdArray;

/** A classifier: class probabilities per row, columns in the order of {@link #classes()}. */
public interface Classifier extends Estimator {
  NdArray predictProba(NdArray x);

  NdArray predictLogProba(NdArray x);

  /** The class labels seen in fit, sorted. */
  long[] classes();
}
