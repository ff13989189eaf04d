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
  private static final int[] NO_RANKS = {};

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
    long fp = 1469598103934665603L ^ n ^ ((long) size << 40) ^ ((long) delivery.ordinal() << 56);
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
      sendTo[i] = k == 0 ? NO_RANKS : Arrays.copyOf(buf, k);
      if (k > 0) {
        levelHasTransfer[level[i]] = true;
      }
      fp = (fp ^ tasks[i].key().hashCode()) * 1099511628211L + owner[i] * 31L + deps[i].length;
      for (int d : deps[i]) {
        fp = fp * 1099511628211L + d;
      }
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
    // 1. Layers in dependency order (iterative post-order DFS), tasks in layer order: the same
    //    discovery order on every rank. One hash lookup per task and one per edge; the rest of
    //    planning works on int indices. Sources read only the columns their consumers read.
    List<Layer> layers = orderLayers(roots);
    Map<TaskKey, Integer> index = new HashMap<>();
    List<Task> found = new ArrayList<>();
    List<Integer> foundLayer = new ArrayList<>();
    for (int li = 0; li < layers.size(); li++) {
      for (Task t : layers.get(li).tasks()) {
        Integer prev = index.putIfAbsent(t.key(), found.size());
        if (prev == null) {
          found.add(t);
          foundLayer.add(li);
        } else if (found.get(prev) != t) {
          throw new GraphException("two different tasks have the key " + t.key() + " (layers "
              + layers.get(foundLayer.get(prev)).name() + " and " + layers.get(li).name() + ")");
        }
      }
    }
    int[] outIdx = new int[outputKeys.size()];
    for (int k = 0; k < outIdx.length; k++) {
      Integer o = index.get(outputKeys.get(k));
      if (o == null) {
        throw new GraphException("requested output " + outputKeys.get(k) + " is not in the graph");
      }
      outIdx[k] = o;
    }
    Pruning.apply(layers, found, foundLayer, index, outIdx);
    int m = found.size();
    int[][] dep = new int[m][];
    for (int i = 0; i < m; i++) {
      List<TaskKey> ds = found.get(i).deps();
      dep[i] = new int[ds.size()];
      for (int j = 0; j < ds.size(); j++) {
        Integer d = index.get(ds.get(j));
        if (d == null) {
          throw new GraphException("task " + found.get(i).key() + " depends on " + ds.get(j)
              + ", which is not in the graph");
        }
        dep[i][j] = d;
      }
    }
    // 2. Cull: keep what the outputs need.
    boolean[] needed = new boolean[m];
    int[] stack = new int[Math.max(1, m)];
    int top = 0;
    for (int o : outIdx) {
      if (!needed[o]) {
        needed[o] = true;
        stack[top++] = o;
      }
    }
    while (top > 0) {
      int i = stack[--top];
      for (int d : dep[i]) {
        if (!needed[d]) {
          needed[d] = true;
          stack[top++] = d;
        }
      }
    }
    // 3. Topological order of what is needed (Kahn, stable in discovery order).
    int[] order = topological(dep, needed);
    Task[] cur = found.toArray(Task[]::new);
    boolean[] merged = new boolean[m];
    // 4. Fuse linear chains, in topological order; a fused task keeps its consumer's place.
    if (fuse) {
      Fusion.fuse(order, cur, dep, outIdx, merged);
    }
    int n = 0;
    int[] idOf = new int[m];
    for (int i : order) {
      idOf[i] = merged[i] ? -1 : n++;
    }
    Task[] tasks = new Task[n];
    int[][] deps = new int[n][];
    int[] layerOf = new int[n];
    for (int i : order) {
      if (merged[i]) {
        continue;
      }
      int id = idOf[i];
      tasks[id] = cur[i];
      int[] d = new int[dep[i].length];
      for (int j = 0; j < d.length; j++) {
        d[j] = idOf[dep[i][j]];
      }
      deps[id] = d;
      layerOf[id] = foundLayer.get(i);
    }
    int[] outs = new int[outIdx.length];
    for (int k = 0; k < outs.length; k++) {
      outs[k] = idOf[outIdx[k]];
    }
    List<String> names = new ArrayList<>();
    for (Layer l : layers) {
      names.add(l.name());
    }
    return new Plan(tasks, deps, layerOf, names, outs, size, delivery);
  }

  /**
   * Kahn's algorithm over the {@code included} tasks, stable: among ready tasks, the one
   * discovered first comes first.
   */
  static int[] topological(int[][] dep, boolean[] included) {
    int m = dep.length;
    int[] indeg = new int[m];
    int count = 0;
    for (int i = 0; i < m; i++) {
      if (included[i]) {
        indeg[i] = dep[i].length;
        count++;
      }
    }
    int[][] cons = invert(dep, m);
    int[] order = new int[count];
    int head = 0;
    int tail = 0;
    for (int i = 0; i < m; i++) {
      if (included[i] && indeg[i] == 0) {
        order[tail++] = i;
      }
    }
    while (head < tail) {
      int i = order[head++];
      for (int c : cons[i]) {
        if (included[c] && --indeg[c] == 0) {
          order[tail++] = c;
        }
      }
    }
    if (tail != count) {
      throw new GraphException("the task graph has a cycle (" + (count - tail) + " tasks are on or behind it)");
    }
    return order;
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
