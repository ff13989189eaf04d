package io.rankwise.array;

import java.util.Arrays;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;

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
      this(shape, op, op == Op.STD || op == Op.VAR);
    }

    /** withM2: second moments too (a mean's partial that {@link #partialFromMoments} reads). */
    State(int[] shape, Op op, boolean withM2) {
      this.shape = shape;
      int size = NdArray.sizeOf(shape);
      n = new double[size];
      a = new double[size];
      if (op == Op.MIN || op == Op.MAX) {
        Arrays.fill(a, Double.NaN);
      }
      m2 = withM2 ? new double[size] : null;
    }
  }

  private final Op op;
  private final boolean[] reduced;
  private final int groupAxis;
  private final int[] groupOf;
  private final int groups;
  private final int ddof;

  /**
   * Set while the graph is built (before any compute), when a later reduction of anomalies takes
   * its partials from this mean's ({@link #partialFromMoments}): the mean's partials then carry
   * their second moments. The mean's values are the same bits either way.
   */
  private volatile boolean momentsWanted;

  void wantMoments() {
    momentsWanted = true;
  }

  /** The number of groups (0 when not grouped). */
  int groups() {
    return groupAxis < 0 ? 0 : groups;
  }

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

  /** One run of the last axis: input elements [in, in+len) go to outputs base + last[k]. */
  @FunctionalInterface
  private interface RowVisitor {
    void row(int in, int base, int len, int[] last);
  }

  /**
   * Visits a block of shape s (C order) a row of the last axis at a time, with the output
   * position of the row's start; the caller's loop over the row is plain code the JIT compiles
   * well (one call per row, not per element).
   */
  private static void forEachRow(int[] s, int[][] c, RowVisitor v) {
    int nd = s.length;
    int n = NdArray.sizeOf(s);
    if (n == 0) {
      return;
    }
    if (nd == 0) {
      v.row(0, 0, 1, new int[] {0});
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
      v.row(in, base, len, cl);
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

  /**
   * The number of leading axes when exactly those are reduced (the group axis, if any, among
   * them) and all later axes are kept: then each position of the leading axes maps to one
   * contiguous run of outputs (e.g. reducing time of (time, lat, lon)). 0 otherwise.
   */
  private int leadingReduced(int[] s) {
    int k = 0;
    while (k < s.length && reduced[k]) {
      k++;
    }
    for (int a = k; a < s.length; a++) {
      if (reduced[a]) {
        return 0;
      }
    }
    return k == s.length ? 0 : k;
  }

  /** Values of the outer rows of a block (rows of {@code inner} values): row r at {@code [offset(r), +inner)} of {@code row(r)}. */
  private interface Rows {
    /** The array holding row r; {@link #at} gives where it starts. */
    double[] row(int r);

    int at(int r);
  }

  /**
   * A block's values a run at a time: the dense array itself, or a coded block's run decoded
   * into a scratch buffer (which stays in the first-level cache while the kernel reads it).
   */
  private static final class RunReader {
    private final NdArray x;
    private final double[] dense;
    private double[] scratch = new double[0];

    RunReader(NdArray x) {
      this.x = x;
      this.dense = x.readsCodes() ? null : x.toDoubles();
    }

    /** Makes values {@code [in, in + len)} readable in the returned array from {@link #start}. */
    double[] read(int in, int len) {
      if (dense != null) {
        return dense;
      }
      if (scratch.length < len) {
        scratch = new double[len];
      }
      x.copyDoubles(in, scratch, 0, len);
      return scratch;
    }

    int start(int in) {
      return dense != null ? in : 0;
    }
  }

  /** The fast path of {@link #leadingReduced}: plain loops over contiguous runs, no per-element indexing. */
  private void leadingPartial(State st, NdArray x, int[] s, int lead, long[] offset) {
    int inner = innerSize(s, lead);
    RunReader rr = new RunReader(x);
    CodedSums fused = null;
    if (x.readsCodes()) { // the first pass straight from the codes: one loop per row, no scratch copy
      short[] codes = x.codesRef();
      MaskedTable mt = MaskedTable.of(x.tableRef());
      fused = (rowOf, n, a, q) -> sumCodedRows(codes, mt, null, null, rowOf, inner, n, a, q);
    }
    leadingPartial(st, s, lead, offset, fused, new Rows() {
      @Override
      public double[] row(int r) {
        return rr.read(r * inner, inner);
      }

      @Override
      public int at(int r) {
        return rr.start(r * inner);
      }
    });
  }

  private static int innerSize(int[] s, int lead) {
    int inner = 1;
    for (int a = lead; a < s.length; a++) {
      inner *= s[a];
    }
    return inner;
  }

  /**
   * The first pass of {@link #leadingPartial} done straight from a coded block's codes, with the
   * bits of {@link #sumRows} over the decoded rows: returns the number of rows per output row to
   * add to every count, as {@link #sumRows} does (there, the rows without NaN, whose counts it
   * leaves to the caller; here, every row, as its NaN were subtracted from the counts).
   */
  @FunctionalInterface
  private interface CodedSums {
    int[] sum(int[] rowOf, double[] n, double[] a, double[] q);
  }

  /**
   * {@link #leadingPartial} over rows from any source, visited in the same order (sums, then M2);
   * {@code fused}, when not null, makes the first pass instead of {@link #sumRows} over rows.
   */
  private void leadingPartial(State st, int[] s, int lead, long[] offset, CodedSums fused, Rows rows) {
    int inner = innerSize(s, lead);
    double[] n = st.n;
    double[] a = st.a;
    // The long loops are in small static methods of their own: this method runs once per block,
    // and a loop of its own over a block's rows would have the JIT compile all of it on the stack
    // (three times, measured on the air workload, each after a deoptimization).
    int[] rowOf = outputRows(s, lead, inner, groupAxis, groupOf, groupAxis >= 0 ? (int) offset[groupAxis] : 0);
    // rows without NaN (most, usually) take plain adds, which the JIT vectorizes, and are counted
    // per output row at the end (counts are integers: the same values in any order); var and std
    // also sum squares in this pass (see below). The loops are small static methods shared by
    // every kernel: each is compiled once, early and quickly.
    double[] q = st.m2 == null ? null : new double[a.length];
    int[] cleanRows = fused != null ? fused.sum(rowOf, n, a, q) : sumRows(rows, rowOf, inner, n, a, q);
    for (int g = 0; g < cleanRows.length; g++) {
      if (cleanRows[g] != 0) {
        addConstant(n, g * inner, inner, cleanRows[g]);
      }
    }
    if (!op.moments()) {
      return;
    }
    boolean oneQ = q != null && secondMomentsFromSquares(n, a, q, st.m2, op == Op.MEAN ? MOMENTS_LOSS : ONE_PASS_LOSS);
    toMeans(n, a);
    if (st.m2 == null || oneQ) {
      return;
    }
    double[] m2 = st.m2;
    Arrays.fill(m2, 0);
    deviationRows(rows, rowOf, inner, a, m2);
  }

  /**
   * The output row of each outer position of a block (positions of the leading {@code lead}
   * axes, C order): its group's row ({@code group * inner}) when grouped along an axis among
   * them, else 0.
   */
  private static int[] outputRows(int[] s, int lead, int inner, int groupAxis, int[] groupOf, int groupOffset) {
    int outer = inner == 0 ? 0 : NdArray.sizeOf(s) / inner;
    int[] ctr = new int[lead];
    int[] rowOf = new int[outer];
    for (int r = 0; r < outer; r++) {
      int g = groupAxis >= 0 ? groupOf[groupOffset + ctr[groupAxis]] : 0;
      rowOf[r] = g * inner;
      for (int ax = lead - 1; ax >= 0; ax--) {
        if (++ctr[ax] < s[ax]) {
          break;
        }
        ctr[ax] = 0;
      }
    }
    return rowOf;
  }

  /**
   * M2 from the sums of squares, Q - S^2/n, into m2; true when the cancellation cost at most
   * log2(loss) of the 53 bits everywhere. For var and std, 10 bits (Q <= 1024 M2, i.e. the values'
   * mean is at most ~32 standard deviations from 0, as for anomalies or temperatures in kelvin with
   * their seasonal spread; the sums' own rounding adds up to ~log2(n) bits, as in any sum). For a
   * mean's second moments, which only anomalies' var and std read ({@link #partialFromMoments}),
   * 20 bits: a monthly group of temperatures in kelvin (Q ~ 2^14 M2) keeps its M2 to ~1e-11, and
   * at the limit ~1e-8 remain, ten times finer than float32 data. When false, the caller makes the
   * exact second pass over the deviations from the mean.
   */
  private static boolean secondMomentsFromSquares(double[] n, double[] a, double[] q, double[] m2, double loss) {
    boolean oneQ = true;
    for (int o = 0; o < a.length; o++) {
      if (n[o] <= 1) { // one value: what the two passes give, (v - v)^2 (0, or NaN for an infinity)
        double e = a[o] - a[o];
        m2[o] = n[o] == 0 ? 0 : e * e;
        continue;
      }
      double m = q[o] - a[o] * (a[o] / n[o]);
      m2[o] = m;
      oneQ &= m * loss >= q[o];
    }
    return oneQ;
  }

  /** Sums to means (0 where there is no value). */
  private static void toMeans(double[] n, double[] a) {
    for (int o = 0; o < a.length; o++) {
      a[o] = n[o] == 0 ? 0 : a[o] / n[o];
    }
  }

  /**
   * The first pass of {@link #leadingPartial}: counts of NaN rows' values, sums (and squares
   * when q is not null); returns the number of rows without NaN per output row, whose counts are
   * left to the caller. Its own method: its loop is compiled apart from the caller's set-up.
   */
  private static int[] sumRows(Rows rows, int[] rowOf, int inner, double[] n, double[] a, double[] q) {
    int[] cleanRows = new int[inner == 0 ? 0 : n.length / inner];
    for (int r = 0; r < rowOf.length; r++) {
      int o = rowOf[r];
      double[] d = rows.row(r);
      int i0 = rows.at(r);
      if (hasNaN(d, i0, inner)) {
        addMasked(d, i0, n, a, q, o, inner);
      } else {
        cleanRows[o / inner]++;
        if (q == null) {
          add(d, i0, a, o, inner);
        } else {
          addWithSquares(d, i0, a, q, o, inner);
        }
      }
    }
    return cleanRows;
  }

  /**
   * A coded block's table with NaN entries made 0, and which entries are NaN: a NaN-skipping sum
   * adds {@code zeroed[c]} for every code c (adding 0 where it skipped) and counts {@code nan[c]}.
   * One per table (tables are shared by a variable's blocks), made on first use.
   */
  static final class MaskedTable {
    private static final Map<double[], MaskedTable> MADE = Collections.synchronizedMap(new WeakHashMap<>());

    final double[] zeroed;
    final byte[] nan;

    private MaskedTable(double[] table) {
      zeroed = new double[table.length];
      nan = new byte[table.length];
      for (int c = 0; c < table.length; c++) {
        double v = table[c];
        boolean isNaN = v != v;
        zeroed[c] = isNaN ? 0 : v;
        nan[c] = (byte) (isNaN ? 1 : 0);
      }
    }

    /** The masked form of {@code table} (arrays are keys by identity). */
    static MaskedTable of(double[] table) {
      return MADE.computeIfAbsent(table, MaskedTable::new);
    }
  }

  /**
   * {@link #sumRows} of a coded block's rows (row r is values {@code [r * inner, +inner)}), each
   * row one loop over its codes: the sums add 0 where {@link #addMasked} skips a NaN (same bits).
   * With p not null, of the anomalies {@code (float) (value - p[pAt[r] + k])} of a coded float32
   * block instead (p finite, so a value is NaN exactly where its code is). Every row is returned
   * as counted whole (see {@link CodedSums}); a row with NaN takes those back in a second loop of
   * its own.
   */
  private static int[] sumCodedRows(short[] codes, MaskedTable mt, double[] p, int[] pAt, int[] rowOf, int inner,
      double[] n, double[] a, double[] q) {
    int[] cleanRows = new int[inner == 0 ? 0 : n.length / inner];
    for (int r = 0; r < rowOf.length; r++) {
      int o = rowOf[r];
      int i0 = r * inner;
      int bad;
      if (p == null) {
        bad = q == null ? addCoded(codes, i0, mt.zeroed, mt.nan, a, o, inner)
            : addCodedWithSquares(codes, i0, mt.zeroed, mt.nan, a, q, o, inner);
      } else {
        bad = q == null ? addCodedAnomalies(codes, i0, mt.zeroed, mt.nan, p, pAt[r], a, o, inner)
            : addCodedAnomaliesWithSquares(codes, i0, mt.zeroed, mt.nan, p, pAt[r], a, q, o, inner);
      }
      cleanRows[o / inner]++; // counted as whole, then its NaN taken back (counts are exact integers)
      if (bad != 0) {
        uncountNaN(codes, i0, mt.nan, n, o, inner);
      }
    }
    return cleanRows;
  }

  /** {@code a[o + k] += zeroed[code]} over a run of codes; returns how many were NaN. */
  private static int addCoded(short[] codes, int i0, double[] zeroed, byte[] nan, double[] a, int o, int len) {
    int bad = 0;
    for (int k = 0; k < len; k++) {
      int c = codes[i0 + k] & 0xFFFF;
      a[o + k] += zeroed[c];
      bad += nan[c];
    }
    return bad;
  }

  /** {@link #addCoded}, and the squares into q. */
  private static int addCodedWithSquares(short[] codes, int i0, double[] zeroed, byte[] nan, double[] a, double[] q,
      int o, int len) {
    int bad = 0;
    for (int k = 0; k < len; k++) {
      int c = codes[i0 + k] & 0xFFFF;
      double v = zeroed[c];
      a[o + k] += v;
      q[o + k] += v * v;
      bad += nan[c];
    }
    return bad;
  }

  /**
   * {@code n[o + k] -= 1} for the codes that are NaN: a row with a few NaN among many values (as
   * missing data usually is) costs a read of its codes, not a write of every count.
   */
  private static void uncountNaN(short[] codes, int i0, byte[] nan, double[] n, int o, int len) {
    for (int k = 0; k < len; k++) {
      if (nan[codes[i0 + k] & 0xFFFF] != 0) {
        n[o + k] -= 1;
      }
    }
  }

  /** {@code a[o + k] += (float) (value - p[p0 + k])}, 0 for a NaN code; returns how many were NaN. */
  private static int addCodedAnomalies(short[] codes, int i0, double[] zeroed, byte[] nan, double[] p, int p0,
      double[] a, int o, int len) {
    int bad = 0;
    for (int k = 0; k < len; k++) {
      int c = codes[i0 + k] & 0xFFFF;
      int isNaN = nan[c];
      double v = isNaN != 0 ? 0 : (double) (float) (zeroed[c] - p[p0 + k]);
      a[o + k] += v;
      bad += isNaN;
    }
    return bad;
  }

  /** {@link #addCodedAnomalies}, and the squares into q (a copy, as {@link #addCodedWithSquares} is of {@link #addCoded}: each kernel compiled alone, only those a job uses). */
  private static int addCodedAnomaliesWithSquares(short[] codes, int i0, double[] zeroed, byte[] nan, double[] p,
      int p0, double[] a, double[] q, int o, int len) {
    int bad = 0;
    for (int k = 0; k < len; k++) {
      int c = codes[i0 + k] & 0xFFFF;
      int isNaN = nan[c];
      double v = isNaN != 0 ? 0 : (double) (float) (zeroed[c] - p[p0 + k]);
      a[o + k] += v;
      q[o + k] += v * v;
      bad += isNaN;
    }
    return bad;
  }

  /**
   * {@link #sum4} of a run of codes' values with NaN as 0 ({@link #sum4Masked}'s bits); returns
   * how many were NaN.
   */
  private static int sum4Coded(short[] codes, int i0, int len, double[] zeroed, byte[] nan, double[] acc) {
    double s0 = acc[0];
    double s1 = acc[1];
    double s2 = acc[2];
    double s3 = acc[3];
    int bad = 0;
    int k = 0;
    for (; k + 4 <= len; k += 4) {
      int c0 = codes[i0 + k] & 0xFFFF;
      int c1 = codes[i0 + k + 1] & 0xFFFF;
      int c2 = codes[i0 + k + 2] & 0xFFFF;
      int c3 = codes[i0 + k + 3] & 0xFFFF;
      s0 += zeroed[c0];
      s1 += zeroed[c1];
      s2 += zeroed[c2];
      s3 += zeroed[c3];
      bad += nan[c0] + nan[c1] + nan[c2] + nan[c3];
    }
    for (; k < len; k++) {
      int c = codes[i0 + k] & 0xFFFF;
      s0 += zeroed[c];
      bad += nan[c];
    }
    acc[0] = s0;
    acc[1] = s1;
    acc[2] = s2;
    acc[3] = s3;
    return bad;
  }

  /** The exact second pass: squared deviations from the means, row by row. */
  private static void deviationRows(Rows rows, int[] rowOf, int inner, double[] mean, double[] m2) {
    for (int r = 0; r < rowOf.length; r++) {
      double[] d = rows.row(r);
      deviationSquares(d, rows.at(r), mean, m2, rowOf[r], inner);
    }
  }

  /**
   * Adds {@code d[i0, i0 + len)} to four accumulators (blocks of four, the rest into the first).
   * Over the chunks of a run whose lengths are multiples of four but the last, the same sums as
   * one pass over the run.
   */
  private static void sum4(double[] d, int i0, int len, double[] acc) {
    double s0 = acc[0];
    double s1 = acc[1];
    double s2 = acc[2];
    double s3 = acc[3];
    int k = 0;
    for (; k + 4 <= len; k += 4) {
      s0 += d[i0 + k];
      s1 += d[i0 + k + 1];
      s2 += d[i0 + k + 2];
      s3 += d[i0 + k + 3];
    }
    for (; k < len; k++) {
      s0 += d[i0 + k];
    }
    acc[0] = s0;
    acc[1] = s1;
    acc[2] = s2;
    acc[3] = s3;
  }

  /**
   * {@link #sum4} of the values that are not NaN. A copy on purpose: one method with a "masked"
   * flag measured ~7% slower on the air workload (two A/B runs of 7 pairs).
   */
  private static void sum4Masked(double[] d, int i0, int len, double[] acc) {
    double s0 = acc[0];
    double s1 = acc[1];
    double s2 = acc[2];
    double s3 = acc[3];
    int k = 0;
    for (; k + 4 <= len; k += 4) {
      double v0 = d[i0 + k];
      double v1 = d[i0 + k + 1];
      double v2 = d[i0 + k + 2];
      double v3 = d[i0 + k + 3];
      s0 += v0 == v0 ? v0 : 0;
      s1 += v1 == v1 ? v1 : 0;
      s2 += v2 == v2 ? v2 : 0;
      s3 += v3 == v3 ? v3 : 0;
    }
    for (; k < len; k++) {
      double v = d[i0 + k];
      s0 += v == v ? v : 0;
    }
    acc[0] = s0;
    acc[1] = s1;
    acc[2] = s2;
    acc[3] = s3;
  }

  /** Squared deviations from {@code mean} of the non-NaN values, into two accumulators (pairs, the rest into the first). */
  private static void deviationSquares2(double[] d, int i0, int len, double mean, double[] q) {
    double q0 = q[0];
    double q1 = q[1];
    int k = 0;
    for (; k + 2 <= len; k += 2) {
      double v0 = d[i0 + k];
      double v1 = d[i0 + k + 1];
      double e0 = v0 - mean;
      double e1 = v1 - mean;
      q0 += v0 == v0 ? e0 * e0 : 0;
      q1 += v1 == v1 ? e1 * e1 : 0;
    }
    for (; k < len; k++) {
      double v = d[i0 + k];
      double e = v - mean;
      q0 += v == v ? e * e : 0;
    }
    q[0] = q0;
    q[1] = q1;
  }

  /** Count and minimum (or maximum) of the non-NaN values into output o. */
  private static void extremes(double[] d, int i0, int len, double[] n, double[] a, int o, boolean min) {
    for (int k = 0; k < len; k++) {
      double v = d[i0 + k];
      if (v == v) {
        n[o]++;
        a[o] = a[o] == a[o] ? (min ? Math.min(a[o], v) : Math.max(a[o], v)) : v;
      }
    }
  }

  /** Values of a run read per call when the run is one output's (a multiple of 4: see {@link #sum4}). */
  private static final int CHUNK = 8192;

  private static int countValid(double[] d, int i0, int len) {
    int c = 0;
    for (int k = 0; k < len; k++) {
      double v = d[i0 + k];
      c += v == v ? 1 : 0;
    }
    return c;
  }

  /** {@code a[o + k] += d[i0 + k]}. */
  private static void add(double[] d, int i0, double[] a, int o, int len) {
    for (int k = 0; k < len; k++) {
      a[o + k] += d[i0 + k];
    }
  }

  /** {@link #add}, and the squares into q. */
  private static void addWithSquares(double[] d, int i0, double[] a, double[] q, int o, int len) {
    for (int k = 0; k < len; k++) {
      double v = d[i0 + k];
      a[o + k] += v;
      q[o + k] += v * v;
    }
  }

  /** Counts, sums and (when q is not null) squares of the values that are not NaN. */
  private static void addMasked(double[] d, int i0, double[] n, double[] a, double[] q, int o, int len) {
    for (int k = 0; k < len; k++) {
      double v = d[i0 + k];
      boolean ok = v == v;
      n[o + k] += ok ? 1 : 0;
      a[o + k] += ok ? v : 0;
      if (q != null) {
        q[o + k] += ok ? v * v : 0;
      }
    }
  }

  private static void addConstant(double[] a, int o, int len, double c) {
    for (int k = 0; k < len; k++) {
      a[o + k] += c;
    }
  }

  /** {@code m2[o + k] += (d[i0 + k] - mean[o + k])^2}, skipping NaN. */
  private static void deviationSquares(double[] d, int i0, double[] mean, double[] m2, int o, int len) {
    for (int k = 0; k < len; k++) {
      double v = d[i0 + k];
      double dv = v - mean[o + k];
      m2[o + k] += v == v ? dv * dv : 0;
    }
  }

  /** {@code row[k] = (float) (table[codes[i0 + k]] - p[p0 + k])}: anomalies of coded float32 data. */
  private static void decodeMinusF32(short[] codes, double[] table, int i0, double[] p, int p0, double[] row,
      int len) {
    for (int k = 0; k < len; k++) {
      row[k] = (float) (table[codes[i0 + k] & 0xFFFF] - p[p0 + k]);
    }
  }

  /** How far the sum of squares may exceed M2 for M2 = Q - S^2/n (2^10: at most 10 bits lost). */
  private static final double ONE_PASS_LOSS = 1024;

  /** {@link #ONE_PASS_LOSS} for a mean's second moments (2^20; see {@link #secondMomentsFromSquares}). */
  private static final double MOMENTS_LOSS = 1 << 20;

  /** True when a value in {@code [from, from + len)} of d is NaN. */
  private static boolean hasNaN(double[] d, int from, int len) {
    for (int k = 0; k < len; k++) {
      double v = d[from + k];
      if (v != v) {
        return true;
      }
    }
    return false;
  }

  /**
   * The partial of this reduction (mean, var or std over axis 0 and maybe other axes) of a block,
   * from the block's partial of a finer grouped mean over axis 0 of the same data instead of the
   * block: the values of fine group g at a position are n_g values with mean mean_g and M2 M2_g,
   * merged in group order (Chan et al.) into the output of their position (and, when this
   * reduction is grouped, of the group that g lies in). Two uses:
   * <ul>
   *   <li>anomalies {@code x - p[pRowOf[g]]} (std of data minus its climatology): a shift leaves
   *       M2 as it is and moves the mean by p. The anomalies are not rounded to float32 as
   *       {@link #partialOfGrouped} rounds them, and var and std take M2 per group from sums of
   *       squares (see {@link #secondMomentsFromSquares}): the results agree with it to ~1e-8 at
   *       worst, not to the bit. A NaN p skips its group, as its anomalies are NaN;
   *   <li>coarser groups (seasons from months, with p null): the same values as the reduction
   *       over the block to ~1e-15, in another order of additions.
   * </ul>
   * Null when a value or p is infinite (or a sum overflowed): the algebra above does not give what
   * IEEE arithmetic on the values gives then, and the caller reduces the block itself.
   *
   * @param moments the block's partial of the finer grouped mean over axis 0 (shape: its groups,
   *     then the block's other axes), with second moments when this reduction is var or std
   * @param perGroup the block of p (shape: p's groups, then the block's other axes), or null
   * @param pRowOf p's group of each of the moments' groups (-1: none), or null
   * @param outGroupOf this reduction's group of each of the moments' groups, or null when this
   *     reduction is not grouped
   * @param blockShape the block's shape
   */
  State partialFromMoments(State moments, NdArray perGroup, int[] pRowOf, int[] outGroupOf, int[] blockShape) {
    int[] os = keepShape(blockShape);
    State st = new State(os, op);
    if (moments.m2 == null && st.m2 != null) {
      throw new IllegalStateException("a grouped mean's partial without the second moments " + op.label() + " needs");
    }
    int inner = innerSize(blockShape, 1);
    int[] outOf = new int[inner]; // output of each position of the block's axes after the first
    int[] ost = NdArray.strides(os);
    int[] ctr = new int[blockShape.length];
    for (int j = 0; j < inner; j++) {
      int o = 0;
      for (int ax = 1; ax < blockShape.length; ax++) {
        o += reduced[ax] ? 0 : ctr[ax] * ost[ax];
      }
      outOf[j] = o;
      for (int ax = blockShape.length - 1; ax >= 1; ax--) {
        if (++ctr[ax] < blockShape[ax]) {
          break;
        }
        ctr[ax] = 0;
      }
    }
    double[] p = perGroup == null ? null : perGroup.toDoubles();
    int groups = inner == 0 ? 0 : moments.n.length / inner;
    for (int g = 0; g < groups; g++) { // first, that every value taken is finite
      for (int j = 0; j < inner; j++) {
        int m = g * inner + j;
        if (moments.n[m] == 0) {
          continue;
        }
        if (!Double.isFinite(moments.a[m]) || st.m2 != null && !Double.isFinite(moments.m2[m])
            || p != null && Double.isInfinite(p[pRowOf[g] * inner + j])) {
          return null;
        }
      }
    }
    for (int g = 0; g < groups; g++) {
      for (int j = 0; j < inner; j++) {
        int m = g * inner + j;
        double ng = moments.n[m];
        if (ng == 0) {
          continue;
        }
        double mean = moments.a[m];
        if (p != null) {
          double pv = p[pRowOf[g] * inner + j];
          if (pv != pv) {
            continue;
          }
          mean -= pv;
        }
        int o = outOf[j] + (outGroupOf == null ? 0 : outGroupOf[g] * ost[0]);
        mergeInto(st, o, ng, mean, moments.m2 == null ? 0 : moments.m2[m]);
      }
    }
    return st;
  }

  /** Merges (n, mean, M2) into output o of st (Chan et al.; M2 only when st keeps it). */
  private static void mergeInto(State st, int o, double nb, double meanB, double m2B) {
    merge(st.n, st.a, st.m2, o, nb, meanB, m2B);
  }

  /**
   * Merges a part of nb values with mean meanB and M2 m2B into entry o of (n, mean, m2) (Chan et
   * al.; m2 may be null): the first part as it is; a mean difference that is not finite (an
   * infinite or NaN mean, or finite means too far apart) gives the weighted mean of the parts,
   * as sums of the values give it (inf, NaN for inf - inf), and M2 +inf (finite means) or NaN.
   * Shared with {@link Reduction}'s plain mean, var and std.
   */
  static void merge(double[] n, double[] mean, double[] m2, int o, double nb, double meanB, double m2B) {
    double na = n[o];
    if (na == 0) {
      n[o] = nb;
      mean[o] = meanB;
      if (m2 != null) {
        m2[o] = m2B;
      }
      return;
    }
    double nt = na + nb;
    double delta = meanB - mean[o];
    if (Double.isFinite(delta)) {
      mean[o] += delta * nb / nt;
      if (m2 != null) {
        m2[o] += m2B + delta * delta * na * nb / nt;
      }
    } else {
      double meanA = mean[o];
      boolean finite = Double.isFinite(meanA) && Double.isFinite(meanB);
      mean[o] = meanA * (na / nt) + meanB * (nb / nt);
      if (m2 != null) {
        m2[o] = finite ? Double.POSITIVE_INFINITY : Double.NaN;
      }
    }
    n[o] = nt;
  }

  /**
   * True when {@link #partialFromMoments} can make this reduction's partials: mean, var or std
   * over axis 0 (and maybe other axes), grouped along axis 0 when {@code grouped}.
   */
  boolean takesMoments(int nd, boolean grouped) {
    return (op == Op.MEAN || op == Op.VAR || op == Op.STD) && (grouped ? groupAxis == 0 : groupAxis < 0) && nd > 0
        && reduced[0];
  }

  /** True when this reduction's partials need second moments (var, std). */
  boolean needsM2() {
    return op == Op.VAR || op == Op.STD;
  }

  /**
   * Where in the per-group values the run starting at value i0 of a block reads: its step along
   * axis 0 ({@code perStep} values each, the block starting at step off0) picks the group's row,
   * and the run's offset within the step the position in it.
   */
  private static int perGroupStart(int[] binGroupOf, int off0, int perStep, int i0) {
    int step = i0 / perStep;
    return binGroupOf[off0 + step] * perStep + (i0 - step * perStep);
  }

  private static boolean allFinite(double[] d) {
    for (double v : d) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  /** True when {@link #partialOfGrouped} streams rows for n-d blocks (leading axes reduced; not min/max). */
  boolean streamsRows(int nd) {
    return op != Op.MIN && op != Op.MAX && leadingReduced(new int[nd]) > 0;
  }

  /**
   * The partial of {@code applyByGroup(bin, t, x, perGroup, 0, offset[0], binGroupOf)} (group-wise
   * arithmetic along axis 0, perGroup not broadcast) without that block: each outer row is
   * remade when visited (twice for var/std), with the arithmetic and rounding of
   * {@link #applyByGroup}, so the bits are those of the partial of the materialized block.
   */
  State partialOfGrouped(BlockOps.Bin bin, DType t, NdArray x, NdArray perGroup, int[] binGroupOf, long[] offset) {
    int[] s = x.shapeRef();
    int lead = leadingReduced(s);
    if (lead == 0 || op == Op.MIN || op == Op.MAX) {
      return partial(applyByGroup(bin, t, x, perGroup, 0, (int) offset[0], binGroupOf), offset);
    }
    State st = new State(keepShape(s), op);
    int inner = innerSize(s, lead);
    int perStep = innerSize(s, 1); // values per position of axis 0
    double[] p = perGroup.toDoubles();
    double[] row = new double[inner];
    boolean f32 = t == DType.FLOAT32;
    short[] codes = x.readsCodes() ? x.codesRef() : null;
    double[] table = x.readsCodes() ? x.tableRef() : null;
    int off0 = (int) offset[0];
    CodedSums fused = null;
    if (codes != null && bin == BlockOps.Bin.SUB && f32 && allFinite(p)) {
      // anomalies of packed data straight from the codes: with p finite, an anomaly is NaN exactly
      // where its code is (an infinite p would make inf - inf NaN where the code is not)
      MaskedTable mt = MaskedTable.of(table);
      fused = (rowOf, n, a, q) -> {
        int[] pAt = new int[rowOf.length];
        for (int r = 0; r < pAt.length; r++) {
          pAt[r] = perGroupStart(binGroupOf, off0, perStep, r * inner);
        }
        return sumCodedRows(codes, mt, p, pAt, rowOf, inner, n, a, q);
      };
    }
    leadingPartial(st, s, lead, offset, fused, new Rows() {
      @Override
      public double[] row(int r) {
        int i0 = r * inner;
        int p0 = perGroupStart(binGroupOf, off0, perStep, i0);
        if (codes != null && bin == BlockOps.Bin.SUB && f32) { // anomalies of packed data: one loop
          decodeMinusF32(codes, table, i0, p, p0, row, inner);
          return row;
        }
        x.copyDoubles(i0, row, 0, inner); // decoded here when x is coded
        if (bin == BlockOps.Bin.SUB && f32) { // anomalies: float32 rounding in the same loop
          for (int k = 0; k < inner; k++) {
            row[k] = (float) (row[k] - p[p0 + k]);
          }
          return row;
        }
        switch (bin) { // row = x op perGroup
          case ADD -> {
            for (int k = 0; k < inner; k++) {
              row[k] = row[k] + p[p0 + k];
            }
          }
          case SUB -> {
            for (int k = 0; k < inner; k++) {
              row[k] = row[k] - p[p0 + k];
            }
          }
          case MUL -> {
            for (int k = 0; k < inner; k++) {
              row[k] = row[k] * p[p0 + k];
            }
          }
          default -> {
            for (int k = 0; k < inner; k++) {
              row[k] = BlockOps.apply(bin, row[k], p[p0 + k]);
            }
          }
        }
        if (f32) {
          for (int k = 0; k < inner; k++) {
            row[k] = (float) row[k];
          }
        }
        return row;
      }

      @Override
      public int at(int r) {
        return 0;
      }
    });
    return st;
  }

  /**
   * True when a row's outputs are consecutive (contributions 0, 1, 2, ...): decided from the
   * structure, as the last axis is kept (neither reduced nor grouped), never from the values.
   */
  private boolean unitRows(int nd) {
    return nd > 0 && !reduced[nd - 1];
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
    int lead = leadingReduced(s);
    if (lead > 0 && op != Op.MIN && op != Op.MAX) {
      State st = new State(os, op, op == Op.STD || op == Op.VAR || (op == Op.MEAN && momentsWanted));
      leadingPartial(st, x, s, lead, offset);
      return st;
    }
    State st = new State(os, op);
    double[] n = st.n;
    double[] a = st.a;
    int[][] c = contributions(s, os, offset);
    boolean unit = unitRows(s.length);
    // trailing axes that are reduced (not grouped) make one run per output: visit them as one row
    int tail = s.length;
    while (tail > 0 && reduced[tail - 1] && tail - 1 != groupAxis) {
      tail--;
    }
    boolean whole = tail < s.length;
    if (whole) {
      int run = innerSize(s, tail);
      s = Arrays.copyOf(s, tail + 1);
      s[tail] = run;
      c = Arrays.copyOf(c, tail + 1);
      c[tail] = null; // every value of a run goes to the run's output (base): not read
    }
    RunReader rr = new RunReader(x);
    boolean fromCodes = whole && x.readsCodes() && op != Op.MIN && op != Op.MAX; // the sums' path below
    MaskedTable coded = fromCodes ? MaskedTable.of(x.tableRef()) : null;
    short[] codes = fromCodes ? x.codesRef() : null;
    switch (op) {
      case MIN, MAX -> forEachRow(s, c, (in, base, len, cl) -> {
        if (whole) { // a run of any length, read a chunk at a time (a coded block is never decoded whole)
          for (int c0 = 0; c0 < len; c0 += CHUNK) {
            int m = Math.min(CHUNK, len - c0);
            extremes(rr.read(in + c0, m), rr.start(in + c0), m, n, a, base, op == Op.MIN);
          }
          return;
        }
        double[] d = rr.read(in, len);
        int i0 = rr.start(in);
        boolean min = op == Op.MIN;
        for (int k = 0; k < len; k++) {
          double v = d[i0 + k];
          int o = base + cl[k];
          if (v == v) {
            n[o]++;
            a[o] = a[o] == a[o] ? (min ? Math.min(a[o], v) : Math.max(a[o], v)) : v;
          }
        }
      });
      default -> forEachRow(s, c, (in, base, len, cl) -> {
        if (whole) { // one output: four independent sums over the run's chunks, then one update
          double[] acc = new double[4];
          int cnt = 0;
          if (coded != null) { // straight from the codes, NaN as 0: the bits of the loop below
            for (int c0 = 0; c0 < len; c0 += CHUNK) {
              int m = Math.min(CHUNK, len - c0);
              cnt += m - sum4Coded(codes, in + c0, m, coded.zeroed, coded.nan, acc);
            }
            n[base] += cnt;
            a[base] += (acc[0] + acc[1]) + (acc[2] + acc[3]);
            return;
          }
          for (int c0 = 0; c0 < len; c0 += CHUNK) {
            int m = Math.min(CHUNK, len - c0);
            double[] d = rr.read(in + c0, m);
            int i0 = rr.start(in + c0);
            if (!hasNaN(d, i0, m)) {
              cnt += m;
              sum4(d, i0, m, acc);
            } else {
              cnt += countValid(d, i0, m);
              sum4Masked(d, i0, m, acc);
            }
          }
          n[base] += cnt;
          a[base] += (acc[0] + acc[1]) + (acc[2] + acc[3]);
          return;
        }
        double[] d = rr.read(in, len);
        int i0 = rr.start(in);
        if (unit) { // the last axis is kept: a row's outputs are consecutive (branch-free, SIMD-friendly)
          if (!hasNaN(d, i0, len)) {
            addConstant(n, base, len, 1);
            add(d, i0, a, base, len);
          } else {
            addMasked(d, i0, n, a, null, base, len);
          }
          return;
        }
        for (int k = 0; k < len; k++) {
          double v = d[i0 + k];
          if (v == v) {
            int o = base + cl[k];
            n[o]++;
            a[o] += v;
          }
        }
      });
    }
    if (op.moments()) {
      for (int o = 0; o < a.length; o++) {
        a[o] = n[o] == 0 ? 0 : a[o] / n[o];
      }
      if (st.m2 != null) {
        double[] m2 = st.m2;
        forEachRow(s, c, (in, base, len, cl) -> {
          if (whole) {
            double[] q = new double[2];
            for (int c0 = 0; c0 < len; c0 += CHUNK) {
              int m = Math.min(CHUNK, len - c0);
              deviationSquares2(rr.read(in + c0, m), rr.start(in + c0), m, a[base], q);
            }
            m2[base] += q[0] + q[1];
            return;
          }
          double[] d = rr.read(in, len);
          int i0 = rr.start(in);
          if (unit) {
            for (int k = 0; k < len; k++) {
              double v = d[i0 + k];
              double dv = v - a[base + k];
              m2[base + k] += v == v ? dv * dv : 0;
            }
            return;
          }
          for (int k = 0; k < len; k++) {
            double v = d[i0 + k];
            if (v == v) {
              int o = base + cl[k];
              double dv = v - a[o];
              m2[o] += dv * dv;
            }
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
            mergeInto(acc, i, nb, b.a[i], acc.m2 == null ? 0 : b.m2[i]);
            continue; // mergeInto set the count
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
    boolean f32 = t == DType.FLOAT32;
    int lastAxis = nd - 1;
    boolean unit = nd > 0 && lastAxis != axis && ps[lastAxis] == s[lastAxis]; // the last axis kept, not broadcast
    switch (bin) {
      case ADD -> forEachRow(s, c, (in, base, len, cl) -> {
        for (int k = 0; k < len; k++) {
          out[in + k] = d[in + k] + p[base + cl[k]];
        }
      });
      case SUB -> forEachRow(s, c, (in, base, len, cl) -> {
        if (f32 && unit) { // anomalies: float32 rounding in the same pass
          for (int k = 0; k < len; k++) {
            out[in + k] = (float) (d[in + k] - p[base + k]);
          }
          return;
        }
        for (int k = 0; k < len; k++) {
          out[in + k] = d[in + k] - p[base + cl[k]];
        }
      });
      case MUL -> forEachRow(s, c, (in, base, len, cl) -> {
        for (int k = 0; k < len; k++) {
          out[in + k] = d[in + k] * p[base + cl[k]];
        }
      });
      default -> forEachRow(s, c, (in, base, len, cl) -> {
        for (int k = 0; k < len; k++) {
          out[in + k] = d[in + k] / p[base + cl[k]];
        }
      });
    }
    // the float32 subtraction above rounded as it wrote
    return bin == BlockOps.Bin.SUB && f32 && unit ? new NdArray(t, s.clone(), out) : NdArray.narrowed(t, out, s.clone());
  }
}
