package io.rankwise.array;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Grouped NaN-skipping reductions and group-wise arithmetic against index loops, for every axis
 * as the group axis, blocks of any offset (including length 1) and arbitrary group patterns.
 */
class GroupReductionTest {
  static int[] unravel(int flat, int[] s) {
    int[] idx = new int[s.length];
    for (int a = s.length - 1; a >= 0; a--) {
      idx[a] = flat % s[a];
      flat /= s[a];
    }
    return idx;
  }

  @Test
  void groupedSumsAndMeansMatchIndexLoops() {
    Random r = new Random(3);
    for (int trial = 0; trial < 200; trial++) {
      int nd = 1 + r.nextInt(3);
      int[] s = new int[nd];
      for (int a = 0; a < nd; a++) {
        s[a] = 1 + r.nextInt(4);
      }
      int gAxis = r.nextInt(nd);
      boolean[] reduced = new boolean[nd];
      for (int a = 0; a < nd; a++) {
        reduced[a] = a == gAxis || r.nextBoolean();
      }
      int groups = 1 + r.nextInt(4);
      long offset = r.nextInt(3);
      int[] groupOf = new int[(int) offset + s[gAxis]];
      for (int i = 0; i < groupOf.length; i++) {
        groupOf[i] = r.nextInt(groups);
      }
      int n = NdArray.sizeOf(s);
      double[] d = new double[n];
      for (int i = 0; i < n; i++) {
        d[i] = r.nextInt(5) == 0 ? Double.NaN : r.nextInt(100);
      }
      long[] off = new long[nd];
      off[gAxis] = offset;
      int[] os = s.clone();
      for (int a = 0; a < nd; a++) {
        if (reduced[a]) {
          os[a] = a == gAxis ? groups : 1;
        }
      }
      double[] sum = new double[NdArray.sizeOf(os)];
      double[] cnt = new double[sum.length];
      for (int i = 0; i < n; i++) {
        int[] idx = unravel(i, s);
        int o = 0;
        for (int a = 0; a < nd; a++) {
          int k = a == gAxis ? groupOf[(int) offset + idx[a]] : reduced[a] ? 0 : idx[a];
          o = o * os[a] + k;
        }
        if (!Double.isNaN(d[i])) {
          sum[o] += d[i];
          cnt[o]++;
        }
      }
      for (String op : new String[] {"sum", "mean", "count"}) {
        GroupReduction g = new GroupReduction(GroupReduction.Op.parse(op), reduced, gAxis, groupOf, groups, 0);
        for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
          NdArray x = NdArray.narrowed(t, d.clone(), s);
          NdArray got = g.finish(g.combine(new Object[] {g.partial(x, off)}));
          for (int o = 0; o < sum.length; o++) {
            double want = op.equals("sum") ? sum[o] : op.equals("count") ? cnt[o] : cnt[o] == 0 ? Double.NaN
                : sum[o] / cnt[o];
            assertEquals(want, got.getDouble(o), 1e-9, op + " " + t + " trial " + trial + " output " + o);
          }
        }
      }
      // group-wise subtraction of per-group values (broadcast where the reduced axes are 1)
      double[] per = new double[sum.length];
      for (int o = 0; o < per.length; o++) {
        per[o] = r.nextInt(50);
      }
      NdArray perGroup = NdArray.of(per, os);
      for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
        NdArray x = NdArray.narrowed(t, d.clone(), s);
        NdArray got = GroupReduction.applyByGroup(BlockOps.Bin.SUB, t, x, perGroup, gAxis, (int) offset, groupOf);
        for (int i = 0; i < n; i++) {
          int[] idx = unravel(i, s);
          int o = 0;
          for (int a = 0; a < nd; a++) {
            int k = a == gAxis ? groupOf[(int) offset + idx[a]] : os[a] == 1 ? 0 : idx[a];
            o = o * os[a] + k;
          }
          assertEquals(d[i] - per[o], got.getDouble(i), 1e-9, "sub " + t + " trial " + trial + " element " + i);
        }
      }
    }
  }

  /**
   * A reduction of group-wise arithmetic remade row by row (no anomaly block) gives the bits of
   * the same reduction over the materialized block: every op, dtype, offset, NaNs, grouped or not.
   */
  @Test
  void reductionsOfGroupArithmeticStreamTheSameBits() {
    Random r = new Random(5);
    BlockOps.Bin[] bins = {BlockOps.Bin.ADD, BlockOps.Bin.SUB, BlockOps.Bin.MUL, BlockOps.Bin.DIV};
    for (int trial = 0; trial < 300; trial++) {
      int nd = 2 + r.nextInt(2);
      int[] s = new int[nd];
      for (int a = 0; a < nd; a++) {
        s[a] = 1 + r.nextInt(5);
      }
      int lead = 1 + r.nextInt(nd - 1); // reduced: the leading axes
      boolean[] reduced = new boolean[nd];
      for (int a = 0; a < lead; a++) {
        reduced[a] = true;
      }
      int binGroups = 1 + r.nextInt(4);
      int offset = r.nextInt(3);
      int[] binGroupOf = new int[offset + s[0]];
      for (int i = 0; i < binGroupOf.length; i++) {
        binGroupOf[i] = r.nextInt(binGroups);
      }
      int n = NdArray.sizeOf(s);
      double[] d = new double[n];
      for (int i = 0; i < n; i++) {
        d[i] = r.nextInt(6) == 0 ? Double.NaN : r.nextDouble() * 100 - 20;
      }
      int[] ps = s.clone();
      ps[0] = binGroups;
      double[] p = new double[NdArray.sizeOf(ps)];
      for (int i = 0; i < p.length; i++) {
        p[i] = r.nextDouble() * 10 + 0.5;
      }
      boolean grouped = r.nextBoolean();
      int groups = 1 + r.nextInt(3);
      int[] groupOf = new int[offset + s[0]];
      for (int i = 0; i < groupOf.length; i++) {
        groupOf[i] = r.nextInt(groups);
      }
      long[] off = new long[nd];
      off[0] = offset;
      BlockOps.Bin bin = bins[r.nextInt(bins.length)];
      for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
        NdArray x = NdArray.narrowed(t, d.clone(), s);
        NdArray perGroup = NdArray.narrowed(t, p.clone(), ps);
        for (String op : new String[] {"sum", "mean", "std", "var", "count"}) {
          GroupReduction g = new GroupReduction(GroupReduction.Op.parse(op), reduced, grouped ? 0 : -1,
              grouped ? groupOf : null, grouped ? groups : 1, 1);
          NdArray want = g.finish(g.combine(new Object[] {g.partial(GroupReduction.applyByGroup(bin, t, x, perGroup, 0,
              offset, binGroupOf), off)}));
          NdArray got = g.finish(g.combine(new Object[] {g.partialOfGrouped(bin, t, x, perGroup, binGroupOf, off)}));
          for (int o = 0; o < want.size(); o++) {
            assertEquals(Double.doubleToLongBits(want.getDouble(o)), Double.doubleToLongBits(got.getDouble(o)),
                op + " of " + bin + " " + t + " trial " + trial + " output " + o);
          }
        }
      }
    }
  }
}
