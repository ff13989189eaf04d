package io.rankwise.graph;

import java.util.List;

/**
 * The tasks one operation adds to a graph (one collection's blocks), and the layers it reads.
 * Collections hold layers; a graph is the union of the layers reachable from what is computed,
 * so building a long pipeline never copies a growing task map (Dask's HighLevelGraph idea).
 */
public final class Layer {
  private final String name;
  private final List<Task> tasks;
  private final List<Layer> dependencies;

  public Layer(String name, List<Task> tasks, List<Layer> dependencies) {
    this.name = name;
    this.tasks = List.copyOf(tasks);
    this.dependencies = List.copyOf(dependencies);
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

  @Override
  public String toString() {
    return "Layer(" + name + ", " + tasks.size() + " tasks)";
  }
}
