package io.rankwise.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * What one rank did during one compute: the plan's shape, per superstep (levels between two
 * exchanges) the time computing and the time exchanging, bytes sent and received, and optionally
 * every task's start and end (for the task-stream report).
 */
public final class ExecutionStats {
  /**
   * One superstep: levels [firstLevel, lastLevel], then (maybe) one exchange. {@code exchangeNanos}
   * includes {@code waitNanos}, the time this rank waited for the others to finish computing (the
   * agreement before the exchange): load imbalance, not data movement. A large exchange goes in
   * {@code rounds} all-to-alls of bounded size. The moving part splits into encoding and packing
   * the outputs ({@code packNanos}), the all-to-alls themselves ({@code transferNanos}, which
   * include waiting for a slower rank's previous round) and decoding what arrived
   * ({@code decodeNanos}; large values are decoded later, by the tasks that use them).
   */
  public record Step(int firstLevel, int lastLevel, int tasks, long computeNanos, long exchangeNanos,
      long bytesSent, long bytesReceived, long waitNanos, int rounds, long packNanos, long transferNanos,
      long decodeNanos) {
    public Step(int firstLevel, int lastLevel, int tasks, long computeNanos, long exchangeNanos, long bytesSent,
        long bytesReceived, long waitNanos, int rounds) {
      this(firstLevel, lastLevel, tasks, computeNanos, exchangeNanos, bytesSent, bytesReceived, waitNanos, rounds,
          0, 0, 0);
    }

    public Step(int firstLevel, int lastLevel, int tasks, long computeNanos, long exchangeNanos, long bytesSent,
        long bytesReceived) {
      this(firstLevel, lastLevel, tasks, computeNanos, exchangeNanos, bytesSent, bytesReceived, 0);
    }

    public Step(int firstLevel, int lastLevel, int tasks, long computeNanos, long exchangeNanos, long bytesSent,
        long bytesReceived, long waitNanos) {
      this(firstLevel, lastLevel, tasks, computeNanos, exchangeNanos, bytesSent, bytesReceived, waitNanos, 1);
    }

    /** The exchange without the wait for other ranks: packing, moving and unpacking the data. */
    public long movingNanos() {
      return exchangeNanos - waitNanos;
    }
  }

  /** One task run: plan id, label, worker slot, start/end relative to the compute's start. */
  public record TaskEvent(String label, int worker, long startNanos, long endNanos) {}

  public final int rank;
  public final int totalTasks;
  public final int levels;
  public final long planNanos;
  public final List<Step> steps = new ArrayList<>();
  public final List<TaskEvent> events = new ArrayList<>();
  public long startEpochMillis;
  public long totalNanos;
  public long peakHeapBytes;

  ExecutionStats(int rank, int totalTasks, int levels, long planNanos) {
    this.rank = rank;
    this.totalTasks = totalTasks;
    this.levels = levels;
    this.planNanos = planNanos;
  }

  public long tasksRun() {
    return steps.stream().mapToLong(Step::tasks).sum();
  }

  public long bytesSent() {
    return steps.stream().mapToLong(Step::bytesSent).sum();
  }
}
