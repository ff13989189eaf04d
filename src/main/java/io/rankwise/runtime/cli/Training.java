package io.rankwise.runtime.cli;

import io.rankwise.array.Chunks;
import io.rankwise.array.DArray;
import io.rankwise.array.Da;
import io.rankwise.bag.Bags;
import io.rankwise.delayed.Delayed;
import io.rankwise.frame.DFrame;
import io.rankwise.frame.Datasets;
import io.rankwise.io.Csv;
import io.rankwise.runtime.Driver;
import io.rankwise.runtime.Session;
import io.rankwise.xarray.DataArray;
import io.rankwise.xarray.NetCdf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the class-data-sharing archive of the ranks is made from ({@link ClassSharing}): a small
 * pass over every collection (arrays, delayed, frames with CSV, bags with JSON, labeled arrays
 * with NetCDF), so that the classes a typical job loads come from the archive. Writes nothing;
 * a part whose test data is missing is left out.
 */
public final class Training implements Driver {
  @Override
  public void run(Session s, String[] args) throws Exception {
    Path data = Path.of(System.getProperty("rankwise.home", ".")).resolve("test-data");
    DArray x = Da.random(1).random(new long[] {200, 200}, Chunks.of(50, 50));
    x.mean().compute();
    x.add(x.transpose(1, 0)).std(0).sum().compute();
    x.matmul(x).sum().compute();

    var inc = Delayed.delayed((Integer i) -> i + 1);
    var add = Delayed.delayed((Integer a, Integer b) -> a + b);
    Delayed.computeAll(List.of(add.apply(inc.apply(1), inc.apply(2))));

    DFrame ts = Datasets.timeseries("2000-01-01", "2000-01-03", "1min", "1d", 0);
    ts.filter(ts.col("y").gt(0)).groupby("name").column("x").std().compute();
    ts.select("x", "y").resample("1h").mean().compute();
    ts.groupby("name").agg(Map.of("x", "sum")).compute();
    if (Files.isDirectory(data.resolve("csv"))) {
      DFrame people = Csv.read(data.resolve("csv/people.*.csv").toString());
      people.groupby("city").column("score").mean().compute();
      people.length();
    }
    if (Files.isDirectory(data.resolve("people-bad"))) {
      Bags.readJson(data.resolve("people-bad/*.json").toString(), Bags.OnError.SKIP).count();
      Bags.readText(data.resolve("people-bad/*.json").toString()).count();
    }
    Path air = data.resolve("air/air-small.nc");
    if (Files.isRegularFile(air)) {
      DataArray a = NetCdf.open(air, Map.of("lat", 25, "lon", 25, "time", -1)).get("air");
      a.groupby("time.month").sub(a.groupby("time.month").mean()).std("time").mean().compute();
    }
  }
}
