package io.rankwise.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * An executable plan, the same on every rank: the tasks needed for the requested outputs
 * (culled, optionally fused), numbered in topological order, with a level (topological depth)
 * and an owner rank each, and the transfers between ranks that the plan implies.
 *
 * <p>Planning is O(tasks + edges) with no sorting by key: every rank discovers the tasks in the
 * same order because every rank built the same layers in the same order (SPMD), so ids,
 * levels and owners agree across ranks without communication.
 */
public final class Plan {
  /** Where the requested outputs must end up. */
  public enum Delivery { ALL_RANKS, ROOT_ONLY, OWNER_ONLY }

  final Task[] tasks;
  final int[][] deps;
  final int[][] consumers;
  final int[] level;
  final int[] owner;
  /** Cost of a task plus the chain that follows it; see {@link Owners}. */
  final double[] weight;
  final int[] layerOf;
  final int[] outputs;
  final boolean[] isOutput;
  /** Ranks other than the owner that need task i's output. */
  final int[][] sendTo;
  final boolean[] levelHasTransfer;
  final int levels;
  final int size;
  final Delivery delivery;
  final long fingerprint;
  final List<String> layerNames;

  private Plan(Task[] tasks, int[][] deps, int[] layerOf, List<String> layerNames, int[] outputs, int size,
      Delivery delivery) {
    int n = tasks.length;
    this.tasks = tasks;
    this.deps = deps;
    this.layerOf = layerOf;
    this.layerNames = layerNames;
    this.outputs = outputs;
    this.size = size;
    this.delivery = delivery;
    this.isOutput = new boolean[n];
    for (int o : outputs) {
      isOutput[o] = true;
    }
    this.consumers = invert(deps, n);
    this.level = new int[n];
    int maxLevel = -1;
    for (int i = 0; i < n; i++) { // ids are topological: deps have smaller ids
      int l = 0;
      for (int d : deps[i]) {
        l = Math.max(l, level[d] + 1);
      }
      level[i] = l;
      maxLevel = Math.max(maxLevel, l);
    }
    this.levels = maxLevel + 1;
    this.weight = Owners.affinityWeights(this);
    this.owner = Owners.assign(this);
    this.sendTo = new int[n][];
    this.levelHasTransfer = new boolean[Math.max(levels, 0)];
    long fp = 1469598103934665603L ^ n ^ ((long) size << 40);
    boolean[] mark = new boolean[size];
    int[] buf = new int[size];
    for (int i = 0; i < n; i++) {
      Arrays.fill(mark, false);
      mark[owner[i]] = true;
      int k = 0;
      for (int c : consumers[i]) {
        if (!mark[owner[c]]) {
          mark[owner[c]] = true;
          buf[k++] = owner[c];
        }
      }
      if (isOutput[i] && delivery != Delivery.OWNER_ONLY) {
        for (int r = 0; r < size; r++) {
          if ((delivery == Delivery.ALL_RANKS || r == 0) && !mark[r]) {
            mark[r] = true;
            buf[k++] = r;
          }
        }
      }
      sendTo[i] = Arrays.copyOf(buf, k);
      if (k > 0) {
        levelHasTransfer[level[i]] = true;
      }
      fp = (fp ^ tasks[i].key().hashCode()) * 1099511628211L + owner[i] * 31L + deps[i].length;
    }
    this.fingerprint = fp;
  }

  public int taskCount() {
    return tasks.length;
  }

  public int levels() {
    return levels;
  }

  public Task task(int id) {
    return tasks[id];
  }

  public int owner(int id) {
    return owner[id];
  }

  public int level(int id) {
    return level[id];
  }

  public int[] deps(int id) {
    return deps[id].clone();
  }

  /** Ids of the requested outputs, in request order. */
  public int[] outputs() {
    return outputs.clone();
  }

  /** Number of (task, destination rank) transfers the plan implies. */
  public long transferCount() {
    long t = 0;
    for (int[] s : sendTo) {
      t += s.length;
    }
    return t;
  }

  /** Identical on every rank that planned the same graph; compared before running. */
  public long fingerprint() {
    return fingerprint;
  }

  private static int[][] invert(int[][] deps, int n) {
    int[] count = new int[n];
    for (int[] ds : deps) {
      for (int d : ds) {
        count[d]++;
      }
    }
    int[][] out = new int[n][];
    for (int i = 0; i < n; i++) {
      out[i] = new int[count[i]];
    }
    Arrays.fill(count, 0);
    for (int i = 0; i < n; i++) {
      for (int d : deps[i]) {
        out[d][count[d]++] = i;
      }
    }
    return out;
  }

  // ---- building ------------------------------------------------------------------------------

  /**
   * Plans the tasks needed for {@code outputKeys} from the union of {@code roots} and the layers
   * they depend on.
   *
   * @param fuse fuse linear chains into single tasks (Dask's optimize_graph)
   */
  public static Plan build(List<Layer> roots, List<TaskKey> outputKeys, int size, Delivery delivery, boolean fuse) {
    // 1. Layers in dependency order (iterative post-order DFS), tasks in layer order.
    List<Layer> layers = orderLayers(roots);
    Map<TaskKey, Task> byKey = new HashMap<>();
    Map<TaskKey, Integer> layerIndex = new HashMap<>();
    List<Task> discovered = new ArrayList<>();
    for (int li = 0; li < layers.size(); li++) {
      for (Task t : layers.get(li).tasks()) {
        Task prev = byKey.putIfAbsent(t.key(), t);
        if (prev == null) {
          discovered.add(t);
          layerIndex.put(t.key(), li);
        } else if (prev != t) {
          throw new GraphException("two different tasks have the key " + t.key() + " (layers "
              + layers.get(layerIndex.get(t.key())).name() + " and " + layers.get(li).name() + ")");
        }
      }
    }
    // 2. Cull: keep what the outputs need.
    Map<TaskKey, Boolean> needed = new HashMap<>();
    ArrayDeque<TaskKey> stack = new ArrayDeque<>();
    for (TaskKey k : outputKeys) {
      if (!byKey.containsKey(k)) {
        throw new GraphException("requested output " + k + " is not in the graph");
      }
      stack.push(k);
    }
    while (!stack.isEmpty()) {
      TaskKey k = stack.pop();
      if (needed.putIfAbsent(k, Boolean.TRUE) != null) {
        continue;
      }
      for (TaskKey d : byKey.get(k).deps()) {
        if (!byKey.containsKey(d)) {
          throw new GraphException("task " + k + " depends on " + d + ", which is not in the graph");
        }
        stack.push(d);
      }
    }
    List<Task> kept = new ArrayList<>(needed.size());
    for (Task t : discovered) {
      if (needed.containsKey(t.key())) {
        kept.add(t);
      }
    }
    // 3. Fuse linear chains (on a topological order), then number the result topologically.
    if (fuse) {
      kept = Fusion.fuse(topological(kept), outputKeys);
    }
    kept = topological(kept);
    int n = kept.size();
    Map<TaskKey, Integer> idOf = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      idOf.put(kept.get(i).key(), i);
    }
    Task[] tasks = kept.toArray(Task[]::new);
    int[][] deps = new int[n][];
    int[] layerOf = new int[n];
    for (int id = 0; id < n; id++) {
      List<TaskKey> ds = tasks[id].deps();
      deps[id] = new int[ds.size()];
      for (int j = 0; j < ds.size(); j++) {
        deps[id][j] = idOf.get(ds.get(j));
      }
      layerOf[id] = layerIndex.getOrDefault(tasks[id].key(), -1);
    }
    int[] outs = new int[outputKeys.size()];
    for (int i = 0; i < outs.length; i++) {
      outs[i] = idOf.get(outputKeys.get(i));
    }
    List<String> names = new ArrayList<>();
    for (Layer l : layers) {
      names.add(l.name());
    }
    return new Plan(tasks, deps, layerOf, names, outs, size, delivery);
  }

  /** Kahn's algorithm, stable: among ready tasks, the earlier in {@code tasks} comes first. */
  static List<Task> topological(List<Task> tasks) {
    int n = tasks.size();
    Map<TaskKey, Integer> pos = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      pos.put(tasks.get(i).key(), i);
    }
    int[][] depPos = new int[n][];
    int[] indeg = new int[n];
    for (int i = 0; i < n; i++) {
      List<TaskKey> ds = tasks.get(i).deps();
      depPos[i] = new int[ds.size()];
      for (int j = 0; j < ds.size(); j++) {
        Integer p = pos.get(ds.get(j));
        if (p == null) {
          throw new GraphException("task " + tasks.get(i).key() + " depends on " + ds.get(j)
              + ", which is not in the graph");
        }
        depPos[i][j] = p;
      }
      indeg[i] = ds.size();
    }
    int[][] cons = invert(depPos, n);
    int[] order = new int[n];
    int head = 0;
    int tail = 0;
    for (int i = 0; i < n; i++) {
      if (indeg[i] == 0) {
        order[tail++] = i;
      }
    }
    while (head < tail) {
      int i = order[head++];
      for (int c : cons[i]) {
        if (--indeg[c] == 0) {
          order[tail++] = c;
        }
      }
    }
    if (tail != n) {
      throw new GraphException("the task graph has a cycle (" + (n - tail) + " tasks are on or behind it)");
    }
    List<Task> out = new ArrayList<>(n);
    for (int i : order) {
      out.add(tasks.get(i));
    }
    return out;
  }

  private static List<Layer> orderLayers(List<Layer> roots) {
    List<Layer> out = new ArrayList<>();
    Map<Layer, Boolean> seen = new IdentityHashMap<>();
    ArrayDeque<Object[]> stack = new ArrayDeque<>(); // {layer, nextDependencyIndex}
    for (Layer r : roots) {
      if (seen.containsKey(r)) {
        continue;
      }
      seen.put(r, Boolean.TRUE);
      stack.push(new Object[] {r, 0});
      while (!stack.isEmpty()) {
        Object[] top = stack.peek();
        Layer l = (Layer) top[0];
        int i = (Integer) top[1];
        if (i < l.dependencies().size()) {
          top[1] = i + 1;
          Layer d = l.dependencies().get(i);
          if (!seen.containsKey(d)) {
            seen.put(d, Boolean.TRUE);
            stack.push(new Object[] {d, 0});
          }
        } else {
          stack.pop();
          out.add(l);
        }
      }
    }
    return out;
  }
}
