package io.rankwise.frame;

import io.rankwise.graph.Layer;
import io.rankwise.graph.Task;
import io.rankwise.graph.TaskKey;
import io.rankwise.runtime.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Example datasets, like {@code dask.datasets}. */
public final class Datasets {
  /** Dask's 26 names. */
  static final String[] NAMES = {"Alice", "Bob", "Charlie", "Dan", "Edith", "Frank", "George", "Hannah", "Ingrid",
    "Jerry", "Kevin", "Laura", "Michael", "Norbert", "Oliver", "Patricia", "Quinn", "Ray", "Sarah", "Tim", "Ursula",
    "Victor", "Wendy", "Xavier", "Yvonne", "Zelda"};

  private Datasets() {}

  /** Dask's defaults: 2000-01-01 to 2000-01-31, every 1s, one partition per day (30, 2,592,000 rows). */
  public static DFrame timeseries() {
    return timeseries("2000-01-01", "2000-01-31", "1s", "1d", 0);
  }

  /**
   * A frame indexed by {@code timestamp} from start to end (end excluded) every {@code freq}, one
   * partition per {@code partitionFreq}; columns {@code id} ~ Poisson(1000), {@code name} uniform
   * over 26 names, {@code x}, {@code y} ~ Uniform[-1, 1). Each partition draws from its own stream
   * derived from (seed, partition), so values do not depend on the rank count.
   */
  public static DFrame timeseries(String start, String end, String freq, String partitionFreq, long seed) {
    long s = Times.parse(start);
    long e = Times.parse(end);
    long f = Times.freq(freq);
    long pf = Times.freq(partitionFreq);
    if (e <= s) {
      throw new FrameException("timeseries: end " + end + " is not after start " + start);
    }
    List<Long> div = new ArrayList<>();
    for (long t = s; t < e; t += pf) {
      div.add(t);
    }
    div.add(e);
    long[] divisions = div.stream().mapToLong(Long::longValue).toArray();
    int np = divisions.length - 1;
    String name = Session.current().nextName("make-timeseries");
    java.util.function.Function<java.util.Set<String>, List<Task>> tasksFor = cols -> {
      List<Task> tasks = new ArrayList<>(np);
      for (int p = 0; p < np; p++) {
        int pp = p;
        double cost = Math.max(0.01, (double) (divisions[p + 1] - divisions[p]) / f / 1e5);
        tasks.add(new Task(new TaskKey(name, p), List.of(),
            in -> partition(divisions[pp], divisions[pp + 1], f, seed, pp, cols), "make-timeseries", cost, -1));
      }
      return tasks;
    };
    // column pruning: a computation that reads fewer columns gets partitions of only those (the
    // same values: every row still draws all four from its stream)
    io.rankwise.graph.Projection fewer = new io.rankwise.graph.Projection() {
      @Override
      public List<Task> restrict(java.util.Set<String> demand) {
        return tasksFor.apply(demand);
      }
    };
    double rows = Math.max(1, (double) (divisions[np] - divisions[0]) / f); // rows of the whole frame
    return new DFrame(name, "timestamp", ColumnType.DATETIME, COLUMNS.clone(),
        new ColumnType[] {ColumnType.INT64, ColumnType.STRING, ColumnType.FLOAT64, ColumnType.FLOAT64}, divisions, np,
        new Layer(name, tasksFor.apply(null), List.of(), fewer))
        .withCardinalityEstimate("name", Math.min(NAMES.length, rows), rows)
        .withCardinalityEstimate("id", Math.min(Poisson1000.CDF.length, rows), rows)
        .withCardinalityEstimate("x", rows, rows)
        .withCardinalityEstimate("y", rows, rows);
  }

  static Table partition(long from, long to, long freq, long seed, int p) {
    return partition(from, to, freq, seed, p, null);
  }

  /**
   * Partition p with only the columns in {@code columns} (null: all), in the frame's order; the
   * values do not depend on which columns are asked for.
   */
  static Table partition(long from, long to, long freq, long seed, int p, java.util.Set<String> columns) {
    // first timestamp on the global grid start + k*freq that is >= from
    int n = (int) Math.max(0, (to - from + freq - 1) / freq);
    long[] ts = new long[n];
    long[] id = want(columns, COLUMNS[0]) ? new long[n] : null;
    int[] name = want(columns, COLUMNS[1]) ? new int[n] : null;
    double[] x = want(columns, COLUMNS[2]) ? new double[n] : null;
    double[] y = want(columns, COLUMNS[3]) ? new double[n] : null;
    SplittableRandom r = new SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + p + 1));
    // rows in runs of a few thousand (the same draws in the same order): the JIT compiles the run
    // once, as a method called often, instead of both an on-stack version for the first long loop
    // and a normal one for the partitions after it
    for (int lo = 0; lo < n; lo += ROWS_PER_RUN) {
      rows(r, from, freq, lo, Math.min(n, lo + ROWS_PER_RUN), ts, id, name, x, y);
    }
    Column[] all = {id == null ? null : Column.of(id), name == null ? null : Column.strings(name, NAMES),
        x == null ? null : Column.of(x), y == null ? null : Column.of(y)};
    List<String> names = new ArrayList<>(4);
    List<Column> cols = new ArrayList<>(4);
    for (int c = 0; c < all.length; c++) {
      if (all[c] != null) {
        names.add(COLUMNS[c]);
        cols.add(all[c]);
      }
    }
    return new Table("timestamp", Column.datetimes(ts), names.toArray(String[]::new), cols.toArray(Column[]::new));
  }

  /** The frame's columns, in order. */
  private static final String[] COLUMNS = {"id", "name", "x", "y"};

  private static boolean want(java.util.Set<String> columns, String c) {
    return columns == null || columns.contains(c);
  }

  private static final int ROWS_PER_RUN = 4096;

  /** Rows [lo, hi): every row draws id, name, x and y in that order; a null array skips only the store. */
  private static void rows(SplittableRandom r, long from, long freq, int lo, int hi, long[] ts, long[] id, int[] name,
      double[] x, double[] y) {
    for (int i = lo; i < hi; i++) {
      ts[i] = from + i * freq;
      double u = r.nextDouble();
      if (id != null) {
        id[i] = Poisson1000.sample(u);
      }
      int k = r.nextInt(NAMES.length);
      if (name != null) {
        name[i] = k;
      }
      double xv = r.nextDouble();
      if (x != null) {
        x[i] = xv * 2 - 1;
      }
      double yv = r.nextDouble();
      if (y != null) {
        y[i] = yv * 2 - 1;
      }
    }
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Poisson(1000) by inversion of a precomputed CDF (exact up to 1e-12 tails). */
  static final class Poisson1000 {
    private static final int LO = 800;
    private static final double[] CDF;

    static {
      int hi = 1220;
      CDF = new double[hi - LO + 1];
      // log pmf via log-gamma-free recurrence from the mode: pmf(k) = pmf(k-1) * 1000 / k
      double[] pmf = new double[hi + 1];
      int mode = 1000;
      pmf[mode] = 1;
      for (int k = mode + 1; k <= hi; k++) {
        pmf[k] = pmf[k - 1] * 1000.0 / k;
      }
      for (int k = mode - 1; k >= LO; k--) {
        pmf[k] = pmf[k + 1] * (k + 1) / 1000.0;
      }
      double total = 0;
      for (int k = LO; k <= hi; k++) {
        total += pmf[k];
      }
      double acc = 0;
      for (int k = LO; k <= hi; k++) {
        acc += pmf[k] / total;
        CDF[k - LO] = acc;
      }
    }

    /** Buckets of [0, 1) for {@link #GUIDE}. */
    private static final int BUCKETS = 1024;
    /** GUIDE[b]: the first k whose CDF reaches b / BUCKETS (where the search for a u in bucket b starts). */
    private static final int[] GUIDE = new int[BUCKETS];

    static {
      int k = 0;
      for (int b = 0; b < BUCKETS; b++) {
        while (k < CDF.length - 1 && CDF[k] < (double) b / BUCKETS) {
          k++;
        }
        GUIDE[b] = k;
      }
    }

    /** The first k whose CDF reaches u (the last k if none does): a guide table, then a step or two. */
    static long sample(double u) {
      int k = GUIDE[Math.min(BUCKETS - 1, Math.max(0, (int) (u * BUCKETS)))];
      while (k < CDF.length - 1 && CDF[k] < u) {
        k++;
      }
      return LO + k;
    }

    /** {@link #sample} by binary search (the definition, for tests). */
    static long sampleBySearch(double u) {
      int lo = 0;
      int hi = CDF.length - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (CDF[mid] < u) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return LO + lo;
    }

    static double cdf(int i) {
      return CDF[i];
    }

    static int size() {
      return CDF.length;
    }
  }
}
