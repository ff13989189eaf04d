package io.rankwise.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Coded float arrays (16-bit codes and a table, as packed NetCDF variables are read): every
 * accessor gives the values of the dense array they stand for, and the NaN-skipping reductions
 * that decode them a run at a time give the bits of the same reductions over the dense array.
 */
class CodedArrayTest {
  /** A table like a packed int16 variable's: scale 0.01, one fill pattern decoding to NaN. */
  static double[] table(boolean f32) {
    double[] t = new double[1 << 16];
    for (int bits = 0; bits < t.length; bits++) {
      double v = (short) bits == Short.MIN_VALUE ? Double.NaN : (short) bits * 0.01 + 150;
      t[bits] = f32 ? (float) v : v;
    }
    // two codes stand for infinities (as a float32 decode with a large scale may give)
    t[INF_CODE & 0xFFFF] = Double.POSITIVE_INFINITY;
    t[NEG_INF_CODE & 0xFFFF] = Double.NEGATIVE_INFINITY;
    return t;
  }

  static final short INF_CODE = Short.MAX_VALUE;
  static final short NEG_INF_CODE = Short.MIN_VALUE + 1;

  static short[] codes(Random r, int n) {
    short[] c = new short[n];
    for (int i = 0; i < n; i++) {
      c[i] = r.nextInt(7) == 0 ? Short.MIN_VALUE : (short) (r.nextInt(20000) - 10000);
    }
    return c;
  }

  static NdArray dense(DType t, short[] c, double[] table, int[] s) {
    double[] d = new double[c.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = table[c[i] & 0xFFFF];
    }
    return NdArray.wrapNarrow(t, d, s.clone());
  }

  @Test
  void accessorsGiveTheValuesTheCodesStandFor() {
    Random r = new Random(11);
    double[] table = table(true);
    int[] s = {3, 4, 5};
    short[] c = codes(r, 60);
    NdArray x = NdArray.coded(DType.FLOAT32, c, table, s);
    NdArray want = dense(DType.FLOAT32, c, table, s);
    assertTrue(x.isCoded());
    assertEquals(DType.FLOAT32, x.dtype());
    assertArrayEquals(s, x.shape());
    for (int i = 0; i < 60; i++) {
      assertEquals(Double.doubleToLongBits(want.getDouble(i)), Double.doubleToLongBits(x.getDouble(i)), "element " + i);
      assertEquals(want.getBool(i), x.getBool(i));
    }
    assertArrayEquals((double[]) want.data(), (double[]) x.data());
    assertSame(x.data(), x.data(), "decoded once, then kept");
    assertArrayEquals((double[]) want.data(), x.toDoubles());
    NdArray fresh = NdArray.coded(DType.FLOAT32, c, table, s);
    NdArray flat = fresh.reshape(60);
    assertTrue(flat.readsCodes(), "a reshape keeps the codes");
    assertEquals(x.getDouble(17), flat.getDouble(17));
    assertFalse(x.reshape(60).readsCodes(), "once decoded, a reshape shares the decoded values");
    NdArray wide = x.astype(DType.FLOAT64);
    assertFalse(wide.isCoded());
    assertArrayEquals((double[]) want.data(), (double[]) wide.data());
    assertEquals(want.toString(), x.toString());
    assertTrue(x.allClose(want, 0, 0));
    double[] run = new double[7];
    x.copyDoubles(9, run, 2, 5);
    for (int k = 0; k < 5; k++) {
      assertEquals(Double.doubleToLongBits(want.getDouble(9 + k)), Double.doubleToLongBits(run[2 + k]));
    }
  }

  @Test
  void aCodedArrayNeedsAFloatTypeAFullTableAndOneCodePerElement() {
    double[] table = table(false);
    assertThrows(ArrayException.class, () -> NdArray.coded(DType.INT64, new short[4], table, 4));
    assertThrows(ArrayException.class, () -> NdArray.coded(DType.FLOAT64, new short[4], new double[256], 4));
    assertThrows(ArrayException.class, () -> NdArray.coded(DType.FLOAT64, new short[5], table, 4));
  }

  /**
   * Every op over random shapes, reduced axes and group patterns: the partial of a coded block
   * has the bits of the partial of the dense block (the same loops run over decoded runs), and
   * so has the partial of group-wise arithmetic remade from a coded block.
   */
  @Test
  void reductionsOfCodedBlocksHaveTheBitsOfDenseOnes() {
    Random r = new Random(7);
    String[] ops = {"sum", "mean", "std", "var", "min", "max", "count"};
    for (int trial = 0; trial < 150; trial++) {
      int nd = 1 + r.nextInt(3);
      int[] s = new int[nd];
      for (int a = 0; a < nd; a++) {
        s[a] = 1 + r.nextInt(9);
      }
      boolean[] reduced = new boolean[nd];
      for (int a = 0; a < nd; a++) {
        reduced[a] = r.nextBoolean();
      }
      int gAxis = -1;
      int groups = 1;
      int[] groupOf = null;
      long[] off = new long[nd];
      if (r.nextBoolean()) {
        gAxis = r.nextInt(nd);
        reduced[gAxis] = true;
        groups = 1 + r.nextInt(4);
        off[gAxis] = r.nextInt(3);
        groupOf = new int[(int) off[gAxis] + s[gAxis]];
        for (int i = 0; i < groupOf.length; i++) {
          groupOf[i] = r.nextInt(groups);
        }
      }
      boolean f32 = r.nextBoolean();
      DType t = f32 ? DType.FLOAT32 : DType.FLOAT64;
      double[] table = table(f32);
      short[] c = codes(r, NdArray.sizeOf(s));
      if (trial % 3 == 0) { // rows without NaN, or with only a few: the kernels' other branch
        for (int i = 0; i < c.length; i++) {
          c[i] = c[i] == Short.MIN_VALUE && r.nextInt(8) != 0 ? 42 : c[i];
        }
      }
      if (trial % 5 == 2) { // a few infinite values
        for (int i = 0; i < c.length; i++) {
          c[i] = r.nextInt(9) == 0 ? (r.nextBoolean() ? INF_CODE : NEG_INF_CODE) : c[i];
        }
      }
      NdArray coded = NdArray.coded(t, c, table, s);
      NdArray dense = dense(t, c, table, s);
      for (String op : ops) {
        GroupReduction g = new GroupReduction(GroupReduction.Op.parse(op), reduced, gAxis, groupOf, groups, 1);
        NdArray want = g.finish(g.partial(dense, off));
        NdArray got = g.finish(g.partial(coded, off));
        assertBits(want, got, op + " trial " + trial);
      }
      // anomalies (coded data minus per-group values), reduced over the leading axes
      if (nd >= 2) {
        boolean[] lead = new boolean[nd];
        lead[0] = true;
        int binGroups = 1 + r.nextInt(3);
        int[] binGroupOf = new int[s[0]];
        for (int i = 0; i < binGroupOf.length; i++) {
          binGroupOf[i] = r.nextInt(binGroups);
        }
        int[] ps = s.clone();
        ps[0] = binGroups;
        double[] p = new double[NdArray.sizeOf(ps)];
        for (int i = 0; i < p.length; i++) {
          p[i] = r.nextDouble() * 40 + 120;
        }
        if (trial % 4 == 1) { // a group without values: its per-group value is NaN
          p[r.nextInt(p.length)] = Double.NaN;
        }
        if (trial % 5 == 2) { // infinite values and climatology: inf - inf is NaN where no code is
          p[r.nextInt(p.length)] = r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        }
        NdArray perGroup = NdArray.narrowed(t, p, ps);
        for (BlockOps.Bin bin : new BlockOps.Bin[] {BlockOps.Bin.SUB, BlockOps.Bin.ADD, BlockOps.Bin.MUL,
            BlockOps.Bin.DIV}) {
          for (String op : new String[] {"mean", "std", "sum"}) {
            GroupReduction g = new GroupReduction(GroupReduction.Op.parse(op), lead, -1, null, 1, 1);
            NdArray want = g.finish(g.partialOfGrouped(bin, t, dense, perGroup, binGroupOf, new long[nd]));
            NdArray got = g.finish(g.partialOfGrouped(bin, t, coded, perGroup, binGroupOf, new long[nd]));
            assertBits(want, got, op + " of " + bin + " trial " + trial);
          }
        }
      }
    }
  }

  /**
   * Reductions whose trailing axes are all reduced sum each run with four accumulators: against
   * index loops (two passes for var and std), with NaNs, for runs of every length up to 11.
   */
  @Test
  void trailingReducedRunsMatchIndexLoops() {
    Random r = new Random(13);
    for (int trial = 0; trial < 200; trial++) {
      int rows = 1 + r.nextInt(6);
      int run = 1 + r.nextInt(11);
      int groups = 1 + r.nextInt(3);
      int[] groupOf = new int[rows];
      for (int i = 0; i < rows; i++) {
        groupOf[i] = r.nextInt(groups);
      }
      boolean grouped = r.nextBoolean();
      double[] d = new double[rows * run];
      for (int i = 0; i < d.length; i++) {
        d[i] = r.nextInt(5) == 0 ? Double.NaN : r.nextDouble() * 1000 - 300;
      }
      int outs = grouped ? groups : 1;
      double[] n = new double[outs];
      double[] sum = new double[outs];
      for (int i = 0; i < d.length; i++) {
        int o = grouped ? groupOf[i / run] : 0;
        if (!Double.isNaN(d[i])) {
          n[o]++;
          sum[o] += d[i];
        }
      }
      double[] m2 = new double[outs];
      for (int i = 0; i < d.length; i++) {
        int o = grouped ? groupOf[i / run] : 0;
        if (!Double.isNaN(d[i])) {
          double e = d[i] - sum[o] / n[o];
          m2[o] += e * e;
        }
      }
      boolean[] reduced = {true, true};
      for (String op : new String[] {"sum", "mean", "var", "std", "count"}) {
        GroupReduction g = new GroupReduction(GroupReduction.Op.parse(op), reduced, grouped ? 0 : -1,
            grouped ? groupOf : null, outs, 0);
        NdArray got = g.finish(g.partial(NdArray.of(d.clone(), rows, run), new long[2]));
        for (int o = 0; o < outs; o++) {
          double want = switch (op) {
            case "sum" -> sum[o];
            case "count" -> n[o];
            case "mean" -> n[o] == 0 ? Double.NaN : sum[o] / n[o];
            case "var" -> n[o] == 0 ? Double.NaN : m2[o] / n[o];
            default -> n[o] == 0 ? Double.NaN : Math.sqrt(m2[o] / n[o]);
          };
          assertEquals(want, got.getDouble(o), Double.isNaN(want) ? 0 : 1e-9 * Math.max(1, Math.abs(want)), op + " trial " + trial + " out " + o);
        }
      }
    }
  }

  /**
   * Var and std over leading axes take M2 from sums of squares when the values' mean is small
   * next to their spread, and the exact second pass otherwise: both against two-pass index
   * loops, with centred data (one pass), data far from 0 (a mean of 1e8 with a spread of 1: the
   * second pass), constant columns, groups of one value and NaNs.
   */
  @Test
  void leadingVarianceMatchesTwoPassLoopsNearAndFarFromZero() {
    Random r = new Random(17);
    for (int trial = 0; trial < 200; trial++) {
      int rows = 1 + r.nextInt(12);
      int inner = 1 + r.nextInt(7);
      boolean far = trial % 3 == 0;
      boolean constant = trial % 7 == 0;
      double[] d = new double[rows * inner];
      for (int i = 0; i < d.length; i++) {
        double v = constant ? 3.25 : r.nextGaussian() * 5;
        d[i] = r.nextInt(9) == 0 ? Double.NaN : far ? 1e8 + v : v;
      }
      int groups = 1 + r.nextInt(3);
      int[] groupOf = new int[rows];
      for (int i = 0; i < rows; i++) {
        groupOf[i] = r.nextInt(groups);
      }
      boolean grouped = r.nextBoolean();
      int outs = (grouped ? groups : 1) * inner;
      double[] n = new double[outs];
      double[] sum = new double[outs];
      for (int i = 0; i < d.length; i++) {
        int o = (grouped ? groupOf[i / inner] : 0) * inner + i % inner;
        if (!Double.isNaN(d[i])) {
          n[o]++;
          sum[o] += d[i];
        }
      }
      double[] m2 = new double[outs];
      for (int i = 0; i < d.length; i++) {
        int o = (grouped ? groupOf[i / inner] : 0) * inner + i % inner;
        if (!Double.isNaN(d[i])) {
          double e = d[i] - sum[o] / n[o];
          m2[o] += e * e;
        }
      }
      for (String op : new String[] {"var", "std"}) {
        GroupReduction g = new GroupReduction(GroupReduction.Op.parse(op), new boolean[] {true, false},
            grouped ? 0 : -1, grouped ? groupOf : null, grouped ? groups : 1, 0);
        NdArray got = g.finish(g.partial(NdArray.of(d.clone(), rows, inner), new long[2]));
        for (int o = 0; o < outs; o++) {
          double var = n[o] == 0 ? Double.NaN : m2[o] / n[o];
          double want = op.equals("var") ? var : Math.sqrt(var);
          double tol = Double.isNaN(want) ? 0 : 1e-12 * Math.max(far ? 1 : 1e-3, Math.abs(want));
          assertEquals(want, got.getDouble(o), tol, op + (far ? " far" : "") + " trial " + trial + " out " + o);
        }
      }
    }
  }

  /**
   * Once the decoded values have been handed out ({@code data()}), they are the array: a kernel
   * that writes into them (as into any block's data) is seen by every reader, the reductions
   * included, not only by later {@code data()} calls.
   */
  @Test
  void writesIntoTheDecodedValuesAreTheArraysValues() {
    Random r = new Random(23);
    double[] table = table(true);
    int[] s = {6, 5};
    NdArray x = NdArray.coded(DType.FLOAT32, codes(r, 30), table, s);
    double[] d = (double[]) x.data();
    for (int i = 0; i < d.length; i++) {
      d[i] = Double.isNaN(d[i]) ? Double.NaN : d[i] - 273.0;
    }
    NdArray want = NdArray.wrapNarrow(DType.FLOAT32, d.clone(), s);
    for (int i = 0; i < 30; i++) {
      assertEquals(Double.doubleToLongBits(want.getDouble(i)), Double.doubleToLongBits(x.getDouble(i)));
    }
    assertEquals(want.getDouble(7), x.reshape(30).getDouble(7));
    double[] run = new double[5];
    x.copyDoubles(10, run, 0, 5);
    assertEquals(want.getDouble(12), run[2]);
    for (String op : new String[] {"mean", "std", "max"}) {
      GroupReduction g = new GroupReduction(GroupReduction.Op.parse(op), new boolean[] {true, false}, -1, null, 1, 0);
      assertBits(g.finish(g.partial(want, new long[2])), g.finish(g.partial(x, new long[2])), op + " after a write");
    }
  }

  /** A coded block travels between ranks as its codes and table (what Kryo's field serializer writes of it). */
  @Test
  void aCodedArrayTravelsAsItsCodes() {
    com.esotericsoftware.kryo.Kryo kryo = new com.esotericsoftware.kryo.Kryo();
    kryo.setRegistrationRequired(false);
    kryo.setReferences(true);
    kryo.setInstantiatorStrategy(new com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy(
        new org.objenesis.strategy.StdInstantiatorStrategy()));
    NdArray x = NdArray.coded(DType.FLOAT32, codes(new Random(29), 4 * 70_000), table(true), 4, 70_000);
    x.getDouble(0);
    com.esotericsoftware.kryo.io.Output out = new com.esotericsoftware.kryo.io.Output(1 << 16, -1);
    kryo.writeClassAndObject(out, x);
    assertTrue(out.position() < 2 * 4 * 70_000 + 600_000, "codes and table, not decoded values: " + out.position());
    NdArray back = (NdArray) kryo.readClassAndObject(new com.esotericsoftware.kryo.io.Input(out.toBytes()));
    assertTrue(back.isCoded());
    assertArrayEquals((double[]) x.data(), (double[]) back.data());
  }

  /** Var of one value is what the two passes give: 0, or NaN for an infinity (numpy's nanvar([inf])). */
  @Test
  void theVarianceOfOneValue() {
    double[] d = {Double.POSITIVE_INFINITY, 2.5, Double.NaN, Double.NaN};
    GroupReduction g = new GroupReduction(GroupReduction.Op.VAR, new boolean[] {true, false}, -1, null, 1, 0);
    NdArray v = g.finish(g.partial(NdArray.of(d, 2, 2), new long[2]));
    assertTrue(Double.isNaN(v.getDouble(0)), "var of [inf]: " + v.getDouble(0));
    assertEquals(0.0, v.getDouble(1));
  }

  /**
   * A reduction over every axis makes one run of the whole block: it is read a chunk at a time (a
   * coded block is never decoded whole), with the bits of one pass of four accumulators, coded or
   * dense, for runs longer than a chunk with a tail that is not a multiple of four.
   */
  @Test
  void wholeBlockRunsAreReadInChunksWithTheBitsOfOnePass() {
    Random r = new Random(31);
    for (int[] s : new int[][] {{3, 20_001}, {2, 5, 8193}, {1, 70_000}}) {
      short[] c = codes(r, NdArray.sizeOf(s));
      double[] table = table(false);
      NdArray coded = NdArray.coded(DType.FLOAT64, c, table, s);
      NdArray dense = dense(DType.FLOAT64, c, table, s);
      boolean[] all = new boolean[s.length];
      java.util.Arrays.fill(all, true);
      for (String op : new String[] {"sum", "mean", "std", "min", "max", "count"}) {
        GroupReduction g = new GroupReduction(GroupReduction.Op.parse(op), all, -1, null, 1, 0);
        assertBits(g.finish(g.partial(dense, new long[s.length])), g.finish(g.partial(coded, new long[s.length])),
            op + " over " + java.util.Arrays.toString(s));
      }
      double[] d = (double[]) dense.data();
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      int k = 0;
      for (; k + 4 <= d.length; k += 4) {
        s0 += Double.isNaN(d[k]) ? 0 : d[k];
        s1 += Double.isNaN(d[k + 1]) ? 0 : d[k + 1];
        s2 += Double.isNaN(d[k + 2]) ? 0 : d[k + 2];
        s3 += Double.isNaN(d[k + 3]) ? 0 : d[k + 3];
      }
      for (; k < d.length; k++) {
        s0 += Double.isNaN(d[k]) ? 0 : d[k];
      }
      GroupReduction sum = new GroupReduction(GroupReduction.Op.SUM, all, -1, null, 1, 0);
      assertEquals(Double.doubleToLongBits((s0 + s1) + (s2 + s3)),
          Double.doubleToLongBits(sum.finish(sum.partial(coded, new long[s.length])).getDouble(0)),
          "one pass over " + java.util.Arrays.toString(s));
    }
  }

  static void assertBits(NdArray want, NdArray got, String what) {
    assertArrayEquals(want.shape(), got.shape(), what);
    for (int o = 0; o < want.size(); o++) {
      assertEquals(Double.doubleToLongBits(want.getDouble(o)), Double.doubleToLongBits(got.getDouble(o)),
          what + " output " + o);
    }
  }
}
