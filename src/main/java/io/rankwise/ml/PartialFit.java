package io.rankwise.ml;

import io.rankwise.array.NdArray;

/** An estimator that learns from one block of rows at a time (scikit-learn's partial_fit). */
public interface PartialFit extends Estimator {
  PartialFit partialFit(NdArray x, NdArray y);
}
