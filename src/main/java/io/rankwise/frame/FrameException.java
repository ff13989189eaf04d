package io.rankwise.frame;

import io.rankwise.RankwiseException;

/** Bad column names, types, aggregations or rules; the message carries the offending values. */
public final class FrameException extends RankwiseException {
  public FrameException(String message) {
    super(message);
  }
}
