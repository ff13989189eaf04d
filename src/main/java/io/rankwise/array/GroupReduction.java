package io.rankwise.array;

import java.util.Arrays;
import java.util.Locale;

/**
 * NaN-skipping reductions with optional groups along one reduced axis (xarray's skipna
 * reductions and groupby reductions): per block a state of (count, sum or mean and M2, extreme)
 * per output element, merged across blocks (Chan et al. for mean and M2), then finished. Also the
 * kernel of group-wise arithmetic ({@link #applyByGroup}).
 */
final class GroupReduction {
  enum Op {
    SUM, MEAN, STD, VAR, MIN, MAX, COUNT;

    static Op parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ArrayException("unknown reduction '" + s + "'; use sum, mean, std, var, min, max or count");
      }
    }

    String label() {
      return "nan" + name().toLowerCase(Locale.ROOT);
    }

    DType resultType() {
      return this == COUNT ? DType.INT64 : DType.FLOAT64;
    }

    boolean moments() {
      return this == MEAN || this == STD || this == VAR;
    }
  }

  /** Mergeable state, one entry per output element of the block's keep shape. */
  static final class State {
    int[] shape;
    double[] n;
    double[] a; // SUM: sum; moments: mean; MIN/MAX: extreme
    double[] m2;

    private State() {} // for the serializer

    State(int[] shape, Op op) {
      this.shape = shape;
      int size = NdArray.sizeOf(shape);
      n = new double[size];
      a = new double[size];
      if (op == Op.MIN || op == Op.MAX) {
        Arrays.fill(a, Double.NaN);
      }
      m2 = op == Op.STD || op == Op.VAR ? new double[size] : null;
    }
  }

  private final Op op;
  private final boolean[] reduced;
  private final int groupAxis;
  private final int[] groupOf;
  private final int groups;
  private final int ddof;

  GroupReduction(Op op, boolean[] reduced, int groupAxis, int[] groupOf, int groups, int ddof) {
    this.op = op;
    this.reduced = reduced;
    this.groupAxis = groupAxis;
    this.groupOf = groupOf;
    this.groups = groups;
    this.ddof = ddof;
  }

  /**
   * For each axis, the output offset that each position along it contributes: kept axes their
   * position times the output stride, reduced axes 0, the group axis its group times the stride.
   */
  private int[][] contributions(int[] s, int[] os, long[] offset) {
    int nd = s.length;
    int[] ost = NdArray.strides(os);
    int[][] c = new int[nd][];
    for (int a = 0; a < nd; a++) {
      c[a] = new int[s[a]];
      for (int i = 0; i < s[a]; i++) {
        if (a == groupAxis) {
          c[a][i] = groupOf[(int) offset[a] + i] * ost[a];
        } else {
          c[a][i] = reduced[a] ? 0 : i * ost[a];
        }
      }
    }
    return c;
  }

  @FunctionalInterface
  private interface Visitor {
    void visit(int in, int out);
  }

  /** Visits every element of a block of shape s (C order) with its output position. */
  private static void forEach(int[] s, int[][] c, Visitor v) {
    int nd = s.length;
    int n = NdArray.sizeOf(s);
    if (n == 0) {
      return;
    }
    if (nd == 0) {
      v.visit(0, 0);
      return;
    }
    int last = nd - 1;
    int len = s[last];
    int[] cl = c[last];
    int[] ctr = new int[nd];
    int base = 0;
    for (int a = 0; a < last; a++) {
      base += c[a][0];
    }
    for (int in = 0; in < n; in += len) {
      for (int k = 0; k < len; k++) {
        v.visit(in + k, base + cl[k]);
      }
      for (int a = last - 1; a >= 0; a--) {
        base -= c[a][ctr[a]];
        ctr[a]++;
        if (ctr[a] < s[a]) {
          base += c[a][ctr[a]];
          break;
        }
        ctr[a] = 0;
        base += c[a][0];
      }
    }
  }

  private int[] keepShape(int[] s) {
    int[] os = s.clone();
    for (int a = 0; a < s.length; a++) {
      if (reduced[a]) {
        os[a] = a == groupAxis ? groups : 1;
      }
    }
    return os;
  }

  State partial(NdArray x, long[] offset) {
    int[] s = x.shapeRef();
    int[] os = keepShape(s);
    State st = new State(os, op);
    int[][] c = contributions(s, os, offset);
    double[] d = x.toDoubles();
    double[] n = st.n;
    double[] a = st.a;
    switch (op) {
      case MIN -> forEach(s, c, (i, o) -> {
        double v = d[i];
        if (v == v) {
          n[o]++;
          a[o] = a[o] == a[o] ? Math.min(a[o], v) : v;
        }
      });
      case MAX -> forEach(s, c, (i, o) -> {
        double v = d[i];
        if (v == v) {
          n[o]++;
          a[o] = a[o] == a[o] ? Math.max(a[o], v) : v;
        }
      });
      default -> forEach(s, c, (i, o) -> {
        double v = d[i];
        if (v == v) {
          n[o]++;
          a[o] += v;
        }
      });
    }
    if (op.moments()) {
      for (int o = 0; o < a.length; o++) {
        a[o] = n[o] == 0 ? 0 : a[o] / n[o];
      }
      if (st.m2 != null) {
        double[] m2 = st.m2;
        forEach(s, c, (i, o) -> {
          double v = d[i];
          if (v == v) {
            double dv = v - a[o];
            m2[o] += dv * dv;
          }
        });
      }
    }
    return st;
  }

  /** Merges states in order. */
  Object combine(Object[] parts) {
    State first = (State) parts[0];
    State acc = new State(first.shape, op);
    for (Object p : parts) {
      State b = (State) p;
      for (int i = 0; i < acc.n.length; i++) {
        double na = acc.n[i];
        double nb = b.n[i];
        if (nb == 0) {
          continue;
        }
        double nt = na + nb;
        switch (op) {
          case SUM -> acc.a[i] += b.a[i];
          case MIN -> acc.a[i] = na == 0 ? b.a[i] : Math.min(acc.a[i], b.a[i]);
          case MAX -> acc.a[i] = na == 0 ? b.a[i] : Math.max(acc.a[i], b.a[i]);
          case COUNT -> { }
          default -> {
            double delta = b.a[i] - acc.a[i];
            acc.a[i] += delta * nb / nt;
            if (acc.m2 != null) {
              acc.m2[i] += b.m2[i] + delta * delta * na * nb / nt;
            }
          }
        }
        acc.n[i] = nt;
      }
    }
    return acc;
  }

  NdArray finish(Object part) {
    State st = (State) part;
    int size = st.n.length;
    if (op == Op.COUNT) {
      long[] out = new long[size];
      for (int i = 0; i < size; i++) {
        out[i] = (long) st.n[i];
      }
      return NdArray.of(out, st.shape.clone());
    }
    double[] out = new double[size];
    for (int i = 0; i < size; i++) {
      double n = st.n[i];
      out[i] = switch (op) {
        case SUM -> st.a[i];
        case MEAN, MIN, MAX -> n == 0 ? Double.NaN : st.a[i];
        case VAR -> n - ddof <= 0 ? Double.NaN : st.m2[i] / (n - ddof);
        case STD -> n - ddof <= 0 ? Double.NaN : Math.sqrt(st.m2[i] / (n - ddof));
        default -> throw new IllegalStateException(op.name());
      };
    }
    return NdArray.of(out, st.shape.clone());
  }

  /**
   * {@code x op perGroup[...]} where along {@code axis} element i of the block (at {@code offset}
   * in the whole array) reads group {@code groupOf[offset + i]} of perGroup, and perGroup axes of
   * length 1 broadcast.
   */
  static NdArray applyByGroup(BlockOps.Bin bin, DType t, NdArray x, NdArray perGroup, int axis, int offset,
      int[] groupOf) {
    int[] s = x.shapeRef();
    int[] ps = perGroup.shapeRef();
    int nd = s.length;
    int[] pst = NdArray.strides(ps);
    int[][] c = new int[nd][];
    for (int a = 0; a < nd; a++) {
      c[a] = new int[s[a]];
      for (int i = 0; i < s[a]; i++) {
        c[a][i] = a == axis ? groupOf[offset + i] * pst[a] : ps[a] == 1 ? 0 : i * pst[a];
      }
    }
    double[] d = x.toDoubles();
    double[] p = perGroup.toDoubles();
    double[] out = new double[d.length];
    switch (bin) {
      case ADD -> forEach(s, c, (i, o) -> out[i] = d[i] + p[o]);
      case SUB -> forEach(s, c, (i, o) -> out[i] = d[i] - p[o]);
      case MUL -> forEach(s, c, (i, o) -> out[i] = d[i] * p[o]);
      default -> forEach(s, c, (i, o) -> out[i] = d[i] / p[o]);
    }
    return NdArray.narrowed(t, out, s.clone());
  }
}
