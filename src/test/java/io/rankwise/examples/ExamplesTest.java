package io.rankwise.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.testing.ProcessRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The examples run as users run them: through bin/rankwise, on both backends. */
class ExamplesTest {
  @ParameterizedTest
  @ValueSource(strings = {"mpi", "local"})
  void delayedTourComputesTheTutorialResultsAndDrawsItsGraph(String backend) throws Exception {
    Path svg = Files.createTempDirectory("tour").resolve("item0.svg");
    ProcessRun r = ProcessRun.rankwise(120, "run", "-n", "3", "-t", "2", "--backend", backend,
        "DelayedTour", "8", "0.01", svg.toString());
    assertEquals(0, r.exitCode(), r.describe());
    String[] lines = r.stdout().split("\n");
    assertEquals("graph of item 0 written to " + svg, lines[0], r.describe());
    assertEquals("[1, 3, 5, 7, 9, 11, 13, 15]", lines[1], r.describe());
    assertTrue(lines[2].startsWith("24 tasks on 3 ranks x 2 threads: "), r.describe());
    assertTrue(lines[2].contains("speed-up"), r.describe());
    assertTrue(Files.readString(svg).contains("<svg"), "an SVG picture");
  }

  @org.junit.jupiter.api.Test
  void arrayMeanPrintsTheSameMeanForAnyRankCountAndBackend() {
    String first = null;
    for (String[] run : new String[][] {{"mpi", "1"}, {"mpi", "2"}, {"mpi", "4"}, {"local", "3"}}) {
      ProcessRun r = ProcessRun.rankwise(120, "run", "-n", run[1], "--backend", run[0], "ArrayMean", "3000", "700");
      assertEquals(0, r.exitCode(), r.describe());
      assertTrue(r.stdout().matches("mean=0\\.49\\d+\\n|mean=0\\.50\\d+\\n"), r.describe());
      if (first == null) {
        first = r.stdout();
      }
      assertEquals(first, r.stdout(), "rank count " + run[1] + " on " + run[0]);
    }
  }

  @org.junit.jupiter.api.Test
  void arrayVisualizeWritesTheTutorialsPicture() throws Exception {
    Path svg = Files.createTempDirectory("viz").resolve("da_mean.svg");
    ProcessRun r = ProcessRun.rankwise(120, "run", "-n", "2", "ArrayVisualize", svg.toString());
    assertEquals(0, r.exitCode(), r.describe());
    assertTrue(r.stdout().startsWith("rankwise.array<mean, shape=(), dtype=float64"), r.describe());
    String pic = Files.readString(svg);
    assertTrue(pic.contains("<svg"), pic);
    // 10 blocks: random+partial fused per block, then the aggregation tree and the final mean
    assertTrue(pic.replace("&#45;", "-").contains("random+mean-chunk"), pic);
  }

  @org.junit.jupiter.api.Test
  void dataFrameTourPrintsTheSameTablesForAnyRankCount() {
    ProcessRun one = ProcessRun.rankwise(120, "run", "-n", "1", "DataFrameTour", "2000", "2001", "6h");
    ProcessRun four = ProcessRun.rankwise(120, "run", "-n", "4", "DataFrameTour", "2000", "2001", "6h");
    ProcessRun local = ProcessRun.rankwise(120, "run", "-n", "3", "--backend", "local", "DataFrameTour", "2000", "2001",
        "6h");
    assertEquals(0, one.exitCode(), one.describe());
    assertEquals(one.stdout(), four.stdout(), four.describe());
    assertEquals(one.stdout(), local.stdout(), local.describe());
    assertTrue(one.stdout().contains("npartitions=366"), one.stdout());
    assertTrue(one.stdout().contains("df[df.y > 0].groupby('name').x.std():"), one.stdout());
    assertTrue(one.stdout().contains("[26 rows x 2 columns]"), one.stdout());
  }

  @org.junit.jupiter.api.Test
  void frameJoinsPrintsTheSameTablesForAnyRankCount() {
    ProcessRun one = ProcessRun.rankwise(120, "run", "-n", "1", "FrameJoins");
    ProcessRun four = ProcessRun.rankwise(120, "run", "-n", "4", "FrameJoins");
    assertEquals(0, one.exitCode(), one.describe());
    assertEquals(one.stdout(), four.stdout(), four.describe());
    assertTrue(one.stdout().contains("dropDuplicates(customer, amount): 10 of 13 orders"), one.stdout());
    assertTrue(one.stdout().contains("Nowhere   4.000000"), "null keys match null keys: " + one.stdout());
    assertTrue(one.stdout().contains("25%     4.000000   2.937500   1.000000"), one.stdout());
    assertTrue(one.stdout().contains("3 CSV files (15 rows read back), HDF5 table (15 rows read back)"), one.stdout());
  }

  @org.junit.jupiter.api.Test
  void csvGlobReadsTheFixturesWithADtypeOverride() {
    ProcessRun r = ProcessRun.rankwise(120, "run", "-n", "5", "CsvGlob");
    assertEquals(0, r.exitCode(), r.describe());
    assertTrue(r.stdout().startsWith("4 files, columns [name, city, age, score, active], age read as float64"),
        r.describe());
    assertTrue(r.stdout().contains("Oslo    2.625000"), r.describe());
  }

  @ParameterizedTest
  @ValueSource(strings = {"mpi", "local"})
  void bagTourCountsThePeople(String backend) {
    ProcessRun r = ProcessRun.rankwise(120, "run", "-n", "5", "--backend", backend, "BagTour");
    assertEquals(0, r.exitCode(), r.describe());
    assertTrue(r.stdout().startsWith("rankwise.bag<map, npartitions=4>"), r.describe());
    assertTrue(r.stdout().contains("over30=80 total=100"), r.describe());
    assertTrue(r.stdout().contains("foldby occupation: {Accountant=8,"), r.describe());
  }

  @org.junit.jupiter.api.Test
  void resamplePlotDrawsTheDailyMeans() throws Exception {
    Path png = Files.createTempDirectory("plot").resolve("daily.png");
    ProcessRun r = ProcessRun.rankwise(120, "run", "-n", "2", "ResamplePlot", png.toString());
    assertEquals(0, r.exitCode(), r.describe());
    assertTrue(r.stdout().contains("[30 rows x 2 columns]"), r.describe());
    java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
    assertEquals(1000, img.getWidth());
    assertEquals(500, img.getHeight());
  }

  /** The xarray part of the tutorial on the committed file; numbers from xarray (make_air.py). */
  @org.junit.jupiter.api.Test
  void airTemperatureMatchesXarray() throws Exception {
    Path png = Files.createTempDirectory("air").resolve("map.png");
    ProcessRun r = ProcessRun.rankwise(120, "run", "-n", "2", "AirTemperature", "test-data/air/air-small.nc",
        png.toString());
    assertEquals(0, r.exitCode(), r.describe());
    assertTrue(r.stdout().contains("<rankwise.DataArray 'air' (time: 400, lat: 25, lon: 53)>"), r.describe());
    // anom/std_mean in test-data/air/golden.txt: 2.0897297859191895 (xarray, float32)
    assertTrue(r.stdout().contains("anomalies' std over time, mean over the map: 2.08973"), r.describe());
    assertTrue(r.stdout().contains("  DJF  ") && r.stdout().contains("  MAM  "), r.describe());
    java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
    assertEquals(1000, img.getWidth());
  }

  /** The tutorial's ParallelPostFit, then distributed training (small here: 200,000 rows in 8 blocks). */
  @org.junit.jupiter.api.Test
  void parallelPostFitTourFitsPredictsScoresAndTrains() throws Exception {
    ProcessRun r = ProcessRun.rankwise(180, "run", "-n", "2", "ParallelPostFitTour", "200000", "25000");
    assertEquals(0, r.exitCode(), r.describe());
    String out = r.stdout();
    assertTrue(out.contains("X_large: [100000, 2] in 100 blocks"), r.describe());
    // the score over the 100 copies is the local score: the same rows
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
        "score\\(X_large, y_large\\) = ([0-9.]+) \\(local score on the 1000: ([0-9.]+)\\)").matcher(out);
    assertTrue(m.find(), r.describe());
    assertEquals(m.group(2), m.group(1));
    assertTrue(Double.parseDouble(m.group(1)) > 0.8, r.describe());
    assertTrue(out.contains("distributed LogisticRegression on 200000 x 20 (8 blocks, 2 ranks)"), r.describe());
  }
}
