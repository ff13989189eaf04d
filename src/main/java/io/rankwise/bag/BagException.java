package io.rankwise.bag;

import io.rankwise.RankwiseException;

/** Bad records or bag arguments; the message names the file, the line and the value. */
public final class BagException extends RankwiseException {
  public BagException(String message) {
    super(message);
  }

  public BagException(String message, Throwable cause) {
    super(message, cause);
  }
}
