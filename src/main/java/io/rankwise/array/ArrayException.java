package io.rankwise.array;

import io.rankwise.RankwiseException;

/** Bad shapes, chunks, axes, broadcasts or dtypes; the message carries the offending values. */
public final class ArrayException extends RankwiseException {
  public ArrayException(String message) {
    super(message);
  }
}
