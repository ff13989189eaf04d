package io.rankwise.io;

import io.rankwise.RankwiseException;

/** An input/output error; the message names the file, the dataset or record, and what to do. */
public final class IoException extends RankwiseException {
  public IoException(String message) {
    super(message);
  }

  public IoException(String message, Throwable cause) {
    super(message, cause);
  }
}
