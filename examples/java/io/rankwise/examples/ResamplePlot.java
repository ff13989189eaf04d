package io.rankwise.examples;

import io.rankwise.frame.DFrame;
import io.rankwise.frame.Datasets;
import io.rankwise.frame.Table;
import io.rankwise.runtime.Driver;
import io.rankwise.runtime.Session;
import java.nio.file.Path;

/**
 * The tutorial's {@code df[['x', 'y']].resample('24h').mean().compute().plot()} on the default
 * timeseries: daily means of x and y, drawn to a PNG on rank 0.
 *
 * <pre>  bin/rankwise run -n 2 ResamplePlot [file=resample.png] [rule=24h]</pre>
 */
public final class ResamplePlot implements Driver {
  @Override
  public void run(Session s, String[] args) {
    Path file = Path.of(args.length > 0 ? args[0] : "resample.png");
    String rule = args.length > 1 ? args[1] : "24h";
    DFrame df = Datasets.timeseries();
    s.out().println(df.select("x", "y").resample("1h").mean().compute().head(5));
    Table daily = df.select("x", "y").resample(rule).mean().compute();
    s.out().println(daily);
    if (s.isRoot()) {
      daily.plot(file, "timeseries: x and y, " + rule + " means");
      s.out().println("plot written to " + file);
    }
  }
}
