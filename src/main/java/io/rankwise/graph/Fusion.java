package io.rankwise.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Linear-chain fusion: a task whose output feeds exactly one other task (and is not requested)
 * is merged into that task, so a chain such as random → transpose → add → multiply → sum runs as
 * one kernel per block, with no intermediate handed between tasks or ranks.
 */
final class Fusion {
  private static final int MAX_LABEL_PARTS = 4;
  /** Fused tasks call their parts nested: cap the depth so deep chains cannot overflow a stack. */
  static final int MAX_HEIGHT = 256;

  private Fusion() {}

  /** @param ordered tasks in topological order; the result is too */
  static List<Task> fuse(List<Task> ordered, List<TaskKey> outputs) {
    Set<TaskKey> keep = new HashSet<>(outputs);
    Map<TaskKey, TaskKey> onlyDependent = new HashMap<>();
    Map<TaskKey, Integer> dependents = new HashMap<>();
    for (Task t : ordered) {
      for (TaskKey d : new HashSet<>(t.deps())) {
        dependents.merge(d, 1, Integer::sum);
        onlyDependent.put(d, t.key());
      }
    }
    Map<TaskKey, Task> current = new HashMap<>();
    for (Task t : ordered) {
      current.put(t.key(), t);
    }
    Set<TaskKey> merged = new HashSet<>();
    Map<TaskKey, Integer> height = new HashMap<>();
    for (Task original : ordered) {
      Task t = current.get(original.key());
      if (keep.contains(t.key()) || t.pinnedOwner() >= 0 || dependents.getOrDefault(t.key(), 0) != 1) {
        continue;
      }
      Task d = current.get(onlyDependent.get(t.key()));
      int h = height.getOrDefault(t.key(), 1) + height.getOrDefault(d.key(), 1);
      if (d.pinnedOwner() >= 0 || h > MAX_HEIGHT) {
        continue;
      }
      current.put(d.key(), compose(t, d));
      height.put(d.key(), h);
      merged.add(t.key());
    }
    List<Task> out = new ArrayList<>(ordered.size() - merged.size());
    for (Task t : ordered) {
      if (!merged.contains(t.key())) {
        out.add(current.get(t.key()));
      }
    }
    return out;
  }

  /** {@code d} with {@code t} computed inside it; t's inputs come first in the fused inputs. */
  static Task compose(Task t, Task d) {
    List<TaskKey> deps = new ArrayList<>(t.deps());
    int nt = t.deps().size();
    List<TaskKey> dDeps = d.deps();
    int[] source = new int[dDeps.size()]; // -1: t's output; else index into fused inputs
    for (int j = 0; j < dDeps.size(); j++) {
      if (dDeps.get(j).equals(t.key())) {
        source[j] = -1;
      } else {
        source[j] = deps.size();
        deps.add(dDeps.get(j));
      }
    }
    TaskFn tf = t.fn();
    TaskFn df = d.fn();
    TaskFn fused = inputs -> {
      Object[] tin = new Object[nt];
      System.arraycopy(inputs, 0, tin, 0, nt);
      Object tv = tf.apply(tin);
      Object[] din = new Object[source.length];
      for (int j = 0; j < source.length; j++) {
        din[j] = source[j] < 0 ? tv : inputs[source[j]];
      }
      return df.apply(din);
    };
    return new Task(d.key(), deps, fused, label(t.label(), d.label()), t.cost() + d.cost(), -1);
  }

  private static String label(String a, String b) {
    String[] parts = (a + "+" + b).split("\\+");
    if (parts.length <= MAX_LABEL_PARTS) {
      return a + "+" + b;
    }
    return parts[0] + "+…(" + (parts.length - 2) + ")…+" + parts[parts.length - 1];
  }
}
