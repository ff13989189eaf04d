package io.rankwise.graph;

import io.rankwise.runtime.Session;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code compute} for any lazy collections: plans them together (shared parts run once), checks
 * that every rank planned the same graph, runs the plan and assembles each collection's value.
 * Progress display and the per-compute statistics for {@code --report} are switched on by the
 * launcher's {@code -Drankwise.progress} and {@code -Drankwise.report}.
 */
public final class Scheduler {
  private Scheduler() {}

  /** Computes several collections at once; results in the same order. */
  public static Object[] compute(List<? extends Lazy<?>> collections, ComputeOptions options) {
    Session s = Session.current();
    List<Layer> roots = new ArrayList<>();
    List<TaskKey> outputs = new ArrayList<>();
    for (Lazy<?> c : collections) {
      roots.add(c.layer());
      outputs.addAll(c.outputKeys());
    }
    long p0 = System.nanoTime();
    Plan plan = Plan.build(roots, outputs, s.size(), options.delivery(), options.optimize());
    long planNanos = System.nanoTime() - p0;
    Executor.checkSamePlan(s.comm(), plan);
    ExecutionStats stats = new ExecutionStats(s.rank(), plan.tasks.length, plan.levels, planNanos);
    stats.startEpochMillis = System.currentTimeMillis();
    boolean record = Reports.enabled();
    Object[] values;
    try (Progress progress = progressFor(s, plan)) {
      values = new Executor(s, plan, stats, record, progress).run();
    }
    s.log().debug("computed " + plan.tasks.length + " tasks in " + plan.levels + " levels, "
        + stats.steps.size() + " supersteps, " + stats.totalNanos / 1_000_000 + " ms");
    if (s.log().enabled(io.rankwise.runtime.RankLog.Level.DEBUG)) {
      for (ExecutionStats.Step st : stats.steps) {
        s.log().debug("  levels " + st.firstLevel() + "-" + st.lastLevel() + ": " + st.tasks() + " tasks, compute "
            + st.computeNanos() / 1_000_000 + " ms" + (st.bytesSent() + st.bytesReceived() == 0 && st.exchangeNanos()
            < 1_000_000 ? "" : ", exchange " + st.exchangeNanos() / 1_000_000 + " ms (waiting for other ranks "
            + st.waitNanos() / 1_000_000 + " ms; " + st.bytesSent() / 1024 + " KiB out, " + st.bytesReceived() / 1024
            + " KiB in, " + st.rounds() + (st.rounds() == 1 ? " round" : " rounds") + "; pack " + st.packNanos()
            / 1_000_000 + " ms, transfer " + st.transferNanos() / 1_000_000 + " ms, decode " + st.decodeNanos()
            / 1_000_000 + " ms)"));
      }
    }
    if (record) {
      Reports.record(s, stats);
    }
    s.attribute(LastStats.class, LastStats::new).stats = stats;
    Object[] results = new Object[collections.size()];
    int k = 0;
    for (int c = 0; c < collections.size(); c++) {
      Lazy<?> lazy = collections.get(c);
      int n = lazy.outputKeys().size();
      Object[] part = new Object[n];
      System.arraycopy(values, k, part, 0, n);
      k += n;
      // OWNER_ONLY: each rank assembles what it holds (null for the rest), e.g. for persist.
      boolean here = options.delivery() != Plan.Delivery.ROOT_ONLY || s.rank() == 0;
      results[c] = here ? lazy.assemble(part) : null;
    }
    return results;
  }

  /** Holder of the last compute's statistics in a session. */
  private static final class LastStats {
    volatile ExecutionStats stats;
  }

  /** This rank's statistics of the session's last compute (null before the first): for benchmarks. */
  public static ExecutionStats lastStats(Session s) {
    return s.attribute(LastStats.class, LastStats::new).stats;
  }

  /** The plan compute would run, for inspection and pictures. */
  public static Plan plan(List<? extends Lazy<?>> collections, ComputeOptions options, int size) {
    List<Layer> roots = new ArrayList<>();
    List<TaskKey> outputs = new ArrayList<>();
    for (Lazy<?> c : collections) {
      roots.add(c.layer());
      outputs.addAll(c.outputKeys());
    }
    return Plan.build(roots, outputs, size, options.delivery(), options.optimize());
  }

  /** Writes a picture of the graph that computing {@code collection} runs, on rank 0 only. */
  public static java.nio.file.Path visualize(Lazy<?> collection, java.nio.file.Path file, boolean optimize) {
    Session s = Session.current();
    Plan p = plan(List.of(collection), ComputeOptions.DEFAULT.withOptimize(optimize), s.size());
    return s.isRoot() ? Dot.write(p, file) : file;
  }

  private static Progress progressFor(Session s, Plan plan) {
    if (s.rank() != 0 || !Boolean.getBoolean("rankwise.progress")) {
      return null;
    }
    int mine = 0;
    for (int i = 0; i < plan.tasks.length; i++) {
      if (plan.owner[i] == 0) {
        mine++;
      }
    }
    return new Progress(System.err, System.console() != null, mine, plan.levels);
  }
}
