package io.rankwise.graph;

/**
 * How to run a compute.
 *
 * @param delivery where the requested results end up (all ranks, rank 0, or left with their owners)
 * @param optimize fuse linear chains before running (Dask's {@code optimize_graph})
 */
public record ComputeOptions(Plan.Delivery delivery, boolean optimize) {
  public static final ComputeOptions DEFAULT = new ComputeOptions(Plan.Delivery.ALL_RANKS, true);

  /** Results only on rank 0 (null elsewhere): saves the broadcast of large results. */
  public static ComputeOptions rootOnly() {
    return new ComputeOptions(Plan.Delivery.ROOT_ONLY, true);
  }

  public ComputeOptions withOptimize(boolean o) {
    return new ComputeOptions(delivery, o);
  }

  public ComputeOptions withDelivery(Plan.Delivery d) {
    return new ComputeOptions(d, optimize);
  }
}
