package io.rankwise.graph;

import io.rankwise.RankwiseException;

/** A task threw: carries the task key and the rank it ran on; the cause is the task's exception. */
public final class TaskFailedException extends RankwiseException {
  private final TaskKey key;
  private final int rank;

  public TaskFailedException(TaskKey key, String label, int rank, int size, Throwable cause) {
    super("task " + key + " (" + label + ") failed on rank " + rank + " of " + size + ": " + cause, cause);
    this.key = key;
    this.rank = rank;
  }

  public TaskKey key() {
    return key;
  }

  public int rank() {
    return rank;
  }
}
