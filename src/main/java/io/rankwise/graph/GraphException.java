package io.rankwise.graph;

import io.rankwise.RankwiseException;

/** The task graph is malformed (missing dependency, duplicate key, cycle, ranks disagree). */
public class GraphException extends RankwiseException {
  public GraphException(String message) {
    super(message);
  }

  public GraphException(String message, Throwable cause) {
    super(message, cause);
  }
}
