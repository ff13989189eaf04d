package io.rankwise.frame;

import io.rankwise.graph.Layer;
import io.rankwise.graph.Task;
import io.rankwise.graph.TaskKey;
import io.rankwise.runtime.Session;
import java.util.ArrayList;
import java.util.List;

/** Building dataframes from partition sources (files, say): for readers outside this package. */
public final class Frames {
  private Frames() {}

  /** Produces one partition; runs on the rank that owns it. */
  @FunctionalInterface
  public interface PartitionSource {
    Table read() throws Exception;
  }

  /**
   * Produces one partition holding at least the named {@code columns} (null: all), e.g. a reader
   * that can skip fields: the frame's consumers decide at compute time which columns it reads.
   */
  @FunctionalInterface
  public interface ColumnSource {
    Table read(java.util.Set<String> columns) throws Exception;
  }

  /** Counts the rows partition p would have, cheaper than building it (e.g. records without parsing fields). */
  @FunctionalInterface
  public interface RowCounter {
    long count(int partition) throws Exception;
  }

  /** {@code df} whose {@link DFrame#length()} counts rows with {@code counter} instead of building partitions. */
  public static DFrame withRowCounter(DFrame df, RowCounter counter) {
    return df.withRowCounter(counter);
  }

  /** Converts one value of another collection's partition into a table. */
  @FunctionalInterface
  public interface Converter {
    Table apply(Object partitionValue) throws Exception;
  }

  /** Work on one partition where it lives (a write, say), given the partition number. */
  @FunctionalInterface
  public interface PartitionWork {
    Object apply(int partition, Table part) throws Exception;
  }

  /**
   * Runs {@code work} on every partition, on the rank that holds it; the results in partition
   * order, on every rank (keep them small: paths, counts).
   */
  public static Object[] perPartition(DFrame df, String op, PartitionWork work) {
    return perPartition(df, op, work, null);
  }

  /**
   * {@link #perPartition(DFrame, String, PartitionWork)} where {@code work} reads only the columns
   * {@code reads} names, by name (null: all of them; empty: none, e.g. a row count).
   */
  static Object[] perPartition(DFrame df, String op, PartitionWork work, java.util.Set<String> reads) {
    String name = Session.current().nextName(op);
    List<Task> tasks = new ArrayList<>(df.npartitions());
    for (int p = 0; p < df.npartitions(); p++) {
      int pp = p;
      tasks.add(new Task(new TaskKey(name, p), List.of(df.key(p)), in -> work.apply(pp, (Table) in[0]), op, 1.0, -1));
    }
    Layer layer = new Layer(name, tasks, List.of(df.layer()),
        io.rankwise.graph.Projection.readsOnly(reads));
    return new io.rankwise.graph.Outputs(layer, TaskKey.range(name, df.npartitions()))
        .compute(io.rankwise.graph.ComputeOptions.DEFAULT);
  }

  /**
   * A frame (range index) whose partition p converts the output of task {@code key.apply(p)} of
   * {@code source} (another collection's partitions).
   */
  public static DFrame fromLayer(String op, String[] names, ColumnType[] types, int npartitions, Layer source,
      java.util.function.IntFunction<TaskKey> key, Converter convert) {
    String name = Session.current().nextName(op);
    List<Task> tasks = new ArrayList<>(npartitions);
    for (int p = 0; p < npartitions; p++) {
      tasks.add(new Task(new TaskKey(name, p), List.of(key.apply(p)), in -> convert.apply(in[0]), op, 1.0, -1));
    }
    return new DFrame(name, null, null, names.clone(), types.clone(), null, npartitions,
        new Layer(name, tasks, List.of(source)));
  }

  /**
   * Computes every partition and keeps it on the rank that computed it: entry p is partition p
   * on its owner, null elsewhere. Collective.
   */
  public static Table[] ownedPartitions(DFrame df) {
    Object[] got = new io.rankwise.graph.Outputs(df.layer(), df.outputKeys()).compute(
        io.rankwise.graph.ComputeOptions.DEFAULT.withDelivery(io.rankwise.graph.Plan.Delivery.OWNER_ONLY));
    Table[] out = new Table[got.length];
    for (int p = 0; p < got.length; p++) {
      out[p] = (Table) got[p];
    }
    return out;
  }

  /**
   * A frame with an index column ({@code indexName}, {@code indexType}; null for a range index)
   * and unknown divisions, partition p from {@code sources.get(p)}.
   */
  public static DFrame fromPartitions(String op, String indexName, ColumnType indexType, String[] names,
      ColumnType[] types, List<PartitionSource> sources) {
    String name = Session.current().nextName(op);
    List<Task> tasks = new ArrayList<>(sources.size());
    for (int p = 0; p < sources.size(); p++) {
      PartitionSource src = sources.get(p);
      tasks.add(new Task(new TaskKey(name, p), List.of(), in -> src.read(), op, 1.0, -1));
    }
    return new DFrame(name, indexName, indexType, names.clone(), types.clone(), null, sources.size(),
        new Layer(name, tasks, List.of()));
  }

  /**
   * A frame with a range index (unknown divisions), partition p from {@code sources.get(p)}, which
   * reads only the columns the computation needs (see {@link io.rankwise.graph.Projection}).
   */
  public static DFrame fromColumnSources(String op, String[] names, ColumnType[] types, List<ColumnSource> sources) {
    return fromColumnSources(op, null, null, names, types, sources);
  }

  /**
   * {@link #fromColumnSources(String, String[], ColumnType[], List)} with an index column
   * ({@code indexName}, {@code indexType}; null for a range index), which every partition has.
   */
  public static DFrame fromColumnSources(String op, String indexName, ColumnType indexType, String[] names,
      ColumnType[] types, List<ColumnSource> sources) {
    String name = Session.current().nextName(op);
    java.util.function.Function<java.util.Set<String>, List<Task>> tasksFor = cols -> {
      List<Task> tasks = new ArrayList<>(sources.size());
      for (int p = 0; p < sources.size(); p++) {
        ColumnSource src = sources.get(p);
        tasks.add(new Task(new TaskKey(name, p), List.of(), in -> src.read(cols), op, 1.0, -1));
      }
      return tasks;
    };
    io.rankwise.graph.Projection fewer = new io.rankwise.graph.Projection() {
      @Override
      public List<Task> restrict(java.util.Set<String> demand) {
        return tasksFor.apply(demand);
      }
    };
    return new DFrame(name, indexName, indexType, names.clone(), types.clone(), null, sources.size(),
        new Layer(name, tasksFor.apply(null), List.of(), fewer));
  }

  /** A frame with a range index (unknown divisions), partition p from {@code sources.get(p)}. */
  public static DFrame fromPartitions(String op, String[] names, ColumnType[] types, List<PartitionSource> sources) {
    return fromPartitions(op, null, null, names, types, sources);
  }
}
