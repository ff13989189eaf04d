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
import java.util.Arrays;
import java.util.Random;

/**
 * Reductions over axis 0 of anomalies from a climatology of the same groups (std of data minus
 * its monthly means), and means over coarser groups (seasons of months), take their partials from
 * the climatology's per-block partials, so the data is read once for all: against plain loops
 * over the materialized anomalies and against the same reductions over the data, on real ranks,
 * with several blocks along every axis, NaN values, a group that is all NaN at some positions, a
 * group with no positions, a climatology numbered differently from the one whose partials are
 * read, infinite values, and values whose sums of squares cancel ~20 bits.
 */
@SpmdRanks(mpi = {1, 2, 4}, local = {1, 3})
class GroupedAnomaliesTest extends SpmdTestCase {
  static final int T = 203;
  static final int LAT = 6;
  static final int LON = 5;
  static final int GROUPS = 5; // group 4 has no positions
  static final Chunks[] CHUNKINGS = {Chunks.of(-1, 6, 5), Chunks.of(37, 4, 2)};

  /** Values 430-450 (codes 28000 + [0, spread) in the test table), a few NaN, group 2 all NaN at position (1, 1). */
  static short[] codes(int spread, boolean infinities) {
    Random r = new Random(5);
    short[] c = new short[T * LAT * LON];
    for (int i = 0; i < c.length; i++) {
      c[i] = r.nextInt(40) == 0 ? Short.MIN_VALUE : (short) (28000 + r.nextInt(spread));
      if (infinities && r.nextInt(500) == 0) {
        c[i] = r.nextBoolean() ? CodedArrayTest.INF_CODE : CodedArrayTest.NEG_INF_CODE;
      }
    }
    for (int t = 0; t < T; t++) {
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

  static NdArray data(int spread, boolean infinities) {
    return NdArray.coded(DType.FLOAT32, codes(spread, infinities), CodedArrayTest.table(true), T, LAT, LON);
  }

  @SpmdTest
  void anomalyReductionsFromTheClimatologysPartialsMatchPlainLoops(Session s) {
    checkAnomalies(data(2000, false), 1e-9);
  }

  /** sd ~0.3 around 290: the climatology's sums of squares cancel ~20 bits, the limit they are used at. */
  @SpmdTest
  void anomaliesOfValuesWithASmallSpreadKeepTheirPrecision(Session s) {
    checkAnomalies(data(104, false), 1e-7);
  }

  /**
   * A block with an infinite value, or an infinite climatology, is reduced from the block itself
   * (IEEE results). Those blocks round each anomaly to float32, which is exact here (values and
   * climatology lie in one binade), so the plain loops' 1e-9 holds.
   */
  @SpmdTest
  void infiniteValuesAreReducedFromTheBlock(Session s) {
    checkAnomalies(data(2000, true), 1e-9);
  }

  /** A finer mean with more groups than half a block's steps is not merged: the data is read. */
  @SpmdTest
  void aMeanOfManySmallGroupsIsNotMerged(Session s) {
    NdArray coded = data(2000, false);
    DArray x = Da.fromArray(coded, Chunks.of(37, 6, 5));
    int[] each = new int[T]; // one group per step
    for (int t = 0; t < T; t++) {
      each[t] = t;
    }
    DArray perStep = x.nanReduce("mean", new boolean[] {true, false, false}, 0, each, T, 0).astype(DType.FLOAT32);
    assertReadsPartials(x.groupBinary("sub", perStep, 0, each).nanReduce("std", new boolean[] {true, false, false}, -1,
        null, 0, 1), x, false, Chunks.of(37, 6, 5));
    int[] pairs = new int[T];
    for (int t = 0; t < T; t++) {
      pairs[t] = t / 2;
    }
    assertReadsPartials(x.nanReduce("mean", new boolean[] {true, false, false}, 0, pairs, (T + 1) / 2, 0), x, false,
        Chunks.of(37, 6, 5));
  }

  /**
   * Means merged across blocks as sums of the values give them (NumPy's mean of [1, inf] is inf,
   * of [inf, -inf] NaN, and the var of either NaN), whatever the order of the blocks, for the
   * plain and the NaN-skipping reductions; finite means too far apart for their difference merge
   * to their weighted mean.
   */
  @SpmdTest
  void infiniteMeansMergeAcrossBlocksAsSumsDo(Session s) {
    double inf = Double.POSITIVE_INFINITY;
    double[][] cases = {{1, inf, 2, 3}, {2, 3, 1, inf}, {inf, 1, -inf, 2}, {1e308, -0.9e308}};
    double[] wantMean = {inf, inf, Double.NaN, 0.05e308};
    for (int c = 0; c < cases.length; c++) {
      // blocks of 2 values; the last case a block per value (a block's own sum would overflow)
      DArray x = Da.fromArray(NdArray.of(cases[c], cases[c].length), Chunks.of(c < 3 ? 2 : 1));
      for (DArray mean : new DArray[] {x.mean(), x.nanReduce("mean", new boolean[] {true}, -1, null, 0, 0)}) {
        double got = mean.compute().item();
        assertTrue(Double.isNaN(wantMean[c]) ? Double.isNaN(got) : Math.abs(got - wantMean[c]) <= 1e-12 * Math.abs(
            wantMean[c]) || got == wantMean[c], "mean of " + Arrays.toString(cases[c]) + ": " + got);
      }
      for (DArray var : new DArray[] {x.var(), x.nanReduce("var", new boolean[] {true}, -1, null, 0, 0)}) {
        double got = var.compute().item();
        assertTrue(c < 3 ? Double.isNaN(got) : got == Double.POSITIVE_INFINITY, "var of " + Arrays.toString(cases[c])
            + ": " + got);
      }
    }
  }

  static void checkAnomalies(NdArray coded, double rel) {
    double[] xv = coded.toDoubles();
    for (Chunks chunks : CHUNKINGS) {
      DArray x = Da.fromArray(coded, chunks);
      int[] groupOf = groupOf();
      boolean[] overTime = {true, false, false};
      DArray clim = x.nanReduce("mean", overTime, 0, groupOf, GROUPS, 0);
      // the climatology subtracted is numbered the other way round: the partials read are clim's
      int[] reversed = new int[T];
      for (int t = 0; t < T; t++) {
        reversed[t] = GROUPS - 1 - groupOf[t];
      }
      DArray climReversed = x.nanReduce("mean", overTime, 0, reversed, GROUPS, 0).astype(DType.FLOAT32);
      double[] p = climReversed.compute().toDoubles();
      for (String op : new String[] {"std", "var", "mean"}) {
        int ddof = op.equals("mean") ? 0 : 1;
        DArray r = x.groupBinary("sub", climReversed, 0, reversed).nanReduce(op, overTime, -1, null, 0, ddof);
        assertReadsPartials(r, x, true, chunks);
        double[] got = r.compute().toDoubles();
        assertClose(plainLoops(op, ddof, xv, p, reversed, false), got, rel, op + " with chunks " + chunks);
        if (rel < 1e-6) { // no infinite values: only the NaN group is NaN there, and it is skipped
          assertFalse(Double.isNaN(got[LON + 1]), "the all-NaN group at (1, 1) is skipped, not spread");
        }
        // over time and lat: each block's positions merge into fewer outputs
        DArray overLat = x.groupBinary("sub", climReversed, 0, reversed)
            .nanReduce(op, new boolean[] {true, true, false}, -1, null, 0, ddof);
        assertReadsPartials(overLat, x, true, chunks);
        assertClose(plainLoops(op, ddof, xv, p, reversed, true), overLat.compute().toDoubles(), rel,
            op + " over time and lat with chunks " + chunks);
        if (op.equals("mean")) { // other arithmetic than subtraction reads the data
          assertReadsPartials(x.groupBinary("add", climReversed, 0, reversed).nanReduce(op, overTime, -1, null, 0, 0),
              x, false, chunks);
        }
      }
      assertArrayEquals(Da.fromArray(coded, chunks).nanReduce("mean", overTime, 0, groupOf, GROUPS, 0).compute()
          .toDoubles(), clim.compute().toDoubles(), "the climatology's values do not depend on its partials' moments");
    }
  }

  /**
   * Means over groups that are unions of an earlier grouped mean's (seasons of months) merge its
   * per-block partials: the values of the mean over the data, to ~1e-13. Var and std read the
   * data (an M2 per finer group from sums of squares would be less exact), with its bits.
   */
  @SpmdTest
  void coarserGroupsMergeTheFinerMeansPartials(Session s) {
    for (boolean infinities : new boolean[] {false, true}) {
      NdArray coded = data(2000, infinities);
      int[] groupOf = groupOf();
      int[] halves = new int[T]; // groups {0, 1} and {2, 3}, numbered the other way round
      for (int t = 0; t < T; t++) {
        halves[t] = groupOf[t] < 2 ? 1 : 0;
      }
      for (Chunks chunks : CHUNKINGS) {
        DArray x = Da.fromArray(coded, chunks);
        x.nanReduce("mean", new boolean[] {true, false, false}, 0, groupOf, GROUPS, 0);
        DArray direct = Da.fromArray(coded, chunks); // no earlier mean: its reductions read the data
        for (boolean[] over : new boolean[][] {{true, false, false}, {true, true, true}, {true, false, true}}) {
          for (String op : new String[] {"mean", "var", "std"}) {
            int ddof = op.equals("mean") ? 0 : 1;
            DArray r = x.nanReduce(op, over, 0, halves, 2, ddof);
            assertReadsPartials(r, x, op.equals("mean"), chunks);
            double[] want = direct.nanReduce(op, over, 0, halves, 2, ddof).compute().toDoubles();
            String what = op + " over " + Arrays.toString(over) + " with chunks " + chunks + (infinities ? ", inf" : "");
            if (op.equals("mean")) {
              assertClose(want, r.compute().toDoubles(), 1e-13, what);
            } else {
              assertArrayEquals(want, r.compute().toDoubles(), what);
            }
          }
        }
      }
    }
  }

  static void assertClose(double[] want, double[] got, double rel, String what) {
    assertEquals(want.length, got.length, what);
    for (int j = 0; j < want.length; j++) {
      boolean same = want[j] == got[j] || Double.isNaN(want[j]) && Double.isNaN(got[j])
          || Math.abs(got[j] - want[j]) <= rel * Math.abs(want[j]) + 1e-12;
      if (!same) {
        fail(what + " at " + j + ": " + got[j] + ", expected " + want[j] + " (to " + rel + ")");
      }
    }
  }

  /**
   * Whether the reduction's partial tasks read the earlier mean's partials ({@code partials}), or
   * the data only. Either way they may read the data's blocks (needed only for infinite values).
   */
  static void assertReadsPartials(DArray r, DArray x, boolean partials, Chunks chunks) {
    int partialTasks = 0;
    for (Task t : r.layer().tasks()) {
      if (!t.label().endsWith("-chunk")) {
        continue;
      }
      partialTasks++;
      boolean readsPartials = t.deps().stream().map(TaskKey::name).anyMatch(n -> n.endsWith("-partial"));
      assertEquals(partials, readsPartials, "partials read by " + t.key() + ": " + t.deps() + " (chunks " + chunks + ")");
      assertTrue(t.deps().stream().anyMatch(d -> d.name().equals(x.name())), "the block is an input: " + t.deps());
    }
    assertEquals(x.grid().blockCount(), partialTasks, "one partial per block of the data");
  }

  /**
   * The reduction over t (and over lat when {@code overLat}) of the anomalies x[t, lat, lon] -
   * p[g(t), lat, lon] that are not NaN, in double.
   */
  static double[] plainLoops(String op, int ddof, double[] x, double[] p, int[] g, boolean overLat) {
    int inner = LAT * LON;
    double[] out = new double[overLat ? LON : inner];
    for (int j = 0; j < out.length; j++) {
      int[] cells = new int[overLat ? LAT : 1]; // the (lat, lon) positions of output j
      for (int k = 0; k < cells.length; k++) {
        cells[k] = overLat ? k * LON + j : j;
      }
      double sum = 0;
      int n = 0;
      for (int t = 0; t < T; t++) {
        for (int c : cells) {
          double a = x[t * inner + c] - p[g[t] * inner + c];
          if (!Double.isNaN(a)) {
            sum += a;
            n++;
          }
        }
      }
      double mean = sum / n;
      double m2 = 0;
      for (int t = 0; t < T; t++) {
        for (int c : cells) {
          double a = x[t * inner + c] - p[g[t] * inner + c];
          if (!Double.isNaN(a)) {
            m2 += (a - mean) * (a - mean);
          }
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
