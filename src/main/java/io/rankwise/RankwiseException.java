package io.rankwise;

/**
 * Root of every exception Rankwise throws. Unchecked: callers that cannot recover let it travel to
 * the runtime, which reports it with the rank and aborts the job.
 */
public class RankwiseException extends RuntimeException {
  public RankwiseException(String message) {
    super(message);
  }

  public RankwiseException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * True when another rank hit the original failure and reports it (and ends the job); this rank
   * then exits without a message of its own.
   */
  public boolean reportedElsewhere() {
    return false;
  }
}
