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

  /** A frame with a range index (unknown divisions), partition p from {@code sources.get(p)}. */
  public static DFrame fromPartitions(String op, String[] names, ColumnType[] types, List<PartitionSource> sources) {
    String name = Session.current().nextName(op);
    List<Task> tasks = new ArrayList<>(sources.size());
    for (int p = 0; p < sources.size(); p++) {
      PartitionSource src = sources.get(p);
      tasks.add(new Task(new TaskKey(name, p), List.of(), in -> src.read(), op, 1.0, -1));
    }
    return new DFrame(name, null, null, names.clone(), types.clone(), null, sources.size(),
        new Layer(name, tasks, List.of()));
  }
}
