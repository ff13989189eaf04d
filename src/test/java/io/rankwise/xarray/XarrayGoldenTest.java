package io.rankwise.xarray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rankwise.array.Slice;
import io.rankwise.runtime.Session;
import io.rankwise.testing.SpmdRanks;
import io.rankwise.testing.SpmdTest;
import io.rankwise.testing.SpmdTestCase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Labeled arrays on the committed air_temperature-shaped file against xarray's answers
 * (test-data/air/golden.txt, made by make_air.py with Debian's python3-xarray), on real ranks and
 * with several chunkings, including the tutorial's {lat: 25, lon: 25, time: -1}.
 */
@SpmdRanks(mpi = {1, 2, 4}, local = {1, 3})
class XarrayGoldenTest extends SpmdTestCase {
  static Path dir() {
    return Path.of(System.getProperty("rankwise.home", ".")).resolve("test-data/air");
  }

  record Golden(String dtype, int[] shape, double[] values) {}

  static Map<String, Golden> golden() {
    Map<String, Golden> out = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(dir().resolve("golden.txt"))) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String[] p = line.trim().split(" ");
        int[] shape = p[2].equals("-") ? new int[0] : Arrays.stream(p[2].split(",")).mapToInt(Integer::parseInt).toArray();
        double[] v = new double[p.length - 3];
        for (int i = 0; i < v.length; i++) {
          v[i] = p[i + 3].equals("nan") ? Double.NaN : Double.parseDouble(p[i + 3]);
        }
        out.put(p[0], new Golden(p[1], shape, v));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Every golden case as a Rankwise expression: a DataArray to compute, or coordinate labels. */
  static Map<String, Function<Dataset, Object>> cases() {
    Map<String, Function<Dataset, Object>> c = new LinkedHashMap<>();
    c.put("time", ds -> Arrays.stream(ds.coords().get("time").epochMillis()).mapToDouble(t -> t / 1000.0).toArray());
    c.put("lat", ds -> ds.coords().get("lat").values());
    c.put("lon", ds -> ds.coords().get("lon").values());
    c.put("air/isel0", ds -> ds.get("air").isel(Map.of("time", 0)));
    c.put("air/count", ds -> ds.get("air").count());
    c.put("air/mean", ds -> ds.get("air").mean());
    c.put("air/mean_time", ds -> ds.get("air").mean("time"));
    c.put("air/std_time", ds -> ds.get("air").std("time"));
    c.put("air/min_latlon", ds -> ds.get("air").min("lat", "lon"));
    c.put("air/max_latlon", ds -> ds.get("air").max("lat", "lon"));
    c.put("air/sum_lon", ds -> ds.get("air").isel(Map.of("time", Slice.of(0, 8))).sum("lon"));
    c.put("air/count_time", ds -> ds.get("air").count("time"));
    c.put("sel/nearest", ds -> ds.get("air").sel(Map.of("lat", DataArray.nearest(51.3), "lon", DataArray.nearest(251.1))));
    c.put("sel/slice", ds -> ds.get("air").sel(Map.of("lat", DataArray.range(60, 40), "lon", DataArray.range(250, 260)))
        .mean("time"));
    c.put("sel/time_slice", ds -> ds.get("air").sel(Map.of("time", DataArray.range("2013-02-01", "2013-02-03")))
        .mean("lat", "lon"));
    c.put("clim/month", ds -> ds.get("air").groupby("time.month").groups().values());
    c.put("clim/mean", ds -> ds.get("air").groupby("time.month").mean());
    c.put("anom/std_time", ds -> anomalies(ds).std("time"));
    c.put("anom/std_mean", ds -> anomalies(ds).std("time").mean());
    c.put("season/labels", ds -> {
      Coord g = ds.get("air").groupby("time.season").groups();
      double[] codes = new double[g.size()];
      for (int i = 0; i < codes.length; i++) {
        codes[i] = Arrays.asList("DJF", "JJA", "MAM", "SON").indexOf(g.label(i));
      }
      return codes;
    });
    c.put("season/mean", ds -> ds.get("air").groupby("time.season").mean());
    c.put("doy/mean_latlon", ds -> ds.get("air").groupby("time.dayofyear").mean().mean("lat", "lon"));
    c.put("resample/1D_mean_latlon", ds -> ds.get("air").resample("time", "1D").mean().mean("lat", "lon"));
    c.put("arith/zonal_anom", ds -> {
      DataArray air = ds.get("air").astype(io.rankwise.array.DType.FLOAT64);
      return air.sub(air.mean("lon")).isel(Map.of("time", Slice.of(0, 4))).std("time");
    });
    return c;
  }

  static DataArray anomalies(Dataset ds) {
    DataArray air = ds.get("air");
    DataArray clim = air.groupby("time.month").mean();
    return air.groupby("time.month").sub(clim);
  }

  @SpmdTest
  void resultsMatchXarrayForEveryChunking(Session s) {
    Map<String, Golden> golden = golden();
    assertEquals(golden.keySet(), cases().keySet(), "every golden case has a Rankwise expression");
    Path file = dir().resolve("air-small.nc");
    for (Map<String, Integer> chunks : java.util.List.of(Map.of("lat", 25, "lon", 25, "time", -1),
        Map.of("time", 97, "lat", 7), Map.<String, Integer>of())) {
      Dataset ds = NetCdf.open(file, chunks);
      for (Map.Entry<String, Function<Dataset, Object>> e : cases().entrySet()) {
        Golden g = golden.get(e.getKey());
        Object r = e.getValue().apply(ds);
        double[] got;
        if (r instanceof DataArray d) {
          io.rankwise.array.NdArray nd = d.compute();
          assertArrayEquals(g.shape(), nd.shape(), e.getKey() + " shape, chunks " + chunks);
          if (g.dtype().equals("float32") || g.dtype().equals("int64")) {
            assertEquals(g.dtype(), nd.dtype().numpyName(), e.getKey() + " dtype");
          }
          got = nd.toDoubles();
        } else {
          got = (double[]) r;
        }
        assertEquals(g.values().length, got.length, e.getKey() + " size");
        for (int i = 0; i < got.length; i++) {
          double want = g.values()[i];
          // xarray accumulates float32 in float32; Rankwise in float64 and rounds once
          double tol = 2e-6 * Math.max(1, Math.abs(want));
          if (!(Math.abs(got[i] - want) <= tol || Double.isNaN(want) && Double.isNaN(got[i]))) {
            fail(e.getKey() + " with chunks " + chunks + ": element " + i + " xarray " + want + ", Rankwise " + got[i]);
          }
        }
      }
    }
  }

  @SpmdTest
  void reprShowsDimsCoordsChunksAndAttrsWithoutComputing(Session s) {
    Dataset ds = NetCdf.open(dir().resolve("air-small.nc"), Map.of("lat", 25, "lon", 25, "time", -1));
    String da = ds.get("air").toString();
    assertTrue(da.startsWith("<rankwise.DataArray 'air' (time: 400, lat: 25, lon: 53)>"), da);
    assertTrue(da.contains("shape=(400, 25, 53), dtype=float32, chunksize=(400, 25, 25), blocks=3"), da);
    assertTrue(da.contains("* time     (time) datetime64[ns] 2013-01-01 ... 2013-04-10T18:00:00"), da);
    assertTrue(da.contains("* lat      (lat) float32 75.0 72.5"), da);
    assertTrue(da.contains("long_name:    4xDaily Air temperature at sigma level 995"), da);
    String dss = ds.toString();
    assertTrue(dss.contains("Dimensions:  (time: 400, lat: 25, lon: 53)"), dss);
    assertTrue(dss.contains("title:        4x daily NMC reanalysis (1948)"), dss);
    assertEquals(Map.of("units", "degK"), Map.of("units", ds.get("air").attrs().get("units")));
    assertTrue(!ds.get("air").attrs().containsKey("scale_factor"), "encoding attributes are consumed");
  }

  /** A shared file name for all ranks (rank 0 picks it). */
  static Path sharedFile(Session s, String name) throws Exception {
    byte[] dir = s.rank() == 0 ? Files.createTempDirectory("rw-nc").toString().getBytes() : new byte[0];
    long[] len = {dir.length};
    s.comm().broadcast(len, 0);
    byte[] buf = s.rank() == 0 ? dir : new byte[(int) len[0]];
    s.comm().broadcast(buf, 0);
    return Path.of(new String(buf)).resolve(name);
  }

  @SpmdTest
  void writtenNetcdfReadsBackWithTheSameDimsCoordsValuesAndAttrs(Session s) throws Exception {
    Dataset ds = NetCdf.open(dir().resolve("air-small.nc"), Map.of("lat", 10, "lon", 25, "time", 97));
    DataArray air = ds.get("air");
    // data with datetimes and missing values, and a groupby result with a new dimension
    DataArray part = air.isel(Map.of("time", Slice.of(0, 200)));
    DataArray clim = air.groupby("time.month").mean().rename("clim");
    Path f1 = sharedFile(s, "part.nc");
    Path f2 = f1.resolveSibling("clim.nc");
    part.toNetcdf(f1);
    clim.toNetcdf(f2);
    for (Object[] pair : new Object[][] {{part, f1}, {clim, f2}}) {
      DataArray want = (DataArray) pair[0];
      DataArray got = NetCdf.open((Path) pair[1], want.dims().contains("time") ? Map.of("time", 50) : Map.of("lat", 7))
          .get(want.name());
      assertEquals(want.dims(), got.dims());
      assertEquals(want.dtype(), got.dtype());
      for (String d : want.dims()) {
        assertArrayEquals(want.coord(d).values(), got.coord(d).values(), "coordinate " + d);
        assertEquals(want.coord(d).isTime(), got.coord(d).isTime());
      }
      assertArrayEquals(want.compute().toDoubles(), got.compute().toDoubles(), "values, NaN included");
      assertEquals(want.attrs().get("units"), got.attrs().get("units"));
    }
    assertEquals("degK", NetCdf.open(f1, Map.of()).get("air").attrs().get("units"));
    double count = NetCdf.open(f1, Map.of()).get("air").count().compute().item();
    assertTrue(count < 200 * 25 * 53 && count > 0.99 * 200 * 25 * 53, "the missing values are still missing: " + count);
    // what xarray saw in the same file written at development time (test-data/air/check_written.py)
    Map<String, double[]> xr = new LinkedHashMap<>();
    for (String line : Files.readAllLines(dir().resolve("written-by-rankwise.txt"))) {
      if (!line.startsWith("#") && !line.isBlank()) {
        String[] p = line.trim().split(" ");
        xr.put(p[0], Arrays.stream(p).skip(1).mapToDouble(Double::parseDouble).toArray());
      }
    }
    DataArray back = NetCdf.open(f2, Map.of()).get("clim");
    assertArrayEquals(xr.get("shape"), Arrays.stream(back.data().shape()).asDoubleStream().toArray());
    assertArrayEquals(xr.get("month"), back.coord("month").values());
    assertArrayEquals(xr.get("lat"), back.coord("lat").values());
    assertEquals(xr.get("mean")[0], back.mean().compute().item(), 1e-6 * Math.abs(xr.get("mean")[0]));
    assertEquals(xr.get("clim_0_0_0")[0], back.isel(Map.of("month", 0, "lat", 0, "lon", 0)).compute().item(), 0);
  }
}
