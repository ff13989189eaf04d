package io.rankwise.bench;

import io.rankwise.array.DArray;
import io.rankwise.runtime.Driver;
import io.rankwise.runtime.Session;
import io.rankwise.xarray.DataArray;
import io.rankwise.xarray.Dataset;
import io.rankwise.xarray.NetCdf;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Rankwise side of bench/compare.sh's air workload (same as bench/dask/xarray_bench.py): open with
 * {lat: 25, lon: 25, time: -1}, monthly climatology, anomalies' std (mean over the map), seasonal
 * means, computed together.
 *
 * <pre>  bin/rankwise run -n 2 -cp target/classes io.rankwise.bench.XarrayBench FILE.nc</pre>
 */
public final class XarrayBench implements Driver {
  @Override
  public void run(Session s, String[] args) {
    Dataset ds = NetCdf.open(Path.of(args[0]), Map.of("lat", 25, "lon", 25, "time", -1));
    DataArray air = ds.get("air");
    DataArray clim = air.groupby("time.month").mean();
    DataArray anom = air.groupby("time.month").sub(clim);
    DArray[] out = {anom.std("time").mean().data(), air.groupby("time.season").mean("time", "lat", "lon").data(),
        clim.mean("lat", "lon").data()};
    io.rankwise.array.NdArray[] r = DArray.compute(out);
    StringBuilder seasons = new StringBuilder();
    for (double v : r[1].toDoubles()) {
      seasons.append(seasons.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.6f", v));
    }
    s.out().println("seasons=" + seasons);
    s.out().println(String.format(Locale.ROOT, "result=%.10g", r[0].item()));
  }
}
