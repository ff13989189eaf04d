package io.rankwise.examples;

import io.rankwise.runtime.Driver;
import io.rankwise.runtime.Session;
import io.rankwise.xarray.Coord;
import io.rankwise.xarray.DataArray;
import io.rankwise.xarray.Dataset;
import io.rankwise.xarray.NetCdf;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The tutorial's xarray part: open the air temperature file with the tutorial's chunks
 * ({@code {lat: 25, lon: 25, time: -1}}), show it, then the monthly climatology, the anomalies
 * (data minus the climatology of its month) and their standard deviation, the seasonal means, and
 * a map of the anomalies' standard deviation as a PNG.
 *
 * <pre>  bin/rankwise run -n 2 AirTemperature [file.nc=test-data/air/air-small.nc] [map=air-anomaly-std.png] [clim.nc]</pre>
 *
 * With a third argument, the monthly climatology is also written there as NetCDF-4.
 *
 * The full 2-year file of the tutorial's size: {@code /usr/bin/python3 test-data/air/make_air.py --full air.nc}.
 */
public final class AirTemperature implements Driver {
  @Override
  public void run(Session s, String[] args) {
    Path home = Path.of(System.getProperty("rankwise.home", "."));
    Path file = args.length > 0 ? Path.of(args[0]) : home.resolve("test-data/air/air-small.nc");
    Path png = Path.of(args.length > 1 ? args[1] : "air-anomaly-std.png");

    Dataset ds = NetCdf.open(file, Map.of("lat", 25, "lon", 25, "time", -1));
    DataArray air = ds.get("air");
    s.out().println(ds);
    s.out().println();
    s.out().println(air);
    s.out().println();

    DataArray clim = air.groupby("time.month").mean();
    DataArray anomalies = air.groupby("time.month").sub(clim);
    DataArray anomalyStd = anomalies.std("time");
    DataArray seasonal = air.groupby("time.season").mean("time", "lat", "lon");
    DataArray climMean = clim.mean("lat", "lon");

    double[] monthly = climMean.compute().toDoubles();
    Coord months = clim.coords().get("month");
    s.out().println("monthly climatology (spatial mean, K):");
    for (int i = 0; i < monthly.length; i++) {
      s.out().printf(Locale.ROOT, "  month %2d  %.4f%n", (int) months.value(i), monthly[i]);
    }
    double[] seasons = seasonal.compute().toDoubles();
    Coord sl = seasonal.coords().get("season");
    s.out().println("seasonal means (K):");
    for (int i = 0; i < seasons.length; i++) {
      s.out().printf(Locale.ROOT, "  %s  %.4f%n", sl.label(i), seasons[i]);
    }
    double stdMean = anomalyStd.mean().compute().item();
    s.out().printf(Locale.ROOT, "anomalies' std over time, mean over the map: %.6f K%n", stdMean);
    anomalyStd.rename("air anomaly std").plot(png, "std over time of air - monthly climatology (" + file.getFileName() + ")");
    s.out().println("map written to " + png);
    if (args.length > 2) {
      clim.rename("clim").toNetcdf(Path.of(args[2]));
      s.out().println("climatology written to " + args[2]);
    }
  }
}
