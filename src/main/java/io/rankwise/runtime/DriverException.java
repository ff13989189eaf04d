package io.rankwise.runtime;

import io.rankwise.RankwiseException;

/** A driver class cannot be loaded or instantiated. */
public final class DriverException extends RankwiseException {
  public DriverException(String message) {
    super(message);
  }

  public DriverException(String message, Throwable cause) {
    super(message, cause);
  }
}
