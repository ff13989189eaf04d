package io.rankwise.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.graph.ComputeOptions;
import io.rankwise.graph.Scheduler;
import io.rankwise.runtime.Session;
import io.rankwise.testing.SpmdRanks;
import io.rankwise.testing.SpmdTest;
import io.rankwise.testing.SpmdTestCase;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Column pruning: a source that can read fewer columns is asked only for the columns the
 * computation reads, and the answers equal those of a source that always reads all columns.
 */
@SpmdRanks(mpi = {2, 7}, local = {1, 3})
class PruningTest extends SpmdTestCase {
  private static final String[] NAMES = {"a", "b", "c", "d"};
  private static final ColumnType[] TYPES = {ColumnType.STRING, ColumnType.FLOAT64, ColumnType.FLOAT64,
      ColumnType.INT64};
  private static final int PARTS = 5;

  /** Partition p: 40 rows of (a = one of 3 words, b, c in [-1, 1), d = row number), only the asked columns. */
  static Table partition(int p, Set<String> cols) {
    java.util.Random r = new java.util.Random(p);
    int n = 40;
    String[] a = new String[n];
    double[] b = new double[n];
    double[] c = new double[n];
    long[] d = new long[n];
    for (int i = 0; i < n; i++) {
      a[i] = List.of("x", "y", "z").get(r.nextInt(3));
      b[i] = r.nextDouble() * 2 - 1;
      c[i] = r.nextDouble() * 2 - 1;
      d[i] = p * 1000L + i;
    }
    Column[] all = {Column.strings(a), Column.of(b), Column.of(c), Column.of(d)};
    List<String> names = new ArrayList<>();
    List<Column> columns = new ArrayList<>();
    for (int k = 0; k < NAMES.length; k++) {
      if (cols == null || cols.contains(NAMES[k])) {
        names.add(NAMES[k]);
        columns.add(all[k]);
      }
    }
    return new Table(null, null, names.toArray(String[]::new), columns.toArray(Column[]::new));
  }

  /** The columns each read asked for ("*" for all), in the order this rank read them. */
  static final class Reads {
    final ConcurrentLinkedQueue<String> asked = new ConcurrentLinkedQueue<>();

    DFrame frame() {
      List<Frames.ColumnSource> sources = new ArrayList<>();
      for (int p = 0; p < PARTS; p++) {
        int pp = p;
        sources.add(cols -> {
          asked.add(cols == null ? "*" : String.join(",", new TreeSet<>(cols)));
          return partition(pp, cols);
        });
      }
      return Frames.fromColumnSources("test-read", NAMES, TYPES, sources);
    }

    /** What the reads of the last compute(s) asked for, then forgotten. */
    Set<String> take() {
      Set<String> out = new TreeSet<>(asked);
      asked.clear();
      return out;
    }
  }

  static DFrame whole() {
    List<Frames.PartitionSource> sources = new ArrayList<>();
    for (int p = 0; p < PARTS; p++) {
      int pp = p;
      sources.add(() -> partition(pp, null));
    }
    return Frames.fromPartitions("test-whole", NAMES, TYPES, sources);
  }

  @SpmdTest
  void aFilteredGroupbyReadsItsKeysValuesAndTheMaskColumn(Session s) {
    Reads reads = new Reads();
    DFrame df = reads.frame();
    Table got = df.filter(df.col("c").gt(0)).groupby("a").column("b").mean().compute();
    Set<String> asked = reads.take();
    // every rank reads at least one partition when it has one (ranks beyond the partitions read none)
    assertTrue(asked.isEmpty() || asked.equals(Set.of("a,b,c")), asked.toString());
    DFrame w = whole();
    assertEquals(w.filter(w.col("c").gt(0)).groupby("a").column("b").mean().compute().toString(), got.toString());

    java.util.Map<String, String> spec = new java.util.LinkedHashMap<>();
    spec.put("d", "sum");
    spec.put("b", "max");
    Table sums = df.groupby("a").agg(spec).compute();
    assertTrue(Set.of("a,b,d").containsAll(reads.take()));
    assertEquals(w.groupby("a").agg(spec).compute().toString(), sums.toString());

    assertEquals(w.select("d").compute().toString(), df.select("d").compute().toString());
    assertTrue(Set.of("d").containsAll(reads.take()));
  }

  @SpmdTest
  void dropnaOfASubsetAndFillnaPassOnWhatTheirConsumersRead(Session s) {
    Reads reads = new Reads();
    DFrame df = reads.frame();
    DFrame w = whole();
    assertEquals(w.dropna("c").groupby("a").column("b").sum().compute().toString(),
        df.dropna("c").groupby("a").column("b").sum().compute().toString());
    assertTrue(Set.of("a,b,c").containsAll(reads.take()), "keys, values and the subset");
    assertEquals(w.fillna(0).select("b").compute().toString(), df.fillna(0).select("b").compute().toString());
    assertTrue(Set.of("b").containsAll(reads.take()));
    df.dropna().select("b").compute();
    assertTrue(Set.of("a,b,c,d").containsAll(reads.take()), "dropna of every column reads every column");
  }

  @SpmdTest
  void countsAndStatisticsReadOnlyWhatTheyNeed(Session s) {
    Reads reads = new Reads();
    DFrame df = reads.frame();
    DFrame w = whole();
    assertEquals(w.filter(w.col("c").gt(0)).length(), df.filter(df.col("c").gt(0)).length());
    assertTrue(Set.of("c").containsAll(reads.take()), "a row count of a filtered frame reads the mask's column");
    assertEquals(w.quantile(new double[] {0.5}, "b").toString(), df.quantile(new double[] {0.5}, "b").toString());
    assertTrue(Set.of("b").containsAll(reads.take()));
    assertEquals(w.describe().toString(), df.describe().toString());
    assertTrue(Set.of("b,c,d").containsAll(reads.take()), "describe: the numeric columns");
  }

  @SpmdTest
  void aResampleReadsItsNumericColumns(Session s) {
    Reads reads = new Reads();
    List<Frames.ColumnSource> sources = new ArrayList<>();
    for (int p = 0; p < PARTS; p++) {
      int pp = p;
      sources.add(cols -> {
        reads.asked.add(cols == null ? "*" : String.join(",", new TreeSet<>(cols)));
        Table t = partition(pp, cols);
        long[] ts = new long[t.rows()];
        for (int i = 0; i < ts.length; i++) {
          ts[i] = (pp * 40L + i) * 600_000_000_000L; // every 10 minutes
        }
        return new Table("t", Column.datetimes(ts), t.names, t.columns);
      });
    }
    DFrame df = Frames.fromColumnSources("test-ts", "t", ColumnType.DATETIME, NAMES, TYPES, sources);
    Table got = df.select("b", "c").resample("1h").mean().compute();
    assertTrue(Set.of("b,c").containsAll(reads.take()));
    Table all = df.resample("1h").mean().compute(); // every numeric column: b, c, d (a is text)
    assertTrue(Set.of("b,c,d").containsAll(reads.take()));
    assertEquals(all.select("b", "c").toString(), got.toString());
  }

  /**
   * timeseries partitions hold only the columns a computation reads, with the values of whole
   * ones: the seed's workflows give the answers of the same workflows over an opaque function of
   * the partitions (which reads every column, so nothing below it is pruned).
   */
  @SpmdTest
  void timeseriesPartitionsHoldOnlyWhatIsReadWithTheSameValues(Session s) {
    DFrame ts = Datasets.timeseries("2000-01-01", "2000-01-03", "1min", "6h", 11);
    DFrame whole = ts.mapPartitions("whole", ts.columns().toArray(String[]::new), ts.types.clone(), t -> {
      assertEquals(List.of("id", "name", "x", "y"), t.columnNames(), "an opaque function gets every column");
      return t;
    });
    Table std = ts.filter(ts.col("y").gt(0)).groupby("name").column("x").std().compute();
    Table stdWhole = whole.filter(whole.col("y").gt(0)).groupby("name").column("x").std().compute();
    assertEquals(stdWhole.toString(), std.toString());
    Table hourly = ts.select("x", "y").resample("1h").mean().compute();
    Table hourlyWhole = whole.select("x", "y").resample("1h").mean().compute();
    assertEquals(hourlyWhole.toString(), hourly.toString());
    assertEquals(List.of("x"), ts.select("x").head(3).columnNames());
    java.util.Map<String, String> spec = new java.util.LinkedHashMap<>();
    spec.put("id", "sum");
    spec.put("y", "max");
    assertEquals(whole.groupby("name").agg(spec).compute().toString(), ts.groupby("name").agg(spec).compute().toString());
  }

  @SpmdTest
  void whatIsComputedWholeOrByAnOpaqueFunctionReadsEveryColumn(Session s) {
    Reads reads = new Reads();
    DFrame df = reads.frame();
    DFrame kept = df.filter(df.col("c").gt(0));
    assertEquals(4, kept.compute().columnNames().size());
    assertFalse(reads.take().stream().anyMatch(a -> !a.equals("*")), "a computed frame has all its columns");

    // a sort has no projection: everything below it reads all columns
    Table t = df.sortValues("d").groupby("a").column("b").sum().compute();
    assertTrue(Set.of("*").containsAll(reads.take()));
    DFrame w = whole();
    assertEquals(w.sortValues("d").groupby("a").column("b").sum().compute().toString(), t.toString());

    // rename passes on what is read downstream, under the old names
    Table r = df.rename(java.util.Map.of("b", "bb")).groupby("a").column("bb").sum().compute();
    assertTrue(Set.of("a,b").containsAll(reads.take()));
    assertEquals(w.rename(java.util.Map.of("b", "bb")).groupby("a").column("bb").sum().compute().toString(),
        r.toString());
    java.util.Map<String, String> swap = java.util.Map.of("b", "c", "c", "b"); // names swapped
    Table sw = df.rename(swap).select("b").compute();
    assertTrue(Set.of("c").containsAll(reads.take()), "new b is old c");
    Table oldC = w.select("c").compute();
    assertEquals(List.of("b"), sw.columnNames());
    assertEquals(oldC.rows(), sw.rows());
    for (int i = 0; i < sw.rows(); i++) {
      assertEquals(oldC.column("c").getDouble(i), sw.column("b").getDouble(i), 0.0, "row " + i);
    }

    // two results of one compute share the read: it gives the union of what they read
    DFrame cb = df.select("c", "b");
    Aggregation max = df.groupby("a").column("b").max(); // (its strategy estimate reads a and b of one partition)
    assertTrue(Set.of("a,b").containsAll(reads.take()));
    Object[] both = Scheduler.compute(List.of(max, cb), ComputeOptions.DEFAULT);
    assertTrue(Set.of("a,b,c").containsAll(reads.take()));
    assertEquals(w.select("c", "b").compute().toString(), both[1].toString());
  }
}
