package io.rankwise.graph;

/**
 * A task output that is a recipe (a lazy pipeline over a file, say) rather than data. Before it
 * travels to another rank, the executor asks for the data.
 */
public interface Materializes {
  /** The value as plain data that can be serialized. */
  Object materialize();
}
