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
      default -> p == 6 ? 9000 : 600; // one partition larger than the sample: its keys are estimated
    };
    long[] k = new long[n];
    double[] v = new double[n];
    double[] w = new double[n];
    long[] m = new long[n];
    boolean[] b = new boolean[n];
    for (int i = 0; i < n; i++) {
      long row = p * 1000L + i;
      // distinct partitions: keys from a range that other partitions share in part (groups span
      // both kinds of piece); repeated ones: 12 keys, some negative
      k[i] = kind.startsWith("distinct") ? (row * 7919) % 50021 - 40 : (i % 12) * 401 - 800;
      v[i] = kind.equals("distinct-nan") && i % 5 == 0 ? Double.NaN : Math.sin(row) * 1e3 + 5e4;
      w[i] = (row % 17) - 8;
      m[i] = row * 31 % 1000 - 500;
      b[i] = row % 3 == 0;
    }
    return new Table(null, null, new String[] {"k", "v", "w", "m", "b"}, new Column[] {Column.of(k), Column.of(v),
        Column.of(w), Column.of(m), Column.of(b)});
  }

  /** The first {@code count} partitions of {@link #KINDS}. */
  static DFrame frame(int count) {
    List<Frames.PartitionSource> parts = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      int pp = p;
      parts.add(() -> partition(pp));
    }
    return Frames.fromPartitions("mixed", new String[] {"k", "v", "w", "m", "b"}, new ColumnType[] {ColumnType.INT64,
        ColumnType.FLOAT64, ColumnType.FLOAT64, ColumnType.INT64, ColumnType.BOOL}, parts);
  }

  static DFrame frame() {
    return frame(KINDS.length);
  }

  @SpmdTest
  void partitionsChooseRowsOrPartialsByTheirOwnKeys(Session s) {
    for (int p = 0; p < KINDS.length; p++) {
      boolean rows = GroupBy.rowsTravel(partition(p).column("k"), 24, 8 * (1 + 2 * 8));
      // one row is one distinct key, and an empty partition has nothing to send either way: rows
      assertEquals(!KINDS[p].equals("repeated"), rows, "partition " + p + " (" + KINDS[p] + ")");
    }
  }

  @SpmdTest
  void mixedPiecesGiveTheLoopsAndTheTreesAnswers(Session s) {
    List<String> all = List.of("count", "sum", "mean", "var", "std", "min", "max", "first", "last");
    String[] fns = all.toArray(String[]::new);
    Table shuffled = frame().select("k", "v", "w").groupby("k").strategy(GroupBy.Strategy.SHUFFLE).agg(fns).compute();
    Table tree = frame().select("k", "v", "w").groupby("k").strategy(GroupBy.Strategy.TREE).agg(fns).compute();
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
    Table one = OneRank.run(() -> frame().select("k", "v", "w").groupby("k").strategy(GroupBy.Strategy.SHUFFLE)
        .agg(fns).compute());
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

  /**
   * One aggregation at a time (pieces of partials then carry only its statistics, packed), over
   * float64, int64 and bool columns, on the 7-partition frame and on a 3-partition one (whose
   * bucket count, one per rank at least, then differs between 1 and 4 or 5 ranks): the tree's
   * answer, and the same bits as one rank.
   */
  @SpmdTest
  void singleAggregationsOverEveryColumnTypeMatchTheTreeAndOneRank(Session s) {
    for (int count : new int[] {KINDS.length, 3}) {
      for (String agg : List.of("count", "sum", "mean", "var", "min", "max", "first", "last")) {
        java.util.function.Supplier<Table> run = () -> frame(count).groupby("k").strategy(GroupBy.Strategy.SHUFFLE)
            .agg(agg).compute();
        Table got = run.get();
        Table tree = frame(count).groupby("k").strategy(GroupBy.Strategy.TREE).agg(agg).compute();
        Table one = OneRank.run(run::get);
        assertEquals(tree.columnNames(), got.columnNames());
        assertEquals(tree.rows(), got.rows(), agg);
        for (String c : got.columnNames()) {
          assertEquals(tree.column(c).type(), got.column(c).type(), agg + " " + c + " keeps pandas' type");
          for (int i = 0; i < got.rows(); i++) {
            String what = count + " partitions, " + c + " row " + i;
            assertEquals(tree.index().getLong(i), got.index().getLong(i), what);
            near(tree.column(c).getDouble(i), got.column(c).getDouble(i), 1e-12, what);
            assertEquals(Double.doubleToRawLongBits(one.column(c).getDouble(i)),
                Double.doubleToRawLongBits(got.column(c).getDouble(i)), "independent of the ranks: " + what);
          }
        }
      }
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
    Table got = df.groupby("t").strategy(GroupBy.Strategy.SHUFFLE).agg("count", "mean", "first", "last").compute();
    Table tree = df.groupby("t").strategy(GroupBy.Strategy.TREE).agg("count", "mean", "first", "last").compute();
    assertEquals(ColumnType.DATETIME, got.index().type());
    assertEquals(tree.rows(), got.rows());
    long total = 0;
    for (int g = 0; g < got.rows(); g++) {
      assertFalse(got.index().isNull(g), "no NaT group");
      assertEquals(tree.index().getLong(g), got.index().getLong(g));
      for (String c : got.columnNames()) {
        assertEquals(tree.column(c).getDouble(g), got.column(c).getDouble(g), 0.0, c + " group " + g);
      }
      total += got.column("x_count").getLong(g);
    }
    assertEquals(4 * (300 - 43), total, "every row with a time is counted once");
    assertTrue(GroupBy.rowsTravel(Column.datetimes(new long[] {1, 2, 3}), 16, 24));
  }
}
