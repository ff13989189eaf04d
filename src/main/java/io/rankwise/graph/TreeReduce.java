package io.rankwise.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * A reduction over many inputs as a fixed tree over their positions: groups of {@code arity}
 * consecutive inputs are combined, then groups of those, up to one root. The shape depends only
 * on the number of inputs, never on ranks or threads, so floating-point results are bitwise
 * identical at any scale.
 */
public final class TreeReduce {
  /** Combines a group of partial results, in order. */
  @FunctionalInterface
  public interface Combiner {
    Object combine(Object[] parts) throws Exception;
  }

  private TreeReduce() {}

  /**
   * @param name key name of the new tasks: {@code (name, depth, index)}
   * @param inputs keys of the values to reduce, in order (at least one)
   * @param dependencies the layers that produce {@code inputs}
   * @return the layer; its root task has key {@link #rootKey(String, int, int)}
   */
  public static Layer build(String name, String label, List<TaskKey> inputs, List<Layer> dependencies, int arity,
      Combiner combine) {
    if (inputs.isEmpty()) {
      throw new GraphException("tree reduction '" + name + "' over no inputs");
    }
    if (arity < 2) {
      throw new GraphException("tree reduction arity must be >= 2, got " + arity);
    }
    List<Task> tasks = new ArrayList<>();
    List<TaskKey> level = inputs;
    int depth = 0;
    do {
      List<TaskKey> next = new ArrayList<>();
      for (int g = 0; g < level.size(); g += arity) {
        List<TaskKey> group = level.subList(g, Math.min(level.size(), g + arity));
        TaskKey key = new TaskKey(name, depth, g / arity);
        tasks.add(new Task(key, group, combine::combine, label, 1.0, -1));
        next.add(key);
      }
      level = next;
      depth++;
    } while (level.size() > 1);
    return new Layer(name, tasks, dependencies);
  }

  /** Key of the root of a tree over {@code inputs} values. */
  public static TaskKey rootKey(String name, int inputs, int arity) {
    int depth = 0;
    int n = inputs;
    do {
      n = (n + arity - 1) / arity;
      depth++;
    } while (n > 1);
    return new TaskKey(name, depth - 1, 0);
  }
}
