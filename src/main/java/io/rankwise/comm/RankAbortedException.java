package io.rankwise.comm;

/**
 * Thrown out of a blocking call on a healthy rank because another rank aborted the job. It carries
 * the failing rank and its message, so whoever catches it can say where the failure started.
 */
public final class RankAbortedException extends CommException {
  private final int failedRank;

  public RankAbortedException(int failedRank, String message, Throwable cause) {
    super("rank " + failedRank + " aborted the job: " + message, cause);
    this.failedRank = failedRank;
  }

  public int failedRank() {
    return failedRank;
  }
}
