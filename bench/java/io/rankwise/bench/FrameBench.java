package io.rankwise.bench;

import io.rankwise.frame.DFrame;
import io.rankwise.frame.Datasets;
import io.rankwise.frame.Table;
import io.rankwise.runtime.Driver;
import io.rankwise.runtime.Session;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Dataframe workloads of bench/compare.sh (same as bench/dask/frame_bench.py):
 * <pre>
 *   default   timeseries() -> df[df.y > 0].groupby('name').x.std() and df[['x','y']].resample('1h').mean()
 *   decade    timeseries('2000', '2010', freq='2H'): df[df.y > 0].groupby('name').x.std() and
 *             df.groupby('name').aggregate({'x': 'sum', 'y': 'max'})
 * </pre>
 *   csv DIR   dd.read_csv(DIR/*.csv): df[df.y > 0].groupby('name').x.mean() and len(df)
 *   --make-csv DIR FILES ROWS   writes the CSV files (id,name,x,y; seeded) once
 * </pre>
 * Prints {@code result=<groups>,<mean of the stds, 2 decimals>[,<aggregated rows>]} (csv:
 * {@code result=<groups>,<mean of the means, 6 decimals>,<rows>}).
 */
public final class FrameBench implements Driver {
  @Override
  public void run(Session s, String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--make-csv")) {
      makeCsv(s, java.nio.file.Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      return;
    }
    if (args.length > 0 && args[0].equals("csv")) {
      DFrame df = io.rankwise.io.Csv.read(args[1] + "/*.csv");
      Table means = df.filter(df.col("y").gt(0)).groupby("name").column("x").mean().compute();
      double mean = 0;
      for (int i = 0; i < means.rows(); i++) {
        mean += means.column("x").getDouble(i) / means.rows();
      }
      s.out().println(String.format(Locale.ROOT, "result=%d,%.6f,%d", means.rows(), mean, df.length()));
      return;
    }
    boolean decade = args.length > 0 && args[0].equals("decade");
    DFrame df = decade ? Datasets.timeseries("2000", "2010", "2h", "1d", 0) : Datasets.timeseries();
    Table std = df.filter(df.col("y").gt(0)).groupby("name").column("x").std().compute();
    double meanStd = 0;
    for (int i = 0; i < std.rows(); i++) {
      meanStd += std.column("x").getDouble(i) / std.rows();
    }
    int third;
    if (decade) {
      Map<String, String> spec = new LinkedHashMap<>();
      spec.put("x", "sum");
      spec.put("y", "max");
      third = df.groupby("name").agg(spec).compute().rows();
    } else {
      third = df.select("x", "y").resample("1h").mean().compute().rows();
    }
    // Dask labels one more (empty, NaN) hourly bin at the last division than pandas does; the bin
    // count is therefore left out of the default workload's answer.
    s.out().println(decade ? String.format(Locale.ROOT, "result=%d,%.2f,%d", std.rows(), meanStd, third)
        : String.format(Locale.ROOT, "result=%d,%.2f", std.rows(), meanStd));
  }

  private static final String[] NAMES = {"Alice", "Bob", "Charlie", "Dan", "Edith", "Frank", "George", "Hannah",
      "Ingrid", "Jerry", "Kevin", "Laura", "Michael", "Norbert", "Oliver", "Patricia", "Quinn", "Ray", "Sarah", "Tim",
      "Ursula", "Victor", "Wendy", "Xavier", "Yvonne", "Zelda"};

  /** Rank 0 writes FILES csv files of ROWS rows each (once: existing files are kept). */
  private static void makeCsv(Session s, java.nio.file.Path dir, int files, int rows) throws Exception {
    if (s.rank() == 0) {
      java.nio.file.Files.createDirectories(dir);
      for (int f = 0; f < files; f++) {
        java.nio.file.Path p = dir.resolve(String.format(Locale.ROOT, "part-%03d.csv", f));
        if (java.nio.file.Files.exists(p)) {
          continue;
        }
        java.util.SplittableRandom r = new java.util.SplittableRandom(1000 + f);
        try (java.io.BufferedWriter w = java.nio.file.Files.newBufferedWriter(p)) {
          w.write("id,name,x,y\n");
          for (int i = 0; i < rows; i++) {
            w.write(Long.toString(900 + r.nextInt(200)));
            w.write(',');
            w.write(NAMES[r.nextInt(NAMES.length)]);
            w.write(',');
            w.write(String.format(Locale.ROOT, "%.6f,%.6f%n", r.nextDouble() * 2 - 1, r.nextDouble() * 2 - 1));
          }
        }
      }
    }
    s.comm().barrier();
  }
}
