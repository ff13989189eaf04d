package io.rankwise.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.runtime.Session;
import io.rankwise.testing.OneRank;
import io.rankwise.testing.SpmdRanks;
import io.rankwise.testing.SpmdTest;
import io.rankwise.testing.SpmdTestCase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shuffle groupby where partitions with nearly distinct keys send their rows and the others
 * their partials, mixed in one bucket: every aggregation against plain loops over the rows and
 * against the tree, and bit for bit equal to a one-rank run, on 1-5 ranks (more ranks than
 * partitions that send rows).
 */
@SpmdRanks(mpi = {1, 2, 4, 5}, local = {1, 3})
class GroupByRowsTest extends SpmdTestCase {
  /** Partition kinds: distinct keys (rows travel), few repeated keys (partials), empty, one row. */
  static final String[] KINDS = {"distinct", "repeated", "empty", "distinct-nan", "repeated", "one", "distinct"};

  static Table partition(int p) {
    String kind = KINDS[p];
    int n = switch (kind) {
      case "empty" -> 0;
      case "one" -> 1;
      default -> 600;
    };
    long[] k = new long[n];
    double[] v = new double[n];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      long row = p * 1000L + i;
      // distinct partitions: keys from a range that other partitions share in part (groups span
      // both kinds of piece); repeated ones: 12 keys, some negative
      k[i] = kind.startsWith("distinct") ? (row * 7919) % 5003 - 40 : (i % 12) * 401 - 800;
      v[i] = kind.equals("distinct-nan") && i % 5 == 0 ? Double.NaN : Math.sin(row) * 1e3 + 5e4;
      w[i] = (row % 17) - 8;
    }
    return new Table(null, null, new String[] {"k", "v", "w"}, new Column[] {Column.of(k), Column.of(v),
        Column.of(w)});
  }

  static DFrame frame() {
    List<Frames.PartitionSource> parts = new ArrayList<>();
    for (int p = 0; p < KINDS.length; p++) {
      int pp = p;
      parts.add(() -> partition(pp));
    }
    return Frames.fromPartitions("mixed", new String[] {"k", "v", "w"}, new ColumnType[] {ColumnType.INT64,
        ColumnType.FLOAT64, ColumnType.FLOAT64}, parts);
  }

  @SpmdTest
  void partitionsChooseRowsOrPartialsByTheirOwnKeys(Session s) {
    for (int p = 0; p < KINDS.length; p++) {
      boolean rows = GroupBy.rowsTravel(partition(p).column("k"));
      // one row is one distinct key: its row travels
      assertEquals(KINDS[p].startsWith("distinct") || KINDS[p].equals("one"), rows, "partition " + p + " (" + KINDS[p]
          + ")");
    }
  }

  @SpmdTest
  void mixedPiecesGiveTheLoopsAndTheTreesAnswers(Session s) {
    List<String> all = List.of("count", "sum", "mean", "var", "std", "min", "max", "first", "last");
    String[] fns = all.toArray(String[]::new);
    Table shuffled = frame().groupby("k").strategy(GroupBy.Strategy.SHUFFLE).agg(fns).compute();
    Table tree = frame().groupby("k").strategy(GroupBy.Strategy.TREE).agg(fns).compute();
    // plain loops over the rows, in partition order
    TreeMap<Long, List<double[]>> byKey = new TreeMap<>();
    for (int p = 0; p < KINDS.length; p++) {
      Table t = partition(p);
      for (int i = 0; i < t.rows(); i++) {
        byKey.computeIfAbsent(t.column("k").getLong(i), x -> new ArrayList<>())
            .add(new double[] {t.column("v").getDouble(i), t.column("w").getDouble(i)});
      }
    }
    assertEquals(byKey.size(), shuffled.rows());
    assertEquals(tree.columnNames(), shuffled.columnNames());
    int g = 0;
    for (Map.Entry<Long, List<double[]>> e : byKey.entrySet()) {
      assertEquals(e.getKey(), shuffled.index().getLong(g), "groups in key order");
      for (int c = 0; c < 2; c++) {
        String col = c == 0 ? "v" : "w";
        double[] ref = reference(e.getValue(), c);
        for (int a = 0; a < all.size(); a++) {
          double got = shuffled.column(col + "_" + all.get(a)).getDouble(g);
          String what = col + "_" + all.get(a) + " of key " + e.getKey();
          near(ref[a], got, 1e-9, what);
          near(tree.column(col + "_" + all.get(a)).getDouble(g), got, 1e-12, "tree: " + what);
        }
      }
      g++;
    }
    Table one = OneRank.run(() -> frame().groupby("k").strategy(GroupBy.Strategy.SHUFFLE).agg(fns).compute());
    for (String c : one.columnNames()) {
      for (int i = 0; i < one.rows(); i++) {
        assertEquals(Double.doubleToRawLongBits(one.column(c).getDouble(i)),
            Double.doubleToRawLongBits(shuffled.column(c).getDouble(i)), "independent of the ranks: " + c + " row " + i);
      }
    }
  }

  static void near(double expected, double got, double rel, String what) {
    if (Double.isNaN(expected)) {
      assertTrue(Double.isNaN(got), what + ": expected NaN, got " + got);
    } else {
      assertEquals(expected, got, rel * Math.max(1, Math.abs(expected)), what);
    }
  }

  /** count, sum, mean, var, std, min, max, first, last of the non-NaN values of column c. */
  static double[] reference(List<double[]> rows, int c) {
    List<Double> v = new ArrayList<>();
    for (double[] r : rows) {
      if (!Double.isNaN(r[c])) {
        v.add(r[c]);
      }
    }
    int n = v.size();
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      sum += x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    double mean = n == 0 ? Double.NaN : sum / n;
    double m2 = 0;
    for (double x : v) {
      m2 += (x - mean) * (x - mean);
    }
    double var = n < 2 ? Double.NaN : m2 / (n - 1);
    return new double[] {n, sum, mean, var, Math.sqrt(var), n == 0 ? Double.NaN : min, n == 0 ? Double.NaN : max,
        n == 0 ? Double.NaN : v.get(0), n == 0 ? Double.NaN : v.get(n - 1)};
  }

  /** Datetime keys whose rows travel: NaT rows are in no group, and keys keep their type. */
  @SpmdTest
  void datetimeKeysWithNatThroughTheRows(Session s) {
    List<Frames.PartitionSource> parts = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      int pp = p;
      parts.add(() -> {
        long[] t = new long[300];
        double[] x = new double[300];
        for (int i = 0; i < 300; i++) {
          t[i] = i % 7 == 3 ? Column.NAT : (pp * 300L + i) % 1000 * 1_000_000_000L;
          x[i] = i;
        }
        return new Table(null, null, new String[] {"t", "x"}, new Column[] {Column.datetimes(t), Column.of(x)});
      });
    }
    DFrame df = Frames.fromPartitions("times", new String[] {"t", "x"}, new ColumnType[] {ColumnType.DATETIME,
        ColumnType.FLOAT64}, parts);
    Table got = df.groupby("t").strategy(GroupBy.Strategy.SHUFFLE).column("x").count().compute();
    Table tree = df.groupby("t").strategy(GroupBy.Strategy.TREE).column("x").count().compute();
    assertEquals(ColumnType.DATETIME, got.index().type());
    assertEquals(tree.rows(), got.rows());
    long total = 0;
    for (int g = 0; g < got.rows(); g++) {
      assertFalse(got.index().isNull(g), "no NaT group");
      assertEquals(tree.index().getLong(g), got.index().getLong(g));
      assertEquals(tree.column("x").getLong(g), got.column("x").getLong(g));
      total += got.column("x").getLong(g);
    }
    assertEquals(4 * (300 - 43), total, "every row with a time is counted once");
    assertTrue(GroupBy.rowsTravel(Column.datetimes(new long[] {1, 2, 3})));
  }
}
