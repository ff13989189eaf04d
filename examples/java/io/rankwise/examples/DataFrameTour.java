package io.rankwise.examples;

import io.rankwise.frame.Aggregation;
import io.rankwise.frame.DFrame;
import io.rankwise.frame.Datasets;
import io.rankwise.runtime.Driver;
import io.rankwise.runtime.Session;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tutorial's dataframe example:
 *
 * <pre>
 *   df = dask.datasets.timeseries('2000', '2010', freq='2H')
 *   print(df.head())
 *   df2 = df[df.y > 0]
 *   df3 = df2.groupby("name").x.std()
 *   print(df3.compute())
 *   df4 = df.groupby("name").aggregate({"x": "sum", "y": "max"})
 *   print(df4.compute())
 * </pre>
 *
 * {@code bin/rankwise run -n 2 DataFrameTour [start end freq]} (defaults: 2000 2010 2h).
 */
public final class DataFrameTour implements Driver {
  @Override
  public void run(Session s, String[] args) {
    String start = args.length > 0 ? args[0] : "2000";
    String end = args.length > 1 ? args[1] : "2010";
    String freq = args.length > 2 ? args[2] : "2h";
    DFrame df = Datasets.timeseries(start, end, freq, "1d", 0);
    s.out().println(df);
    s.out().println(df.head(5));

    DFrame df2 = df.filter(df.col("y").gt(0));
    Aggregation df3 = df2.groupby("name").column("x").std();
    s.out().println("\ndf[df.y > 0].groupby('name').x.std():");
    s.out().println(df3.compute());

    Map<String, String> spec = new LinkedHashMap<>();
    spec.put("x", "sum");
    spec.put("y", "max");
    s.out().println("\ndf.groupby('name').aggregate({'x': 'sum', 'y': 'max'}):");
    s.out().println(df.groupby("name").agg(spec).compute());
  }
}
