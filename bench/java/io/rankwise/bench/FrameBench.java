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
 * Prints {@code result=<groups>,<mean of the stds, 2 decimals>[,<aggregated rows>]}.
 */
public final class FrameBench implements Driver {
  @Override
  public void run(Session s, String[] args) {
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
}
