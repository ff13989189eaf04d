package io.rankwise.graph;

import java.util.List;
import java.util.Set;

/**
 * What a layer knows about the named columns of the tables its tasks read and produce, for column
 * pruning (Dask's column projection): before a compute, {@link Pruning} finds the columns each
 * layer's consumers read, and a source layer that can read fewer columns (a CSV reader) reads
 * only those. Only layers whose tasks find their columns by name, never by position, may state
 * what they read: a layer without a projection is taken to read every column of its inputs.
 */
public interface Projection {
  /**
   * The columns this layer's tasks read from the outputs of {@code dependency}'s tasks, when its
   * own consumers read {@code demand} of its outputs (null: every column); null: every column.
   */
  default Set<String> reads(Layer dependency, Set<String> demand) {
    return null;
  }

  /**
   * Tasks with exactly this layer's keys and dependencies whose outputs hold at least the
   * {@code demand}ed columns (by name), or null if the layer cannot produce fewer columns.
   */
  default List<Task> restrict(Set<String> demand) {
    return null;
  }

  /**
   * A layer that reads {@code columns} of every dependency, whatever its consumers read; null
   * (no projection: the layer reads every column) when {@code columns} is null.
   */
  static Projection readsOnly(Set<String> columns) {
    if (columns == null) {
      return null;
    }
    Set<String> cols = Set.copyOf(columns);
    return new Projection() {
      @Override
      public Set<String> reads(Layer dependency, Set<String> demand) {
        return cols;
      }
    };
  }
}
