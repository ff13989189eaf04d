package io.rankwise.frame;

import io.rankwise.graph.ComputeOptions;
import io.rankwise.graph.Layer;
import io.rankwise.graph.Lazy;
import io.rankwise.graph.Scheduler;
import io.rankwise.graph.Task;
import io.rankwise.graph.TaskKey;
import io.rankwise.graph.TreeReduce;
import io.rankwise.runtime.Session;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * A lazy aggregation result (a groupby or resample): per-partition {@link GroupStats}, merged over
 * a fixed tree of partitions (few groups), or met by key hash in buckets after one all-to-all
 * exchange ({@link #shuffled}, many groups), finished into a {@link Table}.
 */
public final class Aggregation implements Lazy<Table> {
  private final Layer layer;
  private final TaskKey root;
  /** The result from the partials with disjoint keys (one after a tree, one per bucket after a shuffle). */
  private final Function<GroupStats[], Table> finish;

  private final List<TaskKey> outputs;

  Aggregation(DFrame frame, String op, Function<Table, GroupStats> partial, Function<GroupStats, Table> finish) {
    this(frame, op, partial, parts -> finish.apply(parts[0]), null);
  }

  /** @param reads the columns {@code partial} reads (by name), null: all */
  Aggregation(DFrame frame, String op, Function<Table, GroupStats> partial, Function<GroupStats[], Table> finish,
      java.util.Set<String> reads) {
    String n = Session.current().nextName(op);
    java.util.ArrayList<Task> tasks = new java.util.ArrayList<>();
    java.util.ArrayList<TaskKey> parts = new java.util.ArrayList<>();
    for (int p = 0; p < frame.npartitions; p++) {
      TaskKey k = new TaskKey(n + "-chunk", p);
      parts.add(k);
      tasks.add(new Task(k, List.of(frame.key(p)), in -> partial.apply((Table) in[0]), op + "-chunk", 1.0, -1));
    }
    Layer chunks = new Layer(n + "-chunk", tasks, List.of(frame.layer),
        io.rankwise.graph.Projection.readsOnly(reads));
    this.layer = TreeReduce.build(n, op + "-agg", parts, List.of(chunks), DFrame.SPLIT_EVERY, GroupStats::combine);
    this.root = TreeReduce.rootKey(n, parts.size(), DFrame.SPLIT_EVERY);
    this.outputs = List.of(root);
    this.finish = finish;
  }

  private Aggregation(Layer layer, List<TaskKey> outputs, Function<GroupStats[], Table> finish) {
    this.layer = layer;
    this.root = outputs.get(0);
    this.outputs = outputs;
    this.finish = finish;
  }

  /**
   * The many-groups path: each partition is split by key hash into {@code buckets} pieces (its
   * partial's groups, or its rows: see {@link GroupBy}); bucket j aggregates piece j of every
   * partition, in partition order (the pieces cross ranks in one all-to-all exchange), so no single
   * partial ever holds all groups before the end.
   */
  static Aggregation shuffled(DFrame frame, String op, int buckets, Function<Table, Object[]> split,
      io.rankwise.graph.TaskFn bucket, Function<GroupStats[], Table> finish, java.util.Set<String> reads) {
    String n = Session.current().nextName(op + "-shuffle");
    java.util.ArrayList<Task> tasks = new java.util.ArrayList<>();
    for (int p = 0; p < frame.npartitions; p++) {
      TaskKey sk = new TaskKey(n + "-split", p);
      // where the partition is: only the pieces travel
      tasks.add(new Task(sk, List.of(frame.key(p)), in -> split.apply((Table) in[0]), op + "-split", 1.0,
          Task.FOLLOW_INPUT));
      for (int b = 0; b < buckets; b++) {
        int bb = b;
        tasks.add(new Task(new TaskKey(n + "-piece", p, b), List.of(sk), in -> ((Object[]) in[0])[bb],
            "piece", 0.001, Task.FOLLOW_INPUT));
      }
    }
    java.util.ArrayList<TaskKey> outs = new java.util.ArrayList<>();
    for (int b = 0; b < buckets; b++) {
      java.util.ArrayList<TaskKey> pieces = new java.util.ArrayList<>();
      for (int p = 0; p < frame.npartitions; p++) {
        pieces.add(new TaskKey(n + "-piece", p, b));
      }
      TaskKey k = new TaskKey(n, b);
      outs.add(k);
      tasks.add(new Task(k, pieces, bucket, op + "-bucket", 1.0, Shuffle.bucketOwner(b)));
    }
    Layer layer = new Layer(n, tasks, List.of(frame.layer), io.rankwise.graph.Projection.readsOnly(reads));
    return new Aggregation(layer, outs, finish);
  }

  @Override
  public Layer layer() {
    return layer;
  }

  @Override
  public List<TaskKey> outputKeys() {
    return outputs;
  }

  @Override
  public Table assemble(Object[] parts) {
    // tree: one merged partial; shuffle: one per bucket, with disjoint keys
    GroupStats[] ps = new GroupStats[parts.length];
    for (int i = 0; i < parts.length; i++) {
      ps[i] = (GroupStats) parts[i];
    }
    return finish.apply(ps);
  }

  /** Runs the graph: the result on every rank. */
  public Table compute() {
    return (Table) Scheduler.compute(List.of(this), ComputeOptions.DEFAULT)[0];
  }

  public Path visualize(Path file, boolean optimize) {
    return Scheduler.visualize(this, file, optimize);
  }
}
