package io.rankwise.graph;

import io.rankwise.RankwiseException;

/**
 * Thrown on every other rank when a task failed on one rank during a compute: ranks agree on
 * failures at every exchange, so none of them waits for data that will never come. The rank where
 * the task failed throws the original {@link TaskFailedException}.
 */
public final class RemoteFailureException extends RankwiseException {
  private final int failedRank;

  public RemoteFailureException(int failedRank, String message) {
    super("the compute failed on rank " + failedRank + ": " + message);
    this.failedRank = failedRank;
  }

  public int failedRank() {
    return failedRank;
  }

  @Override
  public boolean reportedElsewhere() {
    return true;
  }
}
