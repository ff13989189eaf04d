package io.rankwise.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The pieces of the rows path of a shuffle groupby: the estimate that chooses it, the flat codec
 * of the row pieces, and the merge of the buckets' sorted runs into the result's order.
 */
class RowsShuffleUnitTest {
  static Column keys(int n, long distinct, long seed) {
    Random r = new Random(seed);
    long[] k = new long[n];
    for (int i = 0; i < n; i++) {
      k[i] = Math.floorMod(r.nextLong(), distinct);
    }
    return Column.of(k);
  }

  /** rowsTravel with a mean's sizes: 16 bytes a row (key, value), 24 a group (key, count, mean). */
  static boolean meanTravels(Column k) {
    return GroupBy.rowsTravel(k, 16, 24);
  }

  @Test
  void theEstimateFollowsTheShareOfDistinctKeys() {
    // 500,000 rows: 1M possible keys leave ~79% distinct (rows), 100k ~20% (partials)
    assertTrue(meanTravels(keys(500_000, 1_000_000, 1)));
    assertFalse(meanTravels(keys(500_000, 100_000, 2)));
    assertFalse(meanTravels(keys(500_000, 200_000, 3))); // ~36%
    assertTrue(meanTravels(keys(500_000, 5_000_000, 4))); // ~95%
    long[] unique = new long[200_000];
    for (int i = 0; i < unique.length; i++) {
      unique[i] = i * 3L - 100_000; // no repeat at all
    }
    assertTrue(meanTravels(Column.of(unique)));
    // small partitions are counted exactly; an empty one sends its (no) rows
    assertTrue(meanTravels(Column.of(new long[] {5, 6, 7, 5})));
    assertFalse(meanTravels(Column.of(new long[] {5, 6, 5, 5})));
    assertTrue(meanTravels(Column.of(new long[0])));
    // keys that repeat in short runs (time series: several rows per timestamp): a sample at a
    // stride would see every key once; random positions find the repeats
    for (int run : new int[] {3, 10, 50}) {
      long[] sorted = new long[1_000_000];
      for (int i = 0; i < sorted.length; i++) {
        sorted[i] = i / run;
      }
      assertFalse(meanTravels(Column.of(sorted)), "keys in sorted runs of " + run);
    }
  }

  @Test
  void theEstimateWeighsTheBytesAndLeavesNullKeysOut() {
    // a count's group is 16 bytes (key, count), as large as a row: rows travel only when almost
    // every row is a group of its own
    assertFalse(GroupBy.rowsTravel(keys(500_000, 600_000, 5), 16, 16)); // ~57% distinct
    assertTrue(GroupBy.rowsTravel(keys(500_000, 5_000_000, 6), 16, 16)); // ~95%
    // NaT keys are in no group: a partition of NaT has nothing to send
    long[] nat = new long[10_000];
    java.util.Arrays.fill(nat, Column.NAT);
    assertFalse(meanTravels(Column.datetimes(nat)));
    for (int i = 0; i < nat.length; i += 4) {
      nat[i] = i; // a quarter of the rows distinct times, the rest NaT: the times are all distinct
    }
    assertTrue(meanTravels(Column.datetimes(nat)));
    assertFalse(meanTravels(Column.of(nat)), "as int64 values, the NaT value is one key of 7,500 rows");
  }

  @Test
  void tablesWithoutStringsTravelFlatAndArriveTheSame() {
    Table.Bulk codec = new Table.Bulk();
    long[] t = {0, Column.NAT, 3_000_000_000L};
    Table withIndex = new Table("when", Column.datetimes(t), new String[] {"a", "é", "c"}, new Column[] {
        Column.of(new double[] {1.5, Double.NaN, -0.0}), Column.of(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}),
        Column.of(new boolean[] {true, false, true})});
    Table empty = new Table(null, null, new String[] {"k"}, new Column[] {Column.of(new long[0])});
    Table named = new Table("idx", null, new String[] {"k"}, new Column[] {Column.of(new long[] {4, 5})});
    Table noColumns = new Table("i", Column.of(new long[] {7, 8, 9}), new String[0], new Column[0]);
    Table floatIndex = new Table(null, Column.of(new double[] {0.5, Double.NaN}), new String[] {"b"},
        new Column[] {Column.of(new boolean[] {false, true})});
    Table boolIndex = new Table("b", Column.of(new boolean[] {true}), new String[] {"x"},
        new Column[] {Column.of(new double[] {1})});
    for (Table in : new Table[] {withIndex, empty, named, noColumns, floatIndex, boolIndex}) {
      assertTrue(codec.accepts(in));
      ByteBuffer buf = ByteBuffer.allocateDirect(codec.size(in) + 8).order(ByteOrder.nativeOrder());
      codec.write(in, buf);
      assertEquals(codec.size(in), buf.position(), "size() is what write() writes");
      buf.flip();
      Table back = codec.read(buf);
      assertEquals(0, buf.remaining());
      assertEquals(in.rows(), back.rows());
      assertEquals(in.indexName(), back.indexName());
      assertEquals(in.columnNames(), back.columnNames());
      assertEquals(in.toString(), back.toString());
      for (String c : in.columnNames()) {
        assertEquals(in.column(c).type(), back.column(c).type());
        for (int i = 0; i < in.rows(); i++) {
          assertEquals(Double.doubleToRawLongBits(in.column(c).getDouble(i)),
              Double.doubleToRawLongBits(back.column(c).getDouble(i)), c + " row " + i);
        }
      }
      if (in.index() != null) {
        assertEquals(in.index().type(), back.index().type());
        for (int i = 0; i < in.rows(); i++) {
          assertEquals(Double.doubleToRawLongBits(in.index().getDouble(i)),
              Double.doubleToRawLongBits(back.index().getDouble(i)), "index row " + i);
        }
      } else {
        assertNull(back.index());
      }
    }
    assertArrayEquals(t, (long[]) withIndex.index().data);
    assertFalse(codec.accepts(new Table(null, null, new String[] {"bad\uD800"},
        new Column[] {Column.of(new long[] {1})})), "a name UTF-8 cannot keep takes Kryo");
    assertFalse(codec.accepts(new Table(null, null, new String[] {"s"},
        new Column[] {Column.strings(new String[] {"x"})})), "strings take Kryo");
  }

  @Test
  void sortedRunsMergeIntoTheOrderOfAFullSort() {
    Random r = new Random(9);
    GroupStats[] parts = new GroupStats[6];
    for (int p = 0; p < parts.length; p++) {
      int n = p == 2 ? 0 : 1 + r.nextInt(300);
      GroupStats g = new GroupStats(1);
      int[] gid = new int[n];
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        long key = (r.nextLong() >> 8) * parts.length + p; // disjoint across parts, negative ones too
        gid[i] = g.idOfLong(key);
        v[i] = r.nextGaussian();
      }
      g.addColumns(gid, new Column[] {Column.of(v)});
      double[] before = new double[g.size()];
      long[] keysBefore = Arrays.copyOf(g.longKeys, g.size());
      for (int i = 0; i < g.size(); i++) {
        before[i] = g.value(i, 0, "mean", 1);
      }
      g.sortByKey();
      for (int i = 1; i < g.size(); i++) {
        assertTrue(g.longKeys[i - 1] < g.longKeys[i], "sorted");
      }
      for (int i = 0; i < keysBefore.length; i++) { // each key keeps its statistics
        assertEquals(before[i], g.value(g.find(keysBefore[i]), 0, "mean", 1));
      }
      parts[p] = g;
    }
    int[][] order = GroupStats.mergeSortedRuns(parts);
    GroupStats all = GroupStats.union(parts);
    int[] ids = all.sortedIds();
    assertEquals(ids.length, order[0].length);
    for (int i = 0; i < ids.length; i++) {
      assertEquals(all.longKeys[ids[i]], parts[order[0][i]].longKeys[order[1][i]], "position " + i);
    }
    // a part that is not sorted: no merge (the caller sorts everything)
    GroupStats unsorted = new GroupStats(1);
    unsorted.idOfLong(5);
    unsorted.idOfLong(-5);
    assertNull(GroupStats.mergeSortedRuns(new GroupStats[] {parts[0], unsorted}));
  }

  /** A bucket's row pieces aggregated in place give the bits of the pieces put together first. */
  @Test
  void rowPiecesAggregateAsTheirConcatenation() {
    Random r = new Random(21);
    java.util.List<Table> pieces = new java.util.ArrayList<>();
    for (int p = 0; p < 5; p++) {
      int n = p == 2 ? 0 : 50 + r.nextInt(300);
      long[] k = new long[n];
      double[] v = new double[n];
      long[] m = new long[n];
      boolean[] b = new boolean[n];
      for (int i = 0; i < n; i++) {
        k[i] = r.nextInt(9) == 0 ? Column.NAT : r.nextInt(120) - 60;
        v[i] = r.nextInt(7) == 0 ? Double.NaN : r.nextGaussian() * 1e6 + 3;
        m[i] = r.nextLong() >> 20;
        b[i] = r.nextBoolean();
      }
      pieces.add(new Table(null, null, new String[] {"t", "v", "m", "b"}, new Column[] {Column.datetimes(k),
          Column.of(v), Column.of(m), Column.of(b)}));
    }
    java.util.List<String> values = java.util.List.of("v", "m", "b");
    java.util.List<String> all = java.util.List.of("count", "sum", "mean", "var", "std", "min", "max", "first", "last");
    int slots = GroupStats.slotsFor(all);
    GroupStats inPlace = GroupBy.rowsPartial(pieces, "t", values, slots);
    GroupStats together = GroupBy.partial(Table.concat(pieces), new String[] {"t"}, values, java.util.List.of(), slots);
    assertEquals(together.size(), inPlace.size());
    for (int g = 0; g < together.size(); g++) {
      assertEquals(together.key(g), inPlace.key(g), "groups in the same order");
      for (int c = 0; c < values.size(); c++) {
        for (String agg : all) {
          assertEquals(Double.doubleToRawLongBits(together.value(g, c, agg, 1)),
              Double.doubleToRawLongBits(inPlace.value(g, c, agg, 1)), agg + " of " + values.get(c) + ", group " + g);
        }
      }
    }
  }

  /**
   * A partition's partial made piece by piece (rows cut by bucket first) is its whole partial
   * split: the same groups in the same order with the same bits, for every aggregation, with NaT
   * keys, NaN values, an empty partition and more buckets than keys.
   */
  @Test
  void partialsOfCutRowsAreTheSplitPartial() {
    Random r = new Random(33);
    java.util.List<String> values = java.util.List.of("v", "m", "b");
    for (java.util.List<String> aggs : java.util.List.of(java.util.List.of("mean"), java.util.List.of("sum", "max"),
        java.util.List.of("count", "sum", "mean", "var", "std", "min", "max", "first", "last"))) {
      int slots = GroupStats.slotsFor(aggs);
      for (int n : new int[] {0, 7, 3000}) {
        long[] k = new long[n];
        double[] v = new double[n];
        long[] m = new long[n];
        boolean[] b = new boolean[n];
        for (int i = 0; i < n; i++) {
          k[i] = r.nextInt(11) == 0 ? Column.NAT : r.nextInt(900) - 450;
          v[i] = r.nextInt(7) == 0 ? Double.NaN : r.nextGaussian() * 1e6 + 3;
          m[i] = r.nextLong() >> 20;
          b[i] = r.nextBoolean();
        }
        for (boolean int64 : new boolean[] {false, true}) {
        // an int64 key has no null: Long.MIN_VALUE (NaT's bits) is a key like any other there;
        // the key is also a value, and a datetime column is one
        Column key = int64 ? Column.of(k) : Column.datetimes(k);
        Table t = new Table(null, null, new String[] {"t", "v", "m", "b", "w"}, new Column[] {key,
            Column.of(v), Column.of(m), Column.of(b), Column.datetimes(m.clone())});
        java.util.List<String> vals = int64 ? java.util.List.of("v", "m", "b", "t", "w") : values;
        for (int buckets : new int[] {1, 5, 40}) {
          GroupStats[] split = GroupBy.partial(t, new String[] {"t"}, vals, java.util.List.of(), slots).split(buckets);
          Object[] cut = GroupBy.cutPartials(t, int64 ? new String[] {"t", "v", "m", "b", "w"}
              : new String[] {"t", "v", "m", "b"}, "t", vals, slots, buckets);
          assertEquals(buckets, cut.length);
          for (int bk = 0; bk < buckets; bk++) {
            GroupStats want = split[bk];
            GroupStats got = (GroupStats) cut[bk];
            String where = aggs + (int64 ? ", int64 key, " : ", datetime key, ") + n + " rows, bucket " + bk + " of "
                + buckets;
            assertEquals(want.size(), got.size(), where);
            for (int g = 0; g < want.size(); g++) {
              assertEquals(want.key(g), got.key(g), where + ": groups in the same order");
              for (int c = 0; c < vals.size(); c++) {
                for (String agg : aggs) {
                  assertEquals(Double.doubleToRawLongBits(want.value(g, c, agg, 1)),
                      Double.doubleToRawLongBits(got.value(g, c, agg, 1)), where + ": " + agg + " of " + vals.get(c));
                }
              }
            }
            java.nio.ByteBuffer a = ByteBuffer.allocate(new GroupStats.Bulk().size(want)).order(ByteOrder.nativeOrder());
            java.nio.ByteBuffer z = ByteBuffer.allocate(new GroupStats.Bulk().size(got)).order(ByteOrder.nativeOrder());
            new GroupStats.Bulk().write(want, a);
            new GroupStats.Bulk().write(got, z);
            assertArrayEquals(a.array(), z.array(), where + ": the same bytes travel");
          }
        }
        if (int64 && n > 0) { // Long.MIN_VALUE rows form a group of their own on the int64 key
          long nats = Arrays.stream(k).filter(x -> x == Column.NAT).count();
          GroupStats whole = GroupBy.partial(t, new String[] {"t"}, vals, java.util.List.of(), slots);
          int g = whole.find(Column.NAT);
          assertEquals(nats > 0, g >= 0, "Long.MIN_VALUE is a key");
          if (g >= 0) {
            assertEquals((double) nats, whole.value(g, 1, "count", 1), "all its rows (of m, never null)");
          }
        }
        }
      }
    }
  }

  /**
   * Packed pieces merged as they travelled give the bits of the same pieces unpacked, merged
   * statistic by statistic, for every set of aggregations.
   */
  @Test
  void packedPiecesMergeAsUnpackedOnes() {
    Random r = new Random(71);
    java.util.List<String> values = java.util.List.of("v", "m");
    for (java.util.List<String> aggs : java.util.List.of(java.util.List.of("mean"), java.util.List.of("count"),
        java.util.List.of("std", "first"), java.util.List.of("sum", "min", "max", "last"),
        java.util.List.of("count", "sum", "mean", "var", "std", "min", "max", "first", "last"))) {
      int slots = GroupStats.slotsFor(aggs);
      Object[] packed = new Object[6];
      Object[] unpacked = new Object[6];
      for (int p = 0; p < packed.length; p++) {
        int n = p == 3 ? 0 : 200 + r.nextInt(400);
        long[] k = new long[n];
        double[] v = new double[n];
        long[] m = new long[n];
        for (int i = 0; i < n; i++) {
          k[i] = r.nextInt(150);
          v[i] = r.nextInt(6) == 0 ? Double.NaN : r.nextGaussian() * 1e3 + 7;
          m[i] = r.nextInt(1000) - 500;
        }
        Table t = new Table(null, null, new String[] {"k", "v", "m"}, new Column[] {Column.of(k), Column.of(v),
            Column.of(m)});
        packed[p] = GroupBy.partial(t, new String[] {"k"}, values, java.util.List.of(), slots).split(1)[0];
        GroupStats u = GroupBy.partial(t, new String[] {"k"}, values, java.util.List.of(), slots).split(1)[0];
        u.unpack();
        unpacked[p] = u;
      }
      GroupStats a = GroupStats.combine(packed);
      GroupStats b = GroupStats.combine(unpacked);
      assertEquals(b.size(), a.size());
      for (int g = 0; g < a.size(); g++) {
        assertEquals(b.key(g), a.key(g));
        for (int c = 0; c < values.size(); c++) {
          for (String agg : aggs) {
            assertEquals(Double.doubleToRawLongBits(b.value(g, c, agg, 1)), Double.doubleToRawLongBits(a.value(g, c, agg, 1)),
                aggs + ": " + agg + " of " + values.get(c) + ", group " + g);
          }
        }
      }
    }
  }

  /**
   * Dealing rows out by bucket in one pass gives each bucket's rows as taking them would: every
   * column type (strings keep their dictionary), a string index or none, a bucket no row goes
   * to, and columns whose arrays are longer than their rows.
   */
  @Test
  void scatterIsTakePerBucket() {
    Random r = new Random(5);
    int n = 500;
    long[] l = new long[n + 7]; // longer than the column: only its first n rows count
    double[] d = new double[n];
    boolean[] b = new boolean[n];
    String[] s = new String[n];
    String[] ix = new String[n];
    int[] bucket = new int[n];
    int buckets = 5; // bucket 3 gets no row
    int[] count = new int[buckets];
    for (int i = 0; i < n; i++) {
      l[i] = r.nextLong();
      d[i] = r.nextInt(9) == 0 ? Double.NaN : r.nextDouble();
      b[i] = r.nextBoolean();
      s[i] = r.nextInt(8) == 0 ? null : "s" + r.nextInt(30);
      ix[i] = "row" + i;
      int k = r.nextInt(buckets) - 1;
      bucket[i] = k == 3 ? 4 : k;
      if (bucket[i] >= 0) {
        count[bucket[i]]++;
      }
    }
    Column longs = new Column(ColumnType.INT64, l, null, n);
    Column[] cols = {longs, Column.of(d), Column.of(b), Column.strings(s), Column.datetimes(Arrays.copyOf(l, n))};
    String[] names = {"l", "d", "b", "s", "t"};
    for (Table t : new Table[] {new Table(null, null, names, cols), new Table("ix", Column.strings(ix), names, cols)}) {
      Table[] out = t.scatter(bucket, count);
      assertEquals(buckets, out.length);
      assertEquals(0, out[3].rows(), "a bucket no row goes to is empty");
      for (int bk = 0; bk < buckets; bk++) {
        int want = bk;
        Table expected = t.take(java.util.stream.IntStream.range(0, n).filter(i -> bucket[i] == want).toArray());
        assertEquals(expected.rows(), out[bk].rows(), "bucket " + bk);
        assertEquals(expected.indexName(), out[bk].indexName());
        java.util.List<Column[]> pairs = new java.util.ArrayList<>();
        if (t.index() != null) {
          pairs.add(new Column[] {expected.index(), out[bk].index()});
        }
        for (String c : names) {
          pairs.add(new Column[] {expected.column(c), out[bk].column(c)});
        }
        for (Column[] p : pairs) {
          assertEquals(p[0].type(), p[1].type());
          assertEquals(p[0].size(), p[1].size());
          if (p[0].type() == ColumnType.STRING) {
            assertArrayEquals(p[0].dictionary, p[1].dictionary, "the dictionary, as take keeps it");
          }
          for (int i = 0; i < p[0].size(); i++) {
            assertEquals(p[0].format(i), p[1].format(i), "bucket " + bk + ", row " + i);
            if (p[0].type() == ColumnType.FLOAT64) {
              assertEquals(Double.doubleToRawLongBits(p[0].getDouble(i)), Double.doubleToRawLongBits(p[1].getDouble(i)));
            }
          }
        }
      }
    }
  }

  @Test
  void cutKeepsRowOrderAndDropsRowsRoutedNowhere() {
    Table t = new Table(null, null, new String[] {"x"}, new Column[] {Column.of(new long[] {10, 11, 12, 13, 14})});
    Table[] out = Shuffle.cut(t, x -> new int[] {1, -1, 0, 1, -1}, 2);
    assertArrayEquals(new long[] {12}, (long[]) out[0].column("x").data);
    assertArrayEquals(new long[] {10, 13}, (long[]) out[1].column("x").data);
    org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> Shuffle.cut(t, x -> new int[] {0, -2, 0, 0, 0}, 2), "a router's bad bucket is an error, not a lost row");
    Table nat = new Table(null, null, new String[] {"t"}, new Column[] {Column.datetimes(new long[] {5, Column.NAT, 6})});
    int rows = 0;
    for (Object piece : GroupBy.cutRows(nat, new String[] {"t"}, "t", 3)) {
      rows += ((Table) piece).rows();
    }
    assertEquals(2, rows, "the NaT row travels nowhere");
  }

  @Test
  void aStatisticThatWasNotSentIsAnError() {
    GroupStats g = new GroupStats(1);
    g.slots = GroupStats.slotsFor(java.util.List.of("mean"));
    int[] gid = {g.idOfLong(1), g.idOfLong(2)};
    g.addColumns(gid, new Column[] {Column.of(new double[] {1, 2})});
    GroupStats piece = g.split(1)[0];
    assertEquals(1.0, piece.value(0, 0, "mean", 1));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> piece.value(0, 0, "max", 1));
  }
}
