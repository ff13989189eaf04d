package io.rankwise.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.runtime.Session;
import io.rankwise.testing.OneRank;
import io.rankwise.testing.SpmdRanks;
import io.rankwise.testing.SpmdTest;
import io.rankwise.testing.SpmdTestCase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Dataframes on real ranks: results against naive references over the computed rows, and bit for
 * bit equal to a one-rank run, for rank counts 1-5 (more ranks than partitions included).
 */
@SpmdRanks(mpi = {1, 2, 4, 5}, local = {1, 3, 5})
class FrameSpmdTest extends SpmdTestCase {
  /** Three days by the minute in 7-hour partitions (11 partitions, the last one short). */
  static DFrame small() {
    return Datasets.timeseries("2000-01-01", "2000-01-04", "1min", "7h", 5);
  }

  @SpmdTest
  void defaultTimeseriesHasDasksShape(Session s) {
    DFrame df = Datasets.timeseries();
    assertEquals(30, df.npartitions());
    assertEquals(List.of("id", "name", "x", "y"), df.columns());
    assertEquals(2_592_000, df.length());
    long[] d = df.divisions();
    assertEquals(Times.parse("2000-01-01"), d[0]);
    assertEquals(Times.parse("2000-01-31"), d[30]);
    Table head = df.head(3);
    assertEquals(3, head.rows());
    assertEquals("2000-01-01 00:00:02", head.index().format(2));
  }

  @SpmdTest
  void groupbyStdOfFilteredRowsMatchesANaiveReference(Session s) {
    DFrame df = small();
    Table rows = df.compute();
    assertEquals(3 * 24 * 60, rows.rows());
    Table got = df.filter(df.col("y").gt(0)).groupby("name").column("x").std().compute();
    // reference: two-pass sample std per name over the rows with y > 0
    Map<String, List<Double>> byName = new TreeMap<>();
    Column name = rows.column("name");
    Column x = rows.column("x");
    Column y = rows.column("y");
    for (int i = 0; i < rows.rows(); i++) {
      if (y.getDouble(i) > 0) {
        byName.computeIfAbsent(name.getString(i), k -> new ArrayList<>()).add(x.getDouble(i));
      }
    }
    assertEquals(byName.size(), got.rows());
    int g = 0;
    for (Map.Entry<String, List<Double>> e : byName.entrySet()) {
      assertEquals(e.getKey(), got.index().getString(g));
      double mean = e.getValue().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      double ss = e.getValue().stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
      assertEquals(Math.sqrt(ss / (e.getValue().size() - 1)), got.column("x").getDouble(g), 1e-12, e.getKey());
      g++;
    }
  }

  @SpmdTest
  void aggregationsAreBitwiseIdenticalToAOneRankRun(Session s) {
    Map<String, String> spec = new LinkedHashMap<>();
    spec.put("x", "sum");
    spec.put("y", "max");
    spec.put("id", "mean");
    Table here = small().groupby("name").agg(spec).compute();
    Table ref = OneRank.run(() -> small().groupby("name").agg(spec).compute());
    for (String c : List.of("x", "y", "id")) {
      for (int i = 0; i < ref.rows(); i++) {
        assertEquals(Double.doubleToRawLongBits(ref.column(c).getDouble(i)),
            Double.doubleToRawLongBits(here.column(c).getDouble(i)), c + " row " + i);
      }
    }
  }

  @SpmdTest
  void listFormCountsAndMultiColumnKeys(Session s) {
    DFrame df = small();
    Table all = df.groupby("name").agg("count", "min", "max").compute();
    assertEquals(List.of("id_count", "id_min", "id_max", "x_count", "x_min", "x_max", "y_count", "y_min", "y_max"),
        all.columnNames());
    long total = 0;
    for (int i = 0; i < all.rows(); i++) {
      total += all.column("x_count").getLong(i);
      assertTrue(all.column("x_min").getDouble(i) >= -1 && all.column("x_max").getDouble(i) < 1);
      assertTrue(all.column("id_min").getDouble(i) >= 800 && all.column("id_max").getDouble(i) <= 1220);
    }
    assertEquals(3 * 24 * 60, total);
    // two keys: (name, id) pairs; their counts add up to the rows too
    Table pairs = df.groupby("name", "id").column("x").count().compute();
    assertEquals("name", pairs.columnNames().get(0));
    long sum = 0;
    for (int i = 0; i < pairs.rows(); i++) {
      sum += pairs.column("x").getLong(i);
    }
    assertEquals(3 * 24 * 60, sum);
  }

  @SpmdTest
  void resampleMergesBinsThatSpanPartitions(Session s) {
    DFrame df = small(); // 7-hour partitions, 3-hour bins: bins cross partition boundaries
    Table got = df.select("x", "y").resample("3h").mean().compute();
    Table rows = df.compute();
    assertEquals(24, got.rows());
    long[] ts = (long[]) rows.index().data;
    long rule = Times.freq("3h");
    for (int b = 0; b < got.rows(); b++) {
      long bin = got.index().getLong(b);
      double sum = 0;
      int n = 0;
      for (int i = 0; i < rows.rows(); i++) {
        if (Math.floorDiv(ts[i], rule) * rule == bin) {
          sum += rows.column("x").getDouble(i);
          n++;
        }
      }
      assertEquals(180, n, "minutes per 3-hour bin");
      assertEquals(sum / n, got.column("x").getDouble(b), 1e-12, "bin " + Times.format(bin));
    }
    Table counts = df.select("x").resample("1d").count().compute();
    assertArrayEquals(new long[] {1440, 1440, 1440}, (long[]) counts.column("x").data);
  }

  @SpmdTest
  void emptyPartitionsAndEmptyResults(Session s) {
    DFrame df = small();
    DFrame none = df.filter(df.col("y").gt(2));
    assertEquals(0, none.length());
    assertEquals(0, none.head(5).rows());
    assertEquals(0, none.groupby("name").column("x").mean().compute().rows());
    Table some = df.filter(df.col("x").gt(0.999)).groupby("name").column("x").count().compute();
    long n = 0;
    for (int i = 0; i < some.rows(); i++) {
      n += some.column("x").getLong(i);
    }
    assertTrue(n > 0 && n < 20, "a few rows survive: " + n);
  }

  @SpmdTest
  void moreRanksThanPartitionsAndHeadAcrossPartitions(Session s) {
    DFrame two = Datasets.timeseries("2000-01-01", "2000-01-01 02:00:00", "1min", "1h", 1);
    assertEquals(2, two.npartitions());
    assertEquals(120, two.length());
    Table h = two.head(90); // more than the first partition holds
    assertEquals(90, h.rows());
    assertEquals("2000-01-01 01:29:00", h.index().format(89));
  }

  /** 6 partitions of 500 rows; key k = row % 1200 (keys spread over partitions), value = row. */
  /** value_counts / nunique against counting the computed column; dropna / fillna row by row. */
  @SpmdTest
  void valueCountsNuniqueDropnaFillna(Session s) {
    DFrame df = small();
    Table all = df.compute();
    Column names = all.column("name");
    java.util.Map<String, Long> want = new java.util.TreeMap<>();
    for (int i = 0; i < all.rows(); i++) {
      want.merge(names.getString(i), 1L, Long::sum);
    }
    Table vc = df.valueCounts("name");
    assertEquals(want.size(), vc.rows());
    assertEquals(want.size(), df.nunique("name"));
    long prev = Long.MAX_VALUE;
    for (int i = 0; i < vc.rows(); i++) {
      String v = vc.index().getString(i);
      long c = vc.column("count").getLong(i);
      assertEquals(want.get(v), c, "count of " + v);
      assertTrue(c <= prev, "most frequent first");
      prev = c;
    }
    // NaN in x where y < -0.5: dropna removes those rows, fillna replaces them
    DFrame holes = df.select("x", "y").mapPartitions("holes", new String[] {"x", "y"},
        new ColumnType[] {ColumnType.FLOAT64, ColumnType.FLOAT64}, t -> {
          double[] x = new double[t.rows()];
          for (int i = 0; i < x.length; i++) {
            x[i] = t.column("y").getDouble(i) < -0.5 ? Double.NaN : t.column("x").getDouble(i);
          }
          return new Table(t.indexName(), t.index(), new String[] {"x", "y"}, new Column[] {Column.of(x),
              t.column("y")});
        });
    Table h = holes.compute();
    long nan = 0;
    for (int i = 0; i < h.rows(); i++) {
      nan += Double.isNaN(h.column("x").getDouble(i)) ? 1 : 0;
    }
    assertTrue(nan > 0);
    assertEquals(h.rows() - nan, holes.dropna().length());
    assertEquals(h.rows(), holes.dropna("y").length());
    Table filled = holes.fillna(7.5).compute();
    for (int i = 0; i < h.rows(); i++) {
      double x = h.column("x").getDouble(i);
      assertEquals(Double.isNaN(x) ? 7.5 : x, filled.column("x").getDouble(i));
    }
  }

  static DFrame manyGroups() {
    List<Frames.PartitionSource> parts = new ArrayList<>();
    for (int p = 0; p < 6; p++) {
      int pp = p;
      parts.add(() -> {
        long[] k = new long[500];
        double[] v = new double[500];
        for (int i = 0; i < 500; i++) {
          long row = pp * 500L + i;
          k[i] = row % 1200;
          v[i] = row * 0.5;
        }
        return new Table(null, null, new String[] {"k", "v"}, new Column[] {Column.of(k), Column.of(v)});
      });
    }
    return Frames.fromPartitions("many", new String[] {"k", "v"}, new ColumnType[] {ColumnType.INT64,
        ColumnType.FLOAT64}, parts);
  }

  @SpmdTest
  void shuffleGroupbyForManyGroupsMatchesTheTreeAndAReference(Session s) {
    for (GroupBy.Strategy st : GroupBy.Strategy.values()) {
      Table t = manyGroups().groupby("k").strategy(st).column("v").sum().compute();
      assertEquals(1200, t.rows(), st.name());
      for (int g = 0; g < 1200; g++) {
        assertEquals(g, t.index().getLong(g), st + " groups sorted");
        double expected = 0;
        for (long row = g; row < 3000; row += 1200) {
          expected += row * 0.5;
        }
        assertEquals(expected, t.column("v").getDouble(g), 1e-9, st + " group " + g);
      }
    }
    Table here = manyGroups().groupby("k").strategy(GroupBy.Strategy.SHUFFLE).column("v").std().compute();
    Table ref = OneRank.run(() -> manyGroups().groupby("k").strategy(GroupBy.Strategy.SHUFFLE).column("v").std()
        .compute());
    for (int g = 0; g < ref.rows(); g++) {
      assertEquals(Double.doubleToRawLongBits(ref.column("v").getDouble(g)),
          Double.doubleToRawLongBits(here.column("v").getDouble(g)), "shuffle result independent of ranks, group " + g);
    }
  }

  /**
   * Shuffle pieces carry only the statistics their aggregations read: every aggregation, alone and
   * together, gives the tree's answer through the shuffle.
   */
  @SpmdTest
  void everyAggregationThroughTheShuffleMatchesTheTree(Session s) {
    List<String> all = List.of("count", "sum", "mean", "var", "std", "min", "max", "first", "last");
    List<List<String>> specs = new ArrayList<>();
    for (String a : all) {
      specs.add(List.of(a));
    }
    specs.add(all);
    specs.add(List.of("min", "mean"));
    for (List<String> spec : specs) {
      String[] fns = spec.toArray(String[]::new);
      Table tree = manyGroups().groupby("k").strategy(GroupBy.Strategy.TREE).agg(fns).compute();
      Table shuffled = manyGroups().groupby("k").strategy(GroupBy.Strategy.SHUFFLE).agg(fns).compute();
      assertEquals(tree.columnNames(), shuffled.columnNames(), spec.toString());
      assertEquals(tree.rows(), shuffled.rows(), spec.toString());
      for (String c : tree.columnNames()) {
        for (int g = 0; g < tree.rows(); g++) {
          double a = tree.column(c).getDouble(g);
          double b = shuffled.column(c).getDouble(g);
          assertEquals(a, b, 1e-12 * Math.max(1, Math.abs(a)), spec + " " + c + " group " + g);
        }
      }
    }
  }

  /** Map.of has a per-JVM order: columns are sorted by name, so every rank agrees. */
  @SpmdTest
  void unorderedAggregationSpecsGiveTheSameColumnsOnEveryRank(Session s) {
    Table here = small().groupby("name").agg(Map.of("y", "mean", "x", "mean")).compute();
    assertEquals(List.of("x", "y"), here.columnNames());
    Table ref = OneRank.run(() -> small().groupby("name").agg(Map.of("x", "mean", "y", "mean")).compute());
    for (String c : List.of("x", "y")) {
      for (int i = 0; i < ref.rows(); i++) {
        assertEquals(Double.doubleToRawLongBits(ref.column(c).getDouble(i)),
            Double.doubleToRawLongBits(here.column(c).getDouble(i)), c + " row " + i);
      }
    }
  }

  /** pandas: resample("2d") on data from 2000-01-01 starts at 2000-01-01 (origin start_day), not 1999-12-31. */
  @SpmdTest
  void resampleBinsStartAtMidnightOfTheFirstDay(Session s) {
    Table t = small().select("x").resample("2d").count().compute();
    assertEquals("2000-01-01 00:00:00", t.index().format(0));
    assertArrayEquals(new long[] {2880, 1440}, (long[]) t.column("x").data);
  }

  @SpmdTest
  void autoStrategyFollowsTheKnownCardinalityOfTheKeys(Session s) {
    DFrame df = small();
    assertEquals(1, df.groupby("name").column("x").sum().outputKeys().size(), "26 names: one merged partial");
    assertTrue(df.groupby("x").column("y").sum().outputKeys().size() > 1, "distinct floats: hash buckets");
    assertTrue(df.filter(df.col("y").gt(0)).groupby("name", "x").column("y").count().outputKeys().size() > 1,
        "the estimate survives filters; key combinations multiply");
    // without an estimate (a frame made from a merge) the first partition is measured
    DFrame merged = df.merge(df.select("id").dropDuplicates(), "inner", "id");
    assertEquals(1, merged.groupby("name").column("x").count().outputKeys().size());
    // many tiny partitions (12 rows each, every name once or so): still the tree, as for the decade example
    DFrame tiny = Datasets.timeseries("2000-01-01", "2000-03-01", "2h", "1d", 0);
    assertEquals(1, tiny.groupby("name").column("x").std().outputKeys().size());
    assertEquals(1, tiny.merge(tiny.select("id").dropDuplicates(), "inner", "id").groupby("name").column("x").std()
        .outputKeys().size(), "measured on a 12-row first partition: too few groups to shuffle");
  }
}
