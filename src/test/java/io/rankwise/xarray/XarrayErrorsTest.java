package io.rankwise.xarray;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rankwise.array.Chunks;
import io.rankwise.array.Da;
import io.rankwise.testing.OneRank;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to labeled arrays gets a message that names the file, variable, dimension or label. */
class XarrayErrorsTest {
  static final Path AIR = XarrayGoldenTest.dir().resolve("air-small.nc");

  static Dataset air() {
    return NetCdf.open(AIR, Map.of("time", -1));
  }

  @Test
  void missingFileVariableAndDimension(@TempDir Path dir) throws Exception {
    OneRank.assertFails(() -> NetCdf.open(dir.resolve("nope.nc"), Map.of()), "nope.nc does not exist");
    Path bad = dir.resolve("corrupt.nc");
    Files.writeString(bad, "CDF\u0001 not really netcdf");
    OneRank.assertFails(() -> NetCdf.open(bad, Map.of()), "cannot open " + bad + " as NetCDF-4/HDF5", "nccopy -k nc4");
    OneRank.assertFails(() -> air().get("temperature"), "no variable 'temperature' in the dataset",
        "data variables are [air]", "coordinates [time, lat, lon]");
    OneRank.assertFails(() -> NetCdf.open(AIR, Map.of("latitude", 25)), "chunks: unknown dimension 'latitude'",
        "its dimensions are [time, lat, lon]");
    OneRank.assertFails(() -> air().get("air").mean("level"), "'air' has no dimension 'level'",
        "its dimensions are [time, lat, lon]");
    OneRank.assertFails(() -> air().get("air").groupby("time.week"), "unknown datetime component 'week'");
    OneRank.assertFails(() -> air().get("air").groupby("lat.month"), "'lat.month' needs a datetime coordinate");
  }

  @Test
  void labelsThatAreNotThere() {
    OneRank.assertFails(() -> air().get("air").sel(Map.of("lat", 51.3)), "sel: 51.3 is not a label of 'lat'",
        "DataArray.nearest(51.3)");
    OneRank.assertFails(() -> air().get("air").sel(Map.of("time", "2013-13")), "cannot read '2013-13' as a datetime");
    OneRank.assertFails(() -> air().get("air").resample("time", "1W"), "frequency '1W' is not supported");
  }

  @Test
  void nearestNeedsAMonotonicCoordinate() {
    OneRank.assertFails(() -> {
      Coord x = Coord.numeric("x", "x", new double[] {1, 3, 2}, "float64", Map.of());
      DataArray a = new DataArray("a", List.of("x"), Da.arange(3, Chunks.of(2)), Map.of("x", x), Map.of());
      a.sel(Map.of("x", DataArray.nearest(2.2)));
    }, "coordinate 'x' is not monotonic", "sort the data by 'x' first");
  }

  @Test
  void unsupportedTimeUnitsAndCalendars() {
    OneRank.assertFails(() -> TimeUnits.parse("fortnights since 2000-01-01", null, "coordinate 'time' in f.nc"),
        "coordinate 'time' in f.nc: unsupported time unit 'fortnights'");
    OneRank.assertFails(() -> TimeUnits.parse("days since 2000-01-01", "360_day", "coordinate 'time' in f.nc"),
        "calendar '360_day' is not supported");
    OneRank.assertFails(() -> TimeUnits.parse("days after 2000-01-01", null, "coordinate 'time'"),
        "cannot decode time units 'days after 2000-01-01'");
    TimeUnits t = TimeUnits.parse("hours since 1800-01-01 00:00:0.0", "gregorian", "t");
    assertEquals(java.time.Instant.parse("2013-01-01T00:00:00Z").toEpochMilli(), t.decode(1867128.0));
    // the standard calendar is Julian before 1582-10-15 (cftime: 17522904 h since 1-1-1 is 2000-01-01)
    TimeUnits ncep = TimeUnits.parse("hours since 1-1-1 00:00:0.0", null, "t");
    assertEquals(java.time.Instant.parse("2000-01-01T00:00:00Z").toEpochMilli(), ncep.decode(17522904.0));
    TimeUnits pro = TimeUnits.parse("hours since 1-1-1 00:00:0.0", "proleptic_gregorian", "t");
    assertEquals(java.time.Instant.parse("2000-01-03T00:00:00Z").toEpochMilli(), pro.decode(17522904.0));
  }

  @Test
  void misalignedOperands() {
    OneRank.assertFails(() -> {
      Coord x1 = Coord.numeric("x", "x", new double[] {1, 2, 3}, "float64", Map.of());
      Coord x2 = Coord.numeric("x", "x", new double[] {1, 5, 3}, "float64", Map.of());
      DataArray a = new DataArray("a", List.of("x"), Da.arange(3, Chunks.of(2)), Map.of("x", x1), Map.of());
      DataArray b = new DataArray("b", List.of("x"), Da.arange(3, Chunks.of(2)), Map.of("x", x2), Map.of());
      a.add(b);
    }, "add: the labels of 'x' differ", "do not overlap in one common run");
    OneRank.assertFails(() -> new DataArray("a", List.of("x", "y"), Da.arange(3, Chunks.of(2)), Map.of(), Map.of()),
        "2 dimension names [x, y] for a 1-d array");
  }

  @Test
  void netcdfEdgeCasesRoundTrip(@TempDir Path dir) {
    OneRank.run(() -> {
      DataArray air = air().get("air");
      // a 0-d variable, names ncgen treats specially, an empty dimension
      Path f = dir.resolve("edge.nc");
      air.mean().rename("air.mean-2m").toNetcdf(f);
      DataArray m = NetCdf.open(f, Map.of()).get("air.mean-2m");
      assertEquals(List.of(), m.dims());
      assertEquals(air.mean().compute().item(), m.compute().item(), 0);
      Path g = dir.resolve("2m_temp.nc");
      air.isel(Map.of("time", io.rankwise.array.Slice.of(0, 3))).rename("2m_t").toNetcdf(g);
      assertEquals(List.of("time", "lat", "lon"), NetCdf.open(g, Map.of()).get("2m_t").dims());
      Path e = dir.resolve("empty.nc");
      air.sel(Map.of("lat", DataArray.range(100, 90))).mean("time").toNetcdf(e);
      assertEquals(0L, NetCdf.open(e, Map.of()).sizes().get("lat"));
      return null;
    });
  }

  @Test
  void groupbyOnADimensionUsesItsSortedDistinctLabels() {
    OneRank.run(() -> {
      DataArray air = air().get("air").isel(Map.of("time", io.rankwise.array.Slice.of(0, 4)));
      DataArray byLat = air.groupby("lat").mean();
      double[] labels = byLat.coord("lat").values();
      assertEquals(15.0, labels[0]); // ascending, as xarray's groups; the file's lat descends
      assertEquals(75.0, labels[labels.length - 1]);
      double first = air.sel(Map.of("lat", 15.0)).mean().compute().item();
      assertEquals(first, byLat.isel(Map.of("lat", 0)).mean().compute().item(), 1e-4);
      return null;
    });
    OneRank.assertFails(() -> {
      Coord x1 = Coord.numeric("x", "x", new double[] {10, 20, 30}, "float64", Map.of());
      Coord x2 = Coord.numeric("x", "x", new double[] {30, 20, 10}, "float64", Map.of());
      new DataArray("a", List.of("x"), Da.arange(3, Chunks.of(2)), Map.of("x", x1), Map.of())
          .sub(new DataArray("b", List.of("x"), Da.arange(3, Chunks.of(2)), Map.of("x", x2), Map.of()));
    }, "the labels of 'x' are in a different order");
  }

  /** test-data/air/unsigned.nc (make_unsigned.py): xarray reads [0, 20000, nan, 32767] and [255, 5]. */
  @Test
  void unsignedVariablesDecodeAsXarrayDoes() {
    OneRank.run(() -> {
      Dataset ds = NetCdf.open(XarrayGoldenTest.dir().resolve("unsigned.nc"), Map.of());
      double[] u = ds.get("u16").compute().toDoubles();
      assertEquals(0.0, u[0]);
      assertEquals(20000.0, u[1]);
      assertEquals(Double.NaN, u[2]);
      assertEquals(32767.0, u[3]);
      assertEquals(io.rankwise.array.DType.FLOAT32, ds.get("u16").dtype());
      double[] b = ds.get("b").compute().toDoubles();
      assertEquals(255.0, b[0]);
      assertEquals(5.0, b[1]);
      return null;
    });
  }

  @org.junit.jupiter.api.Test
  void integerReductionsKeepXarraysTypes() {
    io.rankwise.testing.OneRank.run(() -> {
      int[] v = {3, -7, 12, 5, 0, 9};
      DataArray a = new DataArray("n", java.util.List.of("x", "y"),
          io.rankwise.array.Da.fromArray(io.rankwise.array.NdArray.of(v, 2, 3), io.rankwise.array.Chunks.of(1, 2)),
          Map.of(), Map.of());
      org.junit.jupiter.api.Assertions.assertEquals("int64", a.sum().compute().dtype().numpyName());
      org.junit.jupiter.api.Assertions.assertEquals(22, a.sum().compute().toDoubles()[0]);
      org.junit.jupiter.api.Assertions.assertEquals("int32", a.min("y").compute().dtype().numpyName());
      org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {-7, 0}, a.min("y").compute().toDoubles());
      org.junit.jupiter.api.Assertions.assertEquals("int32", a.max().compute().dtype().numpyName());
      org.junit.jupiter.api.Assertions.assertEquals("float64", a.mean().compute().dtype().numpyName());
      org.junit.jupiter.api.Assertions.assertEquals("int64", a.count("x").compute().dtype().numpyName());
      return null;
    });
  }

  @org.junit.jupiter.api.Test
  void aDateAtTheLabelsResolutionSelectsOneLabel() {
    OneRank.run(() -> {
      long day = 86_400_000L;
      long t0 = 1_356_998_400_000L; // 2013-01-01
      long[] daily = new long[5];
      long[] sixHourly = new long[8];
      for (int i = 0; i < 8; i++) {
        if (i < 5) {
          daily[i] = t0 + i * day;
        }
        sixHourly[i] = t0 + i * day / 4;
      }
      double[] v = new double[16];
      for (int i = 0; i < v.length; i++) {
        v[i] = i;
      }
      DataArray d = new DataArray("v", List.of("time", "x"), Da.fromArray(io.rankwise.array.NdArray.of(
          java.util.Arrays.copyOf(v, 10), 5, 2), Chunks.of(2, 2)),
          Map.of("time", Coord.times("time", "time", daily, Map.of())), Map.of());
      DataArray one = d.sel(Map.of("time", "2013-01-02"));
      assertEquals(List.of("x"), one.dims(), "daily labels: a date is one label, the dimension goes");
      org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {2, 3}, one.compute().toDoubles());
      DataArray h = new DataArray("v", List.of("time", "x"), Da.fromArray(io.rankwise.array.NdArray.of(v, 8, 2),
          Chunks.of(4, 2)), Map.of("time", Coord.times("time", "time", sixHourly, Map.of())), Map.of());
      DataArray dayOf = h.sel(Map.of("time", "2013-01-02"));
      assertEquals(List.of("time", "x"), dayOf.dims(), "6-hourly labels: a date is a range");
      assertEquals(4, dayOf.compute().shape()[0]);
      assertEquals(List.of("x"), h.sel(Map.of("time", "2013-01-02 06:00")).dims());
      return null;
    });
  }
}
