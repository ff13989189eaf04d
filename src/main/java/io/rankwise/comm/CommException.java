package io.rankwise.comm;

import io.rankwise.RankwiseException;

/** A communication call failed (MPI error, or bad arguments to a collective). */
public class CommException extends RankwiseException {
  public CommException(String message) {
    super(message);
  }

  public CommException(String message, Throwable cause) {
    super(message, cause);
  }
}
