package io.rankwise.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rankwise.graph.Task;
import io.rankwise.graph.TaskKey;
import io.rankwise.runtime.Session;
import io.rankwise.testing.SpmdRanks;
import io.rankwise.testing.SpmdTest;
import io.rankwise.testing.SpmdTestCase;
import java.util.Random;

/**
 * Reductions over axis 0 of anomalies from a climatology of the same groups (std of data minus
 * its monthly means) take their partials from the climatology's per-block moments, so the data is
 * read once for both: against plain loops over the materialized anomalies, on real ranks, with
 * several blocks along every axis, NaN values, a group that is all NaN at some positions, a group
 * with no positions, and a climatology numbered differently from the one whose moments are read.
 */
@SpmdRanks(mpi = {1, 2, 4}, local = {1, 3})
class GroupedAnomaliesTest extends SpmdTestCase {
  static final int T = 203;
  static final int LAT = 6;
  static final int LON = 5;
  static final int GROUPS = 5; // group 4 has no positions

  static short[] codes() {
    Random r = new Random(5);
    short[] c = new short[T * LAT * LON];
    for (int i = 0; i < c.length; i++) {
      c[i] = r.nextInt(40) == 0 ? Short.MIN_VALUE : (short) (28000 + r.nextInt(2000)); // ~280-300 "kelvin"
    }
    for (int t = 0; t < T; t++) { // group 2 (t % 4 == 2) is all NaN at position (1, 1)
      if (t % 4 == 2) {
        c[(t * LAT + 1) * LON + 1] = Short.MIN_VALUE;
      }
    }
    return c;
  }

  static int[] groupOf() {
    int[] g = new int[T];
    for (int t = 0; t < T; t++) {
      g[t] = t % 4;
    }
    return g;
  }

  @SpmdTest
  void anomalyReductionsFromTheClimatologysMomentsMatchPlainLoops(Session s) {
    NdArray coded = NdArray.coded(DType.FLOAT32, codes(), CodedArrayTest.table(true), T, LAT, LON);
    double[] xv = coded.toDoubles();
    for (Chunks chunks : new Chunks[] {Chunks.of(-1, 6, 5), Chunks.of(37, 4, 2)}) {
      DArray x = Da.fromArray(coded, chunks);
      int[] groupOf = groupOf();
      boolean[] overTime = {true, false, false};
      DArray clim = x.nanReduce("mean", overTime, 0, groupOf, GROUPS, 0);
      // the climatology subtracted is numbered the other way round: the moments read are clim's
      int[] reversed = new int[T];
      for (int t = 0; t < T; t++) {
        reversed[t] = GROUPS - 1 - groupOf[t];
      }
      DArray climReversed = x.nanReduce("mean", overTime, 0, reversed, GROUPS, 0).astype(DType.FLOAT32);
      double[] p = climReversed.compute().toDoubles();
      for (String op : new String[] {"std", "var", "mean"}) {
        int ddof = op.equals("mean") ? 0 : 1;
        DArray anomalies = x.groupBinary("sub", climReversed, 0, reversed);
        DArray r = anomalies.nanReduce(op, overTime, -1, null, 0, ddof);
        assertReadsMomentsNotData(r, x, chunks);
        double[] got = r.compute().toDoubles();
        double[] want = plainLoops(op, ddof, xv, p, reversed);
        assertEquals(want.length, got.length);
        for (int j = 0; j < want.length; j++) {
          boolean same = Double.isNaN(want[j]) ? Double.isNaN(got[j])
              : Math.abs(got[j] - want[j]) <= 1e-9 * Math.abs(want[j]) + 1e-12;
          if (!same) {
            fail(op + " with chunks " + chunks + " at " + j + ": " + got[j] + ", plain loops " + want[j]);
          }
        }
        assertTrue(Double.isNaN(got[LON + 1]) == false, "a NaN group is skipped, not spread: " + got[LON + 1]);
      }
      assertArrayEquals(clim.compute().toDoubles(), x.nanReduce("mean", overTime, 0, groupOf, GROUPS, 0).compute()
          .toDoubles(), "the climatology's values do not depend on its partials carrying moments");
    }
  }

  /**
   * Grouped reductions whose groups are unions of an earlier grouped mean's (seasons of months)
   * merge its per-block partials: the values of the reduction over the data, to ~1e-13 for the
   * mean; to ~1e-9 for var and std, whose M2 per finer group comes from sums of squares (up to 20
   * bits of cancellation; these values lose ~11).
   */
  @SpmdTest
  void coarserGroupsMergeTheFinerMeansPartials(Session s) {
    NdArray coded = NdArray.coded(DType.FLOAT32, codes(), CodedArrayTest.table(true), T, LAT, LON);
    int[] groupOf = groupOf();
    int[] halves = new int[T]; // groups {0, 1} and {2, 3}, numbered the other way round
    for (int t = 0; t < T; t++) {
      halves[t] = groupOf[t] < 2 ? 1 : 0;
    }
    for (Chunks chunks : new Chunks[] {Chunks.of(-1, 6, 5), Chunks.of(37, 4, 2)}) {
      DArray x = Da.fromArray(coded, chunks);
      x.nanReduce("mean", new boolean[] {true, false, false}, 0, groupOf, GROUPS, 0);
      DArray direct = Da.fromArray(coded, chunks); // no earlier mean: its reductions read the data
      for (boolean[] over : new boolean[][] {{true, false, false}, {true, true, true}, {true, false, true}}) {
        for (String op : new String[] {"mean", "var", "std"}) {
          int ddof = op.equals("mean") ? 0 : 1;
          DArray r = x.nanReduce(op, over, 0, halves, 2, ddof);
          assertReadsMomentsNotData(r, x, chunks);
          double[] got = r.compute().toDoubles();
          double[] want = direct.nanReduce(op, over, 0, halves, 2, ddof).compute().toDoubles();
          assertEquals(want.length, got.length);
          for (int j = 0; j < want.length; j++) {
            boolean same = Double.isNaN(want[j]) ? Double.isNaN(got[j])
                : Math.abs(got[j] - want[j]) <= (op.equals("mean") ? 1e-13 : 1e-9) * Math.abs(want[j]) + 1e-12;
            if (!same) {
              fail(op + " over " + java.util.Arrays.toString(over) + " with chunks " + chunks + " at " + j + ": "
                  + got[j] + ", from the data " + want[j]);
            }
          }
        }
      }
    }
  }

  /** The reduction's partial tasks read the climatology's partials and values, never a block of x. */
  static void assertReadsMomentsNotData(DArray r, DArray x, Chunks chunks) {
    int partialTasks = 0;
    for (Task t : r.layer().tasks()) {
      if (!t.label().endsWith("-chunk")) {
        continue;
      }
      partialTasks++;
      for (TaskKey d : t.deps()) {
        assertFalse(d.name().equals(x.name()), "a partial reads the data " + d + " (chunks " + chunks + ")");
      }
      assertTrue(t.deps().stream().anyMatch(d -> d.name().endsWith("-partial")), "reads moments: " + t.deps());
    }
    assertEquals(x.grid().blockCount(), partialTasks, "one partial per block of the data");
  }

  /** The reduction over t of the anomalies x[t, j] - p[g(t), j] that are not NaN, in double. */
  static double[] plainLoops(String op, int ddof, double[] x, double[] p, int[] g) {
    int inner = LAT * LON;
    double[] out = new double[inner];
    for (int j = 0; j < inner; j++) {
      double sum = 0;
      int n = 0;
      for (int t = 0; t < T; t++) {
        double a = x[t * inner + j] - p[g[t] * inner + j];
        if (!Double.isNaN(a)) {
          sum += a;
          n++;
        }
      }
      double mean = sum / n;
      double m2 = 0;
      for (int t = 0; t < T; t++) {
        double a = x[t * inner + j] - p[g[t] * inner + j];
        if (!Double.isNaN(a)) {
          m2 += (a - mean) * (a - mean);
        }
      }
      out[j] = switch (op) {
        case "mean" -> n == 0 ? Double.NaN : mean;
        case "var" -> n - ddof <= 0 ? Double.NaN : m2 / (n - ddof);
        default -> n - ddof <= 0 ? Double.NaN : Math.sqrt(m2 / (n - ddof));
      };
    }
    return out;
  }
}
