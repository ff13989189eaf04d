package io.rankwise.bench;

import io.rankwise.graph.ComputeOptions;
import io.rankwise.graph.Layer;
import io.rankwise.graph.Lazy;
import io.rankwise.graph.Plan;
import io.rankwise.graph.Scheduler;
import io.rankwise.graph.Task;
import io.rankwise.graph.TaskKey;
import io.rankwise.graph.TreeReduce;
import io.rankwise.runtime.Driver;
import io.rankwise.runtime.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scheduling overhead of the task graph (issue #3's targets): per-task cost of building,
 * planning and running a graph of tiny tasks, and the time to plan a million-task graph.
 *
 * <pre>  bin/rankwise run -n 2 -J -Xmx4g io.rankwise.bench.GraphBench [tinyTasks=100000] [planTasks=1000000]</pre>
 *
 * The tiny-task graph is N independent tasks (each returns its index) and a fixed-arity tree that
 * sums them, so work is spread over ranks and results cross ranks in every level of the tree.
 */
public final class GraphBench implements Driver {
  @Override
  public void run(Session s, String[] args) {
    int tiny = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int big = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;

    s.out().printf(Locale.ROOT, "Task graph overhead, %d ranks x %d threads%n%n", s.size(), s.config().threadsPerRank());
    s.out().println("| measurement | tasks | time | per task |");
    s.out().println("|---|---:|---:|---:|");
    for (int round = 0; round < 3; round++) { // the first rounds warm up the JIT; report the last
      long t0 = System.nanoTime();
      Graph g = graph(s, tiny, 16);
      long t1 = System.nanoTime();
      Object sum = ((Object[]) Scheduler.compute(List.of(g), ComputeOptions.DEFAULT)[0])[0];
      long t2 = System.nanoTime();
      long expected = (long) tiny * (tiny - 1) / 2;
      if (((Long) sum) != expected) {
        throw new IllegalStateException("wrong sum " + sum + ", expected " + expected);
      }
      if (round == 2) {
        row(s, "build graph", g.tasks, t1 - t0);
        row(s, "plan + run (compute)", g.tasks, t2 - t1);
        row(s, "total", g.tasks, t2 - t0);
      }
    }
    Graph huge = graph(s, big, 16);
    long p0 = System.nanoTime();
    Plan p = Scheduler.plan(List.of(huge), ComputeOptions.DEFAULT, s.size());
    long p1 = System.nanoTime();
    Runtime rt = Runtime.getRuntime();
    row(s, "plan only (" + p.levels() + " levels)", p.taskCount(), p1 - p0);
    s.out().printf(Locale.ROOT, "%nheap in use after planning %d tasks: %.0f MiB%n", p.taskCount(),
        (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
  }

  private static void row(Session s, String what, long tasks, long nanos) {
    s.out().printf(Locale.ROOT, "| %s | %d | %.3f s | %.2f us |%n", what, tasks, nanos / 1e9, nanos / 1e3 / tasks);
  }

  /** N tiny sources and a sum tree over them. */
  record Graph(Layer layer, List<TaskKey> outputKeys, int tasks) implements Lazy<Object[]> {
    @Override
    public Object[] assemble(Object[] outputs) {
      return outputs;
    }
  }

  static Graph graph(Session s, int n, int arity) {
    String name = s.nextName("tiny");
    List<Task> ts = new ArrayList<>(n);
    List<TaskKey> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long v = i;
      TaskKey k = new TaskKey(name, i);
      keys.add(k);
      ts.add(Task.of(k, "tiny", in -> v));
    }
    Layer src = new Layer(name, ts, List.of());
    Layer tree = TreeReduce.build(name + "-sum", "sum", keys, List.of(src), arity, parts -> {
      long acc = 0;
      for (Object o : parts) {
        acc += (Long) o;
      }
      return acc;
    });
    return new Graph(tree, List.of(TreeReduce.rootKey(name + "-sum", n, arity)), n + tree.tasks().size());
  }
}
