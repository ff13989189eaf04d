package io.rankwise.graph;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tasks one operation adds to a graph (one collection's blocks), and the layers it reads.
 * Collections hold layers; a graph is the union of the layers reachable from what is computed,
 * so building a long pipeline never copies a growing task map (Dask's HighLevelGraph idea).
 */
public final class Layer {
  private final String name;
  private final List<Task> tasks;
  private final List<Layer> dependencies;
  private final Projection projection;

  public Layer(String name, List<Task> tasks, List<Layer> dependencies) {
    this(name, tasks, dependencies, null);
  }

  /**
   * @param projection what the tasks read of their inputs' columns, and how to produce fewer
   *     columns, for column pruning at compute time; null: this layer takes whole inputs
   */
  public Layer(String name, List<Task> tasks, List<Layer> dependencies, Projection projection) {
    this.name = name;
    this.tasks = List.copyOf(tasks);
    this.dependencies = List.copyOf(dependencies);
    this.projection = projection;
  }

  /** The layer's column knowledge for pruning, or null (it reads every column of its inputs). */
  public Projection projection() {
    return projection;
  }

  public String name() {
    return name;
  }

  public List<Task> tasks() {
    return tasks;
  }

  public List<Layer> dependencies() {
    return dependencies;
  }

  /** {@code layers} without repeats (by identity), in first-seen order: the dependencies of a new layer. */
  public static List<Layer> distinct(Iterable<Layer> layers) {
    List<Layer> out = new ArrayList<>();
    Map<Layer, Boolean> seen = new IdentityHashMap<>();
    for (Layer l : layers) {
      if (seen.put(l, Boolean.TRUE) == null) {
        out.add(l);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "Layer(" + name + ", " + tasks.size() + " tasks)";
  }
}
