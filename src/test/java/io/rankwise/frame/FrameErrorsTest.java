package io.rankwise.frame;

import io.rankwise.testing.OneRank;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad column names, aggregations, rules and dates get messages with the values. */
class FrameErrorsTest {
  static void assertMessage(Runnable r, String... parts) {
    OneRank.assertFails(r, parts);
  }


  static DFrame df() {
    return Datasets.timeseries("2000-01-01", "2000-01-02", "1h", "6h", 0);
  }

  @Test
  void unknownColumnsAndAggregations() {
    assertMessage(() -> df().col("z"), "no column 'z'; columns are [id, name, x, y]");
    assertMessage(() -> df().groupby("nom"), "no column 'nom'");
    assertMessage(() -> df().groupby("name").agg(Map.of("x", "median")), "unknown aggregation 'median' for column 'x'");
    assertMessage(() -> df().groupby("id").agg(Map.of("name", "sum")), "cannot aggregate string column 'name'");
  }

  @Test
  void badFiltersComparisonsAndRules() {
    assertMessage(() -> df().filter(df().col("x")), "filter needs a single bool column");
    assertMessage(() -> df().gt(0), "gt needs a single column");
    assertMessage(() -> df().col("name").gt(0), "column 'name' holds strings");
    assertMessage(() -> df().resample("1 fortnight"), "unknown frequency '1 fortnight'");
    assertMessage(() -> Datasets.timeseries("2000-13-01", "2001", "1h", "1d", 0), "cannot read '2000-13-01' as a date");
    assertMessage(() -> Datasets.timeseries("2001", "2000", "1h", "1d", 0), "end 2000 is not after start 2001");
  }

  @Test
  void plotsNeedAPngAndANumericColumn() {
    Table t = new Table(null, null, new String[] {"name"}, new Column[] {Column.strings(new String[] {"a"})});
    assertMessage(() -> t.plot(java.nio.file.Path.of("x.jpg"), "t"), "plot: write a .png file");
    assertMessage(() -> t.plot(java.nio.file.Path.of("x.png"), "t"), "no numeric column to draw among [name]");
  }

  @Test
  void badMergesSortsAndQuantiles() {
    assertMessage(() -> df().merge(df(), "inner", "nope"), "merge: the left frame has no column 'nope'");
    assertMessage(() -> df().merge(df().rename(Map.of("name", "id", "id", "name")), "inner", "id"),
        "merge: key 'id' is int64 on the left and object on the right; their values can never match");
    assertMessage(() -> df().merge(df(), Join.on("id").how("sideways")), "unknown how='sideways'");
    assertMessage(() -> df().merge(df(), Join.on("id").how("outer").broadcast(true)),
        "an outer join cannot broadcast");
    assertMessage(() -> df().resetIndex().join(df(), "left"), "the left frame has a range index");
    assertMessage(() -> df().sortValues("z"), "no column 'z'");
    assertMessage(() -> df().sortValues(new String[] {"x"}, new boolean[0]), "one direction per column");
    assertMessage(() -> df().quantile(new double[] {1.5}, "x"), "q must be within [0, 1], got 1.5");
    assertMessage(() -> df().quantile(new double[] {0.5}, "name"), "column 'name' is object");
    assertMessage(() -> df().rename(Map.of("x", "y")), "repeat a name");
    assertMessage(() -> df().groupby("name").agg(Map.of("name", "first")),
        "cannot aggregate string column 'name' with first; string columns take count, nunique");
  }

  @Test
  void aStringIndexPlotsAsBars(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    Table byName = OneRank.run(() -> df().groupby("name").column("x").mean().compute());
    java.nio.file.Path png = byName.plot(dir.resolve("by-name.png"), "mean x by name");
    java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
    org.junit.jupiter.api.Assertions.assertEquals(1000, img.getWidth());
    org.junit.jupiter.api.Assertions.assertEquals(500, img.getHeight());
  }

  @Test
  void emptyTablesPrint() {
    Table t = new Table(null, null, new String[] {"x"}, new Column[] {Column.of(new double[0])});
    org.junit.jupiter.api.Assertions.assertTrue(t.toString().contains("[0 rows x 1 columns]"), t.toString());
  }
}
