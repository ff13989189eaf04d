package io.rankwise.graph;

import io.rankwise.runtime.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** Values computed once and kept on the ranks that computed them, handed out by pinned tasks (persist). */
public final class Persisted {
  private Persisted() {}

  /**
   * Tasks that hand out {@code owned} values: entry i is the value on the rank that holds it and
   * null on the others (as {@link Plan.Delivery#OWNER_ONLY} computes deliver them). Collective:
   * the ranks agree who holds what. Task i, keyed {@code key.apply(i)}, runs on that rank.
   */
  public static List<Task> pin(Object[] owned, IntFunction<TaskKey> key) {
    Session s = Session.current();
    long[] owner = new long[owned.length];
    for (int i = 0; i < owned.length; i++) {
      owner[i] = owned[i] == null ? 0 : s.rank() + 1;
    }
    s.comm().allReduce(owner, io.rankwise.comm.ReduceOp.SUM);
    List<Task> tasks = new ArrayList<>(owned.length);
    for (int i = 0; i < owned.length; i++) {
      int o = (int) owner[i] - 1;
      if (o < 0 || o >= s.size()) {
        throw new GraphException("persist: part " + i + " was kept by " + (owner[i] == 0 ? "no rank" : "several ranks"));
      }
      Object value = owned[i];
      tasks.add(new Task(key.apply(i), List.of(), in -> value, "persisted", 1e-6, o));
    }
    return tasks;
  }
}
