package io.rankwise.graph;

import java.util.List;

/**
 * One node of the task graph. Every rank builds the same tasks (SPMD), so functions never travel:
 * only task outputs move between ranks.
 *
 * @param key identity
 * @param deps keys whose outputs are the inputs, in argument order
 * @param fn the work
 * @param label short name of the operation, for pictures and reports
 * @param cost estimated relative cost, for balancing work over ranks (1 = a typical task)
 * @param pinnedOwner the rank that must run it (persisted data lives there), -1 for the
 *     planner's choice, or {@link #FOLLOW_INPUT}
 */
public record Task(TaskKey key, List<TaskKey> deps, TaskFn fn, String label, double cost, int pinnedOwner) {
  /**
   * {@code pinnedOwner} value: always run where the first input is, whatever the balance (for
   * cheap selectors of one piece of a large value, which must not pull the whole value across).
   */
  public static final int FOLLOW_INPUT = -2;

  public Task {
    deps = List.copyOf(deps);
    if (!(cost > 0)) {
      throw new IllegalArgumentException("task " + key + ": cost must be positive, got " + cost);
    }
  }

  public static Task of(TaskKey key, String label, TaskFn fn, TaskKey... deps) {
    return new Task(key, List.of(deps), fn, label, 1.0, -1);
  }

  public Task withCost(double c) {
    return new Task(key, deps, fn, label, c, pinnedOwner);
  }
}
