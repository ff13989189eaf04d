package io.rankwise.ml;

import io.rankwise.RankwiseException;

/** A model error: shapes that do not match, an estimator used before fit, bad parameters. */
public final class MlException extends RankwiseException {
  public MlException(String message) {
    super(message);
  }
}
