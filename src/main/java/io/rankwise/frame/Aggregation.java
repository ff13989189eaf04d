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
 * a fixed tree of partitions, finished into a small {@link Table}. Few groups per partition is
 * the case this path is for; many distinct keys need the hash-shuffle path (not built yet).
 */
public final class Aggregation implements Lazy<Table> {
  private final Layer layer;
  private final TaskKey root;
  private final Function<GroupStats, Table> finish;

  Aggregation(DFrame frame, String op, Function<Table, GroupStats> partial, Function<GroupStats, Table> finish) {
    String n = Session.current().nextName(op);
    java.util.ArrayList<Task> tasks = new java.util.ArrayList<>();
    java.util.ArrayList<TaskKey> parts = new java.util.ArrayList<>();
    for (int p = 0; p < frame.npartitions; p++) {
      TaskKey k = new TaskKey(n + "-chunk", p);
      parts.add(k);
      tasks.add(new Task(k, List.of(frame.key(p)), in -> partial.apply((Table) in[0]), op + "-chunk", 1.0, -1));
    }
    Layer chunks = new Layer(n + "-chunk", tasks, List.of(frame.layer));
    this.layer = TreeReduce.build(n, op + "-agg", parts, List.of(chunks), DFrame.SPLIT_EVERY, GroupStats::combine);
    this.root = TreeReduce.rootKey(n, parts.size(), DFrame.SPLIT_EVERY);
    this.finish = finish;
  }

  @Override
  public Layer layer() {
    return layer;
  }

  @Override
  public List<TaskKey> outputKeys() {
    return List.of(root);
  }

  @Override
  public Table assemble(Object[] outputs) {
    return finish.apply((GroupStats) outputs[0]);
  }

  /** Runs the graph: the result on every rank. */
  public Table compute() {
    return (Table) Scheduler.compute(List.of(this), ComputeOptions.DEFAULT)[0];
  }

  public Path visualize(Path file, boolean optimize) {
    return Scheduler.visualize(this, file, optimize);
  }
}
