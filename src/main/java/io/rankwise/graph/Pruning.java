package io.rankwise.graph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Column pruning before planning: the columns every layer's consumers read are collected from the
 * outputs backwards (a requested output reads all of its columns; a layer without a
 * {@link Projection} reads all columns of its inputs), and a layer that can produce fewer columns
 * gets tasks that produce only those. Consumers find columns by name, so the answer does not
 * change, only the work: a CSV read feeding {@code df[df.y > 0].groupby("name").x.mean()} parses
 * name, x and y and skips every other field.
 */
final class Pruning {
  private Pruning() {}

  /**
   * Replaces, in {@code found}, the tasks of layers that can read fewer columns.
   *
   * @param layers in dependency order (a layer after the layers it lists)
   * @param found the graph's tasks, the first of each key
   * @param foundLayer the index in {@code layers} of each task's layer
   * @param index position in {@code found} of every key
   * @param outputs positions in {@code found} of the requested outputs
   */
  static void apply(List<Layer> layers, List<Task> found, List<Integer> foundLayer, Map<TaskKey, Integer> index,
      int[] outputs) {
    int nl = layers.size();
    boolean any = false;
    for (Layer l : layers) {
      any |= l.projection() != null;
    }
    if (!any) {
      return;
    }
    // the layers each layer's tasks read, from the task edges (what the plan will run)
    List<Set<Integer>> inputs = new ArrayList<>(nl);
    for (int li = 0; li < nl; li++) {
      inputs.add(new HashSet<>());
    }
    for (int i = 0; i < found.size(); i++) {
      int li = foundLayer.get(i);
      for (TaskKey d : found.get(i).deps()) {
        Integer di = index.get(d);
        if (di != null && foundLayer.get(di) != li) {
          inputs.get(li).add(foundLayer.get(di));
        }
      }
    }
    boolean[] all = new boolean[nl];
    boolean[] read = new boolean[nl];
    List<Set<String>> demand = new ArrayList<>(nl);
    for (int li = 0; li < nl; li++) {
      demand.add(new HashSet<>());
    }
    for (int o : outputs) {
      all[foundLayer.get(o)] = true;
    }
    for (int li = nl - 1; li >= 0; li--) {
      Layer l = layers.get(li);
      Set<String> mine = all[li] || !read[li] ? null : demand.get(li);
      for (int j : inputs.get(li)) {
        if (j > li) {
          return; // a task reads a layer its layer does not list: no safe order, no pruning
        }
        Set<String> r = l.projection() == null ? null : l.projection().reads(layers.get(j), mine);
        read[j] = true;
        if (r == null) {
          all[j] = true;
        } else {
          demand.get(j).addAll(r);
        }
      }
    }
    for (int li = 0; li < nl; li++) {
      Layer l = layers.get(li);
      if (all[li] || !read[li] || demand.get(li).isEmpty() || l.projection() == null) {
        continue;
      }
      List<Task> fewer = l.projection().restrict(Set.copyOf(demand.get(li)));
      if (fewer == null) {
        continue;
      }
      if (fewer.size() != l.tasks().size()) {
        throw new GraphException("layer " + l.name() + ": pruned to " + fewer.size() + " tasks instead of "
            + l.tasks().size());
      }
      for (int t = 0; t < fewer.size(); t++) {
        Task was = l.tasks().get(t);
        Task now = fewer.get(t);
        if (!was.key().equals(now.key()) || !was.deps().equals(now.deps())) {
          throw new GraphException("layer " + l.name() + ": pruned task " + now.key() + " does not replace " + was.key());
        }
        Integer at = index.get(was.key());
        if (at != null && found.get(at) == was) {
          found.set(at, now);
        }
      }
    }
  }
}
