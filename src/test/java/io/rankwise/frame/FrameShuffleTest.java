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
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shuffling operators at a few thousand rows over 11 partitions (empty and short partitions
 * included): merge, sortValues, setIndex, dropDuplicates, tail and describe against naive
 * references over the computed rows, and bit for bit equal to a one-rank run.
 */
@SpmdRanks(mpi = {1, 2, 4, 5}, local = {1, 3})
class FrameShuffleTest extends SpmdTestCase {
  static DFrame small() {
    return FrameSpmdTest.small();
  }

  /** A second frame keyed by id: 11 partitions, some ids absent, some repeated. */
  static DFrame byId() {
    DFrame df = Datasets.timeseries("2000-02-01", "2000-02-02", "10min", "3h", 9);
    return df.filter(df.col("x").gt(-0.5)).select("id", "y").rename(Map.of("y", "w"));
  }

  static List<String> rows(Table t) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < t.rows(); i++) {
      StringBuilder sb = new StringBuilder(t.index() == null ? "" : t.index().format(i));
      for (String c : t.columnNames()) {
        sb.append('|').append(t.column(c).format(i));
      }
      out.add(sb.toString());
    }
    return out;
  }

  /**
   * Exchanges in rounds of at most 2 KiB per rank (one value per destination when a value is
   * larger) give the same bits as one round, and do go in several rounds on several ranks.
   */
  @SpmdTest
  void exchangesInSmallRoundsGiveTheSameAnswers(Session s) {
    java.util.function.Supplier<List<List<String>>> all = () -> List.of(
        rows(FrameSpmdTest.manyGroups().groupby("k").strategy(GroupBy.Strategy.SHUFFLE).column("v").std().compute()),
        rows(small().sortValues("x").compute()),
        rows(small().merge(byId(), "outer", "id").compute()),
        rows(small().dropDuplicates("name").compute()),
        // 3 partitions: on 4 and 5 ranks some ranks own none and only receive
        rows(Datasets.timeseries("2000-01-01", "2000-01-01T09:00", "1min", "3h", 3).groupby("id")
            .strategy(GroupBy.Strategy.SHUFFLE).column("x").std().compute()));
    List<List<String>> oneRound = all.get();
    String key = "rankwise.exchangeRoundBytes";
    String before = System.getProperty(key);
    List<List<String>> rounds;
    int most = 0;
    // on the local backend the ranks share one JVM's properties: every rank reads the old value
    // before any sets the new one, and restores it only after all are done
    s.comm().barrier();
    System.setProperty(key, "2048");
    try {
      rounds = all.get();
      FrameSpmdTest.manyGroups().groupby("k").strategy(GroupBy.Strategy.SHUFFLE).column("v").sum().compute();
      for (var step : io.rankwise.graph.Scheduler.lastStats(s).steps) {
        most = Math.max(most, step.rounds());
      }
    } finally {
      s.comm().barrier();
      if (before == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, before);
      }
    }
    assertEquals(oneRound, rounds);
    if (s.size() > 1) {
      assertTrue(most > 1, "rounds of the shuffle: " + most);
    }
  }

  @SpmdTest
  void mergeMatchesANestedLoopAndAOneRankRun(Session s) {
    Table l = small().compute();
    Table r = byId().compute();
    Map<Long, List<Integer>> right = new HashMap<>();
    for (int j = 0; j < r.rows(); j++) {
      right.computeIfAbsent(r.column("id").getLong(j), k -> new ArrayList<>()).add(j);
    }
    long inner = 0;
    long leftOnly = 0;
    double wsum = 0;
    for (int i = 0; i < l.rows(); i++) {
      List<Integer> m = right.getOrDefault(l.column("id").getLong(i), List.of());
      inner += m.size();
      leftOnly += m.isEmpty() ? 1 : 0;
      for (int j : m) {
        wsum += r.column("w").getDouble(j);
      }
    }
    assertTrue(inner > 1000 && leftOnly > 100, "matched and unmatched rows: " + inner + ", " + leftOnly);
    for (boolean broadcast : new boolean[] {false, true}) {
      Table got = small().merge(byId(), Join.on("id").how("left").broadcast(broadcast)).compute();
      assertEquals(inner + leftOnly, got.rows());
      double gw = 0;
      long nulls = 0;
      for (int i = 0; i < got.rows(); i++) {
        double w = got.column("w").getDouble(i);
        nulls += Double.isNaN(w) ? 1 : 0;
        gw += Double.isNaN(w) ? 0 : w;
      }
      assertEquals(leftOnly, nulls);
      assertEquals(wsum, gw, 1e-9 * Math.abs(wsum) + 1e-9);
    }
    Table here = small().merge(byId(), "outer", "id").compute();
    Table one = OneRank.run(() -> small().merge(byId(), "outer", "id").compute());
    assertEquals(rows(one), rows(here));
  }

  @SpmdTest
  void sortValuesIsAStableSortAndSetIndexKnowsItsDivisions(Session s) {
    Table all = small().compute();
    Table sorted = small().sortValues("id").compute();
    assertEquals(all.rows(), sorted.rows());
    // reference: a stable sort of the computed rows by id
    Integer[] idx = new Integer[all.rows()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Long.compare(all.column("id").getLong(a), all.column("id").getLong(b)));
    Table ref = all.take(Arrays.stream(idx).mapToInt(Integer::intValue).toArray());
    assertEquals(rows(ref), rows(sorted));

    DFrame indexed = small().setIndex("id");
    long[] d = indexed.divisions();
    assertEquals(indexed.npartitions() + 1, d.length);
    assertTrue(indexed.npartitions() > 1);
    for (int p = 0; p < indexed.npartitions(); p++) {
      Table part = (Table) new io.rankwise.graph.Outputs(indexed.layer(), List.of(indexed.key(p)))
          .compute(io.rankwise.graph.ComputeOptions.DEFAULT)[0];
      for (int i = 0; i < part.rows(); i++) {
        long v = part.index().getLong(i);
        assertTrue(v >= d[p] && (v < d[p + 1] || (p == indexed.npartitions() - 1 && v == d[p + 1])),
            "partition " + p + " holds " + v + " outside " + d[p] + ".." + d[p + 1]);
      }
    }
    Table desc = small().sortValues(new String[] {"name", "x"}, new boolean[] {true, false}).compute();
    for (int i = 1; i < desc.rows(); i++) {
      int c = desc.column("name").getString(i - 1).compareTo(desc.column("name").getString(i));
      assertTrue(c < 0 || (c == 0 && desc.column("x").getDouble(i - 1) >= desc.column("x").getDouble(i)));
    }
    assertEquals(rows(OneRank.run(() -> small().sortValues("x").compute())), rows(small().sortValues("x").compute()));
  }

  @SpmdTest
  void dropDuplicatesTailAndDescribeMatchReferences(Session s) {
    Table all = small().compute();
    Set<String> seen = new HashSet<>();
    List<String> firsts = new ArrayList<>();
    for (int i = 0; i < all.rows(); i++) {
      String k = all.column("name").getString(i) + "/" + all.column("id").getLong(i);
      if (seen.add(k)) {
        firsts.add(all.index().format(i) + "|" + all.column("id").format(i) + "|" + all.column("name").format(i));
      }
    }
    Table d = small().dropDuplicates("name", "id").select("id", "name").compute();
    assertEquals(firsts, rows(d));

    Table tail = small().tail(700); // more than the last partition holds
    assertEquals(rows(all.tail(700)), rows(tail));

    Table desc = small().describe();
    assertEquals(List.of("id", "x", "y"), desc.columnNames());
    double[] x = new double[all.rows()];
    for (int i = 0; i < x.length; i++) {
      x[i] = all.column("x").getDouble(i);
    }
    Arrays.sort(x);
    double pos = 0.25 * (x.length - 1);
    int lo = (int) Math.floor(pos);
    double q25 = x[lo] + (x[lo + 1] - x[lo]) * (pos - lo);
    assertEquals(x.length, desc.column("x").getDouble(0));
    assertEquals(q25, desc.column("x").getDouble(4), 1e-15);
    assertEquals(x[(x.length - 1) / 2] + (x[x.length / 2] - x[(x.length - 1) / 2]) * 0.5, desc.column("x").getDouble(5),
        1e-15);
    assertEquals(x[0], desc.column("x").getDouble(3));
    assertEquals(x[x.length - 1], desc.column("x").getDouble(7));
    Table q = small().quantile(new double[] {0, 0.5, 1}, "x", "y");
    assertArrayEquals(new double[] {x[0], desc.column("x").getDouble(5), x[x.length - 1]},
        new double[] {q.column("x").getDouble(0), q.column("x").getDouble(1), q.column("x").getDouble(2)});
  }

  /**
   * Shuffled string columns carry only the dictionary entries of their rows: a sort over unique
   * strings moves bytes in proportion to the rows, not to partitions x buckets x dictionary (each
   * piece used to carry its whole partition's dictionary).
   */
  @SpmdTest
  void shuffledStringsCarryOnlyTheirOwnDictionary(Session s) {
    int parts = 6;
    int rows = 2000;
    List<Frames.PartitionSource> src = new ArrayList<>();
    long textBytes = 0;
    for (int p = 0; p < parts; p++) {
      int pp = p;
      src.add(() -> {
        String[] v = new String[rows];
        double[] x = new double[rows];
        for (int i = 0; i < rows; i++) {
          v[i] = "name-" + ((pp * rows + i) * 7919L % (parts * rows));
          x[i] = i;
        }
        return new Table(null, null, new String[] {"s", "x"}, new Column[] {Column.strings(v), Column.of(x)});
      });
      for (int i = 0; i < rows; i++) {
        textBytes += ("name-" + ((p * rows + i) * 7919L % (parts * rows))).length();
      }
    }
    DFrame df = Frames.fromPartitions("strs", new String[] {"s", "x"}, new ColumnType[] {ColumnType.STRING,
        ColumnType.FLOAT64}, src);
    Table sorted = df.sortValues("s").compute();
    var steps = io.rankwise.graph.Scheduler.lastStats(s).steps;
    long[] sent = {steps.get(0).bytesSent()}; // the shuffle (the last step sends the sorted rows to every rank)
    s.comm().allReduce(sent, io.rankwise.comm.ReduceOp.SUM);
    assertEquals(parts * rows, sorted.rows());
    for (int i = 1; i < sorted.rows(); i++) {
      assertTrue(sorted.column("s").getString(i - 1).compareTo(sorted.column("s").getString(i)) < 0, "row " + i);
    }
    long data = textBytes + 16L * parts * rows; // each string, its code and its x
    assertTrue(sent[0] <= 2 * data, "bytes moved " + sent[0] + " for " + data + " bytes of rows");
  }
}
