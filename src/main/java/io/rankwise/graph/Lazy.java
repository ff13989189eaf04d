package io.rankwise.graph;

import java.util.List;

/**
 * A lazy collection: a layer of tasks (and, through it, everything it depends on), the keys whose
 * outputs make up its value, and how to put that value together from them.
 */
public interface Lazy<T> {
  /** The layer that produces this collection's outputs. */
  Layer layer();

  /** The tasks whose outputs {@link #assemble} needs, in the order it wants them. */
  List<TaskKey> outputKeys();

  /** Builds the value from the outputs of {@link #outputKeys()} (null entries: not delivered here). */
  T assemble(Object[] outputs);
}
