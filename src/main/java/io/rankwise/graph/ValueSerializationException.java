package io.rankwise.graph;

import io.rankwise.RankwiseException;

/** A task's output cannot be sent to another rank: it cannot be serialized or deserialized. */
public final class ValueSerializationException extends RankwiseException {
  public ValueSerializationException(String message, Throwable cause) {
    super(message, cause);
  }
}
