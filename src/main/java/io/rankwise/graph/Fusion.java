package io.rankwise.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Linear-chain fusion: a task whose output feeds exactly one other task (and is not requested)
 * is merged into that task, so a chain such as random → transpose → add → multiply → sum runs as
 * one kernel per block, with no intermediate handed between tasks or ranks.
 *
 * <p>A task absorbs at most one of its inputs: inputs merged into the same consumer would run one
 * after another instead of side by side on different ranks (the 100 blocks under a reduction
 * must stay 100 tasks). Chains are what fusion is for; fan-in stays parallel. Nor does a task
 * absorb an input whose level (topological depth) is not above all its other inputs': the
 * absorbed work would wait for the deepest of them, e.g. one block's chunk kernel fused into the
 * tree reduction over all blocks would run in the reduction's superstep, alone, after every
 * other rank has finished its blocks.
 */
final class Fusion {
  private static final int MAX_LABEL_PARTS = 4;
  /** Fused tasks call their parts nested: cap the depth so deep chains cannot overflow a stack. */
  static final int MAX_HEIGHT = 256;

  private Fusion() {}

  /**
   * Fuses in place over task indices.
   *
   * @param order the tasks to consider, in topological order
   * @param cur tasks by index; fused consumers are replaced
   * @param dep inputs by index; fused consumers' inputs are replaced
   * @param outputs indices that must stay tasks of their own
   * @param merged set for every task merged into its consumer
   */
  static void fuse(int[] order, Task[] cur, int[][] dep, int[] outputs, boolean[] merged) {
    int m = cur.length;
    boolean[] keep = new boolean[m];
    for (int o : outputs) {
      keep[o] = true;
    }
    int[] dependents = new int[m];
    int[] only = new int[m];
    int[] stamp = new int[m];
    Arrays.fill(stamp, -1);
    for (int i : order) {
      for (int d : dep[i]) {
        if (stamp[d] != i) { // count each consumer once, however often it reads d
          stamp[d] = i;
          dependents[d]++;
          only[d] = i;
        }
      }
    }
    int[] level = new int[m];
    for (int i : order) {
      for (int d : dep[i]) {
        level[i] = Math.max(level[i], level[d] + 1);
      }
    }
    int[] height = new int[m];
    Arrays.fill(height, 1);
    boolean[] absorbed = new boolean[m];
    for (int t : order) {
      // pinned tasks, and FOLLOW_INPUT ones (which must run where their input is), stay apart
      if (keep[t] || cur[t].pinnedOwner() != -1 || dependents[t] != 1) {
        continue;
      }
      int d = only[t];
      int h = height[t] + height[d];
      if (absorbed[d] || cur[d].pinnedOwner() != -1 || h > MAX_HEIGHT || !deepestInput(t, dep[d], level)) {
        continue;
      }
      compose(t, d, cur, dep);
      absorbed[d] = true;
      height[d] = h;
      merged[t] = true;
    }
  }

  /** True when every input of the consumer other than {@code t} has a lower level than t. */
  private static boolean deepestInput(int t, int[] consumerDeps, int[] level) {
    for (int j : consumerDeps) {
      if (j != t && level[j] >= level[t]) {
        return false;
      }
    }
    return true;
  }

  /** Replaces task {@code d} with one that computes {@code t} inside; t's inputs come first. */
  private static void compose(int t, int d, Task[] cur, int[][] dep) {
    Task tt = cur[t];
    Task dt = cur[d];
    int nt = dep[t].length;
    int[] dDep = dep[d];
    int[] source = new int[dDep.length]; // -1: t's output; else index into the fused inputs
    int[] newDep = Arrays.copyOf(dep[t], nt + dDep.length);
    List<TaskKey> keys = new ArrayList<>(tt.deps());
    int k = nt;
    for (int j = 0; j < dDep.length; j++) {
      if (dDep[j] == t) {
        source[j] = -1;
      } else {
        source[j] = k;
        newDep[k++] = dDep[j];
        keys.add(dt.deps().get(j));
      }
    }
    TaskFn tf = tt.fn();
    TaskFn df = dt.fn();
    TaskFn fused = inputs -> {
      Object[] tin = Arrays.copyOf(inputs, nt);
      Object tv = tf.apply(tin);
      Object[] din = new Object[source.length];
      for (int j = 0; j < source.length; j++) {
        din[j] = source[j] < 0 ? tv : inputs[source[j]];
      }
      return df.apply(din);
    };
    cur[d] = new Task(dt.key(), keys, fused, label(tt.label(), dt.label()), tt.cost() + dt.cost(), -1);
    dep[d] = Arrays.copyOf(newDep, k);
  }

  private static String label(String a, String b) {
    String[] parts = (a + "+" + b).split("\\+");
    if (parts.length <= MAX_LABEL_PARTS) {
      return a + "+" + b;
    }
    return parts[0] + "+…(" + (parts.length - 2) + ")…+" + parts[parts.length - 1];
  }
}
