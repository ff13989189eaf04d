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
}
