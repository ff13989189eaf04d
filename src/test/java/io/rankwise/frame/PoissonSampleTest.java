package io.rankwise.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The timeseries id column's Poisson(1000) draw: the guide table gives exactly the binary search's values. */
class PoissonSampleTest {
  private static void same(double u) {
    assertEquals(Datasets.Poisson1000.sampleBySearch(u), Datasets.Poisson1000.sample(u), "u = " + u);
  }

  @Test
  void theGuideTableFindsWhatTheSearchFinds() {
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < 1_000_000; i++) {
      same(r.nextDouble());
    }
    for (int i = 0; i < Datasets.Poisson1000.size(); i++) { // every step of the CDF, and either side of it
      double c = Datasets.Poisson1000.cdf(i);
      same(c);
      same(Math.nextUp(c));
      same(Math.nextDown(c));
    }
    for (int b = 0; b <= 1024; b++) { // bucket edges
      same(Math.min(Math.nextDown(1.0), b / 1024.0));
      same(Math.nextDown(b / 1024.0));
    }
    same(0.0);
    same(Math.nextDown(1.0));
  }

  /**
   * A timeseries partition is generated in runs of rows; its values are those of one loop over
   * all rows drawing from the partition's stream in the same order (lengths below, at and above a
   * run, and not a multiple of it).
   */
  @Test
  void partitionsDrawTheirRowsInOrder() {
    long freq = 1000;
    for (int rows : new int[] {0, 1, 4095, 4096, 4097, 10_000, 86_400}) {
      long from = 946_684_800_000L;
      Table t = Datasets.partition(from, from + rows * freq, freq, 42, 3);
      assertEquals(rows, t.rows);
      SplittableRandom r = new SplittableRandom(Datasets.mix(42 * 0x9E3779B97F4A7C15L + 3 + 1));
      for (int i = 0; i < rows; i++) {
        assertEquals(from + i * freq, t.index.getLong(i), "timestamp " + i);
        assertEquals(Datasets.Poisson1000.sample(r.nextDouble()), t.column("id").getLong(i), "id " + i);
        assertEquals(Datasets.NAMES[r.nextInt(Datasets.NAMES.length)], t.column("name").getString(i), "name " + i);
        assertEquals(r.nextDouble() * 2 - 1, t.column("x").getDouble(i), 0.0, "x " + i);
        assertEquals(r.nextDouble() * 2 - 1, t.column("y").getDouble(i), 0.0, "y " + i);
      }
    }
  }

  /** A partition of fewer columns (column pruning) has those columns of the whole partition, in its order. */
  @Test
  void partitionsOfFewerColumnsHoldTheSameValues() {
    long freq = 1000;
    long from = 946_684_800_000L;
    Table all = Datasets.partition(from, from + 9000 * freq, freq, 7, 2);
    for (java.util.Set<String> cols : List.of(java.util.Set.of("x"), java.util.Set.of("y", "x"),
        java.util.Set.of("name", "y"), java.util.Set.of("id"), java.util.Set.of("id", "name", "x", "y"))) {
      Table t = Datasets.partition(from, from + 9000 * freq, freq, 7, 2, cols);
      List<String> expected = all.columnNames().stream().filter(cols::contains).toList();
      assertEquals(expected, t.columnNames(), cols.toString());
      assertEquals(all.index.format(8999), t.index.format(8999));
      for (String c : expected) {
        for (int i = 0; i < t.rows; i++) {
          assertEquals(all.column(c).format(i), t.column(c).format(i), c + " row " + i);
        }
      }
    }
  }
}
