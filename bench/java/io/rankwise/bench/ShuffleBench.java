package io.rankwise.bench;

import io.rankwise.comm.ReduceOp;
import io.rankwise.frame.Column;
import io.rankwise.frame.ColumnType;
import io.rankwise.frame.DFrame;
import io.rankwise.frame.Frames;
import io.rankwise.frame.GroupBy;
import io.rankwise.frame.Table;
import io.rankwise.graph.ExecutionStats;
import io.rankwise.graph.Scheduler;
import io.rankwise.runtime.Driver;
import io.rankwise.runtime.Session;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A high-cardinality groupby through the hash shuffle, and the raw all-to-all it rides on, in one
 * run (the dataframe issue's shuffle target):
 *
 * <pre>  bin/rankwise run -n 2 io.rankwise.bench.ShuffleBench [ROWS] [KEYS] [PARTITIONS] [REPEATS]</pre>
 *
 * Rows {@code i} of a persisted frame get {@code key = splitmix64(i) mod KEYS} and {@code x =
 * splitmix64(i ^ 0x5DEECE66D) / 2^64} (bench/dask/frame_bench.py shuffle makes the same rows);
 * {@code groupby("key").x.mean()} runs with the SHUFFLE strategy. The superstep that moves the
 * most bytes is the shuffle: its bytes over its exchange time (the slowest rank's) is compared
 * with {@code allToAllV} of the same per-rank volume, with and without the time a rank waited for the
 * slower one to finish its partials. Prints {@code result=<groups>,<sum of means>} and the
 * throughputs, for each of REPEATS groupbys (default 2: the first runs in a cold JVM and receives
 * into fresh memory; the raw figure is the median of 5 warm calls, so the last repeat is the
 * like-for-like comparison).
 */
public final class ShuffleBench implements Driver {
  @Override
  public void run(Session s, String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 20_000_000L;
    long keys = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000L;
    int parts = args.length > 2 ? Integer.parseInt(args[2]) : 40;
    int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    List<Frames.PartitionSource> sources = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      long from = rows * p / parts;
      long to = rows * (p + 1) / parts;
      sources.add(() -> make(from, to, keys));
    }
    DFrame df = Frames.fromPartitions("make-keys", new String[] {"key", "x"},
        new ColumnType[] {ColumnType.INT64, ColumnType.FLOAT64}, sources).persist();
    for (int r = 1; r <= repeats; r++) {
      s.out().printf(Locale.ROOT, "-- groupby %d of %d%n", r, repeats);
      groupby(s, df, rows, keys, parts, r == 1);
    }
  }

  private static void groupby(Session s, DFrame df, long rows, long keys, int parts, boolean first) {
    long t0 = System.nanoTime();
    Table means = df.groupby("key").strategy(GroupBy.Strategy.SHUFFLE).column("x").mean().compute();
    long wall = System.nanoTime() - t0;
    ExecutionStats st = Scheduler.lastStats(s);
    ExecutionStats.Step shuffle = st.steps.stream().max((a, b) -> Long.compare(a.bytesSent(), b.bytesSent()))
        .orElseThrow();
    long[] bytes = {shuffle.bytesSent()};
    s.comm().allReduce(bytes, ReduceOp.SUM);
    long[] exchange = {shuffle.exchangeNanos()};
    s.comm().allReduce(exchange, ReduceOp.MAX);
    // the same without the wait for the slower rank's partials (load imbalance, not data movement)
    long[] moving = {shuffle.movingNanos()};
    s.comm().allReduce(moving, ReduceOp.MAX);

    // the same volume through a bare allToAllV: this rank's bytes spread evenly over the others
    double[] raw = rawAllToAll(s, shuffle.bytesSent());
    long[] rawMax = {(long) raw[0], (long) raw[1]};
    s.comm().allReduce(rawMax, ReduceOp.MAX);

    double sum = 0;
    Column m = means.column("x");
    for (int i = 0; i < means.rows(); i++) {
      sum += m.getDouble(i);
    }
    double shuffleGBs = bytes[0] / (double) exchange[0];
    double rawGBs = bytes[0] / (double) rawMax[0];
    s.out().printf(Locale.ROOT, "rows %d, keys %d, partitions %d, ranks %d: groupby %.3f s%n", rows, keys, parts,
        s.size(), wall / 1e9);
    s.out().printf(Locale.ROOT, "shuffle: %.1f MiB in %.3f s exchange = %.3f GB/s; raw allToAllV of the same volume: "
        + "%.3f s = %.3f GB/s; shuffle / raw = %.2f%n", bytes[0] / 1048576.0, exchange[0] / 1e9, shuffleGBs,
        rawMax[0] / 1e9, rawGBs, shuffleGBs / rawGBs);
    double movingGBs = bytes[0] / (double) moving[0];
    s.out().printf(Locale.ROOT, "without waiting for the slower rank: %.3f s = %.3f GB/s; shuffle / raw = %.2f%n",
        moving[0] / 1e9, movingGBs, movingGBs / rawGBs);
    double coldGBs = bytes[0] / (double) rawMax[1];
    if (first) s.out().printf(Locale.ROOT, "raw allToAllV's first call (fresh memory, as a first shuffle's): %.3f s = %.3f GB/s; "
        + "shuffle without waiting / first raw = %.2f%n", rawMax[1] / 1e9, coldGBs, movingGBs / coldGBs);
    long[] phases = {shuffle.packNanos(), shuffle.transferNanos(), shuffle.decodeNanos()};
    s.comm().allReduce(phases, ReduceOp.MAX);
    s.out().printf(Locale.ROOT, "of which (slowest rank) packing %.3f s, all-to-alls %.3f s, decoding %.3f s%n",
        phases[0] / 1e9, phases[1] / 1e9, phases[2] / 1e9);
    s.out().printf(Locale.ROOT, "result=%d,%.2f%n", means.rows(), sum);
  }

  /**
   * Median time of a few allToAllV calls moving {@code bytes} from this rank, split over the other
   * ranks, and the first call's time (its send and receive memory fresh).
   */
  private static double[] rawAllToAll(Session s, long bytes) {
    int n = s.size();
    ByteBuffer[] send = new ByteBuffer[n];
    for (int r = 0; r < n; r++) {
      int len = r == s.rank() || n == 1 ? (n == 1 ? (int) Math.min(bytes, Integer.MAX_VALUE) : 0)
          : (int) Math.min(bytes / (n - 1), Integer.MAX_VALUE);
      send[r] = ByteBuffer.allocate(len);
    }
    double[] t = new double[5];
    for (int k = 0; k < t.length; k++) {
      s.comm().barrier();
      long a = System.nanoTime();
      s.comm().allToAllV(send);
      t[k] = System.nanoTime() - a;
    }
    double first = t[0];
    Arrays.sort(t);
    return new double[] {t[t.length / 2], first};
  }

  static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static Table make(long from, long to, long keys) {
    int n = (int) (to - from);
    long[] key = new long[n];
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      long row = from + i;
      key[i] = Long.remainderUnsigned(mix(row), keys);
      x[i] = (mix(row ^ 0x5DEECE66DL) >>> 11) * 0x1.0p-53;
    }
    return new Table(null, null, new String[] {"key", "x"}, new Column[] {Column.of(key), Column.of(x)});
  }
}
