package io.rankwise.graph;

import java.util.List;

/**
 * Some task outputs of a layer, computed as they are (one value per key, in key order): for
 * collections that compute parts of themselves (head, take, per-block writes).
 */
public record Outputs(Layer layer, List<TaskKey> outputKeys) implements Lazy<Object[]> {
  @Override
  public Object[] assemble(Object[] outputs) {
    return outputs;
  }

  /** Computes the outputs on every rank (or per {@code options}). */
  public Object[] compute(ComputeOptions options) {
    return (Object[]) Scheduler.compute(List.of(this), options)[0];
  }
}
