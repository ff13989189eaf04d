package io.rankwise.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Sorting by one key compares the column's arrays directly: the same stable order as the general
 * row comparison, for every type, both directions, with nulls (last either way), ties, -0.0 and
 * 0.0, and dictionaries with repeated entries.
 */
class SortOneKeyTest {
  static int[] general(Sort.Order o, Table t) {
    Column[] k = o.keys(t);
    int[] idx = new int[t.rows()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Sort.mergeSort(idx, new int[idx.length], 0, idx.length, (x, y) -> o.compare(k, x, k, y));
    return idx;
  }

  @Test
  void oneKeyOrdersAsTheGeneralComparison() {
    Random r = new Random(5);
    int n = 3000;
    long[] ints = new long[n];
    long[] times = new long[n];
    double[] doubles = new double[n];
    int[] codes = new int[n];
    String[] dict = {"b", "a", "é", "a", "", "B", "名"}; // "a" twice: two codes, one value
    boolean[] bools = new boolean[n];
    for (int i = 0; i < n; i++) {
      ints[i] = r.nextInt(50) - 25;
      times[i] = r.nextInt(8) == 0 ? Column.NAT : r.nextInt(40) * 1_000L;
      int d = r.nextInt(10);
      doubles[i] = d == 0 ? Double.NaN : d == 1 ? -0.0 : d == 2 ? 0.0 : r.nextInt(20) - 10.5;
      codes[i] = r.nextInt(9) == 0 ? -1 : r.nextInt(dict.length);
      bools[i] = r.nextBoolean();
    }
    Table t = new Table(null, null, new String[] {"i", "t", "d", "s", "b"}, new Column[] {Column.of(ints),
        Column.datetimes(times), Column.of(doubles), Column.strings(codes, dict), Column.of(bools)});
    for (String key : t.columnNames()) {
      for (boolean asc : new boolean[] {true, false}) {
        Sort.Order o = new Sort.Order(new String[] {key}, new boolean[] {asc});
        assertArrayEquals(general(o, t), o.sorted(t), key + (asc ? " ascending" : " descending"));
      }
    }
  }
}
