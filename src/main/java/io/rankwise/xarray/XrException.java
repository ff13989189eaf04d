package io.rankwise.xarray;

import io.rankwise.RankwiseException;

/** A labeled-array error: a missing variable, an unknown dimension, a label not found. */
public class XrException extends RankwiseException {
  public XrException(String message) {
    super(message);
  }

  public XrException(String message, Throwable cause) {
    super(message, cause);
  }
}
