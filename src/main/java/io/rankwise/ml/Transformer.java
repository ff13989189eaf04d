package io.rankwise.ml;

import io.rankwise.array.NdArray;

/** A fitted transformation of rows (a scaler, say): (samples, features) in, (samples, k) out. */
public interface Transformer {
  NdArray transform(NdArray x);

  /** Number of output columns. */
  int nOutputs();
}
