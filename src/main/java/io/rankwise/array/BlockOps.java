package io.rankwise.array;

import java.util.Arrays;

/**
 * Kernels on one block: elementwise operations with NumPy broadcasting, and reductions over axes
 * that produce mergeable partial results. The only class that loops over block elements.
 */
final class BlockOps {
  private BlockOps() {}

  /** Binary elementwise operators. */
  enum Bin {
    ADD("add"), SUB("subtract"), MUL("multiply"), DIV("true_divide"), POW("power"), MIN("minimum"),
    MAX("maximum"), EQ("equal"), NE("not_equal"), LT("less"), LE("less_equal"), GT("greater"),
    GE("greater_equal"), AND("logical_and"), OR("logical_or");

    final String numpy;

    Bin(String numpy) {
      this.numpy = numpy;
    }

    boolean comparison() {
      return ordinal() >= EQ.ordinal();
    }
  }

  static DType resultType(Bin op, DType a, DType b) {
    if (op.comparison()) {
      return DType.BOOL;
    }
    DType t = DType.promote(a, b);
    if (op == Bin.DIV || op == Bin.POW) {
      return t.floatResult();
    }
    return t == DType.BOOL && op != Bin.MIN && op != Bin.MAX ? DType.INT64 : t;
  }

  // ---- broadcasting --------------------------------------------------------------------------

  static long[] broadcastShapes(long[] a, long[] b) {
    int nd = Math.max(a.length, b.length);
    long[] r = new long[nd];
    for (int i = 0; i < nd; i++) {
      long x = i < nd - a.length ? 1 : a[i - (nd - a.length)];
      long y = i < nd - b.length ? 1 : b[i - (nd - b.length)];
      if (x != y && x != 1 && y != 1) {
        throw new ArrayException("operands could not be broadcast together with shapes " + Arrays.toString(a) + " "
            + Arrays.toString(b) + " (axis " + i + ": " + x + " vs " + y + ")");
      }
      r[i] = x == 1 ? y : x;
    }
    return r;
  }

  /** Strides of {@code shape} seen from a result of {@code nd} axes: 0 where broadcast. */
  static int[] broadcastStrides(int[] shape, int[] result) {
    int nd = result.length;
    int[] st = NdArray.strides(shape);
    int[] out = new int[nd];
    for (int i = 0; i < nd; i++) {
      int j = i - (nd - shape.length);
      out[i] = j < 0 || shape[j] == 1 && result[i] != 1 ? 0 : st[j];
    }
    return out;
  }

  @FunctionalInterface
  interface PairVisitor {
    void visit(int out, int ia, int ib);
  }

  /** Visits every element of the broadcast result with the positions it reads in a and b. */
  static void forEachPair(int[] result, int[] sa, int[] sb, PairVisitor v) {
    int nd = result.length;
    int n = NdArray.sizeOf(result);
    if (n == 0) {
      return;
    }
    if (nd == 0) {
      v.visit(0, 0, 0);
      return;
    }
    int[] ctr = new int[nd];
    int ia = 0;
    int ib = 0;
    int last = nd - 1;
    int len = result[last];
    int da = sa[last];
    int db = sb[last];
    for (int out = 0; out < n; out += len) {
      int a = ia;
      int b = ib;
      for (int k = 0; k < len; k++) {
        v.visit(out + k, a, b);
        a += da;
        b += db;
      }
      // advance the odometer over the outer axes
      for (int ax = last - 1; ax >= 0; ax--) {
        ctr[ax]++;
        ia += sa[ax];
        ib += sb[ax];
        if (ctr[ax] < result[ax]) {
          break;
        }
        ia -= sa[ax] * result[ax];
        ib -= sb[ax] * result[ax];
        ctr[ax] = 0;
      }
    }
  }

  static int[] broadcastShapes(int[] a, int[] b) {
    long[] r = broadcastShapes(Arrays.stream(a).asLongStream().toArray(), Arrays.stream(b).asLongStream().toArray());
    return Arrays.stream(r).mapToInt(x -> (int) x).toArray();
  }

  // ---- elementwise ---------------------------------------------------------------------------

  static NdArray binary(Bin op, NdArray a, NdArray b) {
    int[] r = broadcastShapes(a.shapeRef(), b.shapeRef());
    DType t = resultType(op, a.dtype(), b.dtype());
    NdArray out = NdArray.zeros(t, r);
    int[] sa = broadcastStrides(a.shapeRef(), r);
    int[] sb = broadcastStrides(b.shapeRef(), r);
    boolean longs = !a.dtype().isFloat() && !b.dtype().isFloat();
    if (a.dtype().isFloat() && b.dtype().isFloat() && t.isFloat() && Arrays.equals(a.shapeRef(), b.shapeRef())) {
      doublesSameShape(op, (double[]) a.data(), (double[]) b.data(), (double[]) out.data());
      out.narrowInPlace();
      return out;
    }
    switch (t) {
      case FLOAT64, FLOAT32 -> {
        double[] o = (double[]) out.data();
        forEachPair(r, sa, sb, (i, x, y) -> o[i] = apply(op, a.getDouble(x), b.getDouble(y)));
      }
      case INT64, INT32 -> {
        long[] o = (long[]) out.data();
        forEachPair(r, sa, sb, (i, x, y) -> o[i] = apply(op, a.getLong(x), b.getLong(y)));
      }
      case BOOL -> {
        boolean[] o = (boolean[]) out.data();
        if (op == Bin.AND || op == Bin.OR) {
          forEachPair(r, sa, sb, (i, x, y) -> o[i] = op == Bin.AND ? a.getBool(x) && b.getBool(y)
              : a.getBool(x) || b.getBool(y));
        } else if (op == Bin.MIN || op == Bin.MAX) {
          forEachPair(r, sa, sb, (i, x, y) -> o[i] = op == Bin.MIN ? a.getBool(x) && b.getBool(y)
              : a.getBool(x) || b.getBool(y));
        } else if (longs) {
          forEachPair(r, sa, sb, (i, x, y) -> o[i] = compare(op, Long.compare(a.getLong(x), b.getLong(y))));
        } else {
          forEachPair(r, sa, sb, (i, x, y) -> o[i] = compare(op, a.getDouble(x), b.getDouble(y)));
        }
      }
    }
    out.narrowInPlace();
    return out;
  }

  private static void doublesSameShape(Bin op, double[] a, double[] b, double[] o) {
    int n = o.length;
    switch (op) {
      case ADD -> { for (int i = 0; i < n; i++) o[i] = a[i] + b[i]; }
      case SUB -> { for (int i = 0; i < n; i++) o[i] = a[i] - b[i]; }
      case MUL -> { for (int i = 0; i < n; i++) o[i] = a[i] * b[i]; }
      case DIV -> { for (int i = 0; i < n; i++) o[i] = a[i] / b[i]; }
      default -> { for (int i = 0; i < n; i++) o[i] = apply(op, a[i], b[i]); }
    }
  }

  /**
   * {@code a op bᵀ} for float64 matrices: a (rows x cols), b (cols x rows), b a block or a
   * uniform recipe ({@link GeneratedBlock}), whose transposed rows are generated in place: a
   * random block is never materialized only to be transposed.
   */
  static NdArray binaryTransposed(Bin op, NdArray a, Object b) {
    GeneratedBlock.TransposedRows gen = b instanceof GeneratedBlock g ? g.transposedRows() : null;
    if (gen == null) {
      return binaryTransposed(op, a, GeneratedBlock.nd(b));
    }
    int rows = a.shapeRef()[0];
    int cols = a.shapeRef()[1];
    double[] x = (double[]) a.data();
    double[] o = new double[rows * cols];
    for (int r = 0; r < rows; r++) {
      int off = r * cols;
      gen.transposedRow(r, o, off);
      combineInto(op, x, off, o, off, cols);
    }
    return NdArray.of(o, rows, cols);
  }

  /** {@code a op bᵀ} for float64 matrices: a (rows x cols), b (cols x rows); made in bands of rows. */
  static NdArray binaryTransposed(Bin op, NdArray a, NdArray b) {
    int rows = a.shapeRef()[0];
    int cols = a.shapeRef()[1];
    double[] o = new double[rows * cols];
    int h = bandRows(cols);
    for (int r0 = 0; r0 < rows; r0 += h) {
      transposedBand(op, (double[]) a.data(), (double[]) b.data(), rows, cols, r0, Math.min(rows, r0 + h), o,
          r0 * cols);
    }
    return NdArray.of(o, rows, cols);
  }

  /** Rows per band of {@link #transposedBand} for rows of {@code cols} values: about 128 KiB, a multiple of 8. */
  static int bandRows(int cols) {
    return Math.max(8, (16_384 / Math.max(1, cols)) & ~7);
  }

  /**
   * Rows [r0, r1) of {@code x op yᵀ} (x: rows x cols, y: cols x rows, row-major) into
   * {@code out} from {@code off}: y's columns are read as contiguous runs of r1 - r0 values and
   * the band stays in cache while x is combined into it.
   */
  static void transposedBand(Bin op, double[] x, double[] y, int rows, int cols, int r0, int r1, double[] out,
      int off) {
    int h = r1 - r0;
    for (int c = 0; c < cols; c++) {
      int src = c * rows + r0;
      for (int k = 0, o = off + c; k < h; k++, o += cols) {
        out[o] = y[src + k];
      }
    }
    combineInto(op, x, r0 * cols, out, off, h * cols);
  }

  /** {@code out[off + i] = x[xo + i] op out[off + i]} for i in [0, n). */
  static void combineInto(Bin op, double[] x, int xo, double[] out, int off, int n) {
    switch (op) {
      case ADD -> {
        for (int i = 0; i < n; i++) {
          out[off + i] = x[xo + i] + out[off + i];
        }
      }
      case SUB -> {
        for (int i = 0; i < n; i++) {
          out[off + i] = x[xo + i] - out[off + i];
        }
      }
      case MUL -> {
        for (int i = 0; i < n; i++) {
          out[off + i] = x[xo + i] * out[off + i];
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          out[off + i] = apply(op, x[xo + i], out[off + i]);
        }
      }
    }
  }

  static double apply(Bin op, double x, double y) {
    return switch (op) {
      case ADD -> x + y;
      case SUB -> x - y;
      case MUL -> x * y;
      case DIV -> x / y;
      case POW -> Math.pow(x, y);
      case MIN -> Math.min(x, y);
      case MAX -> Math.max(x, y);
      default -> throw new IllegalStateException(op.name());
    };
  }

  static long apply(Bin op, long x, long y) {
    return switch (op) {
      case ADD -> x + y;
      case SUB -> x - y;
      case MUL -> x * y;
      case MIN -> Math.min(x, y);
      case MAX -> Math.max(x, y);
      default -> throw new IllegalStateException(op.name());
    };
  }

  private static boolean compare(Bin op, double x, double y) {
    return switch (op) {
      case EQ -> x == y;
      case NE -> x != y;
      case LT -> x < y;
      case LE -> x <= y;
      case GT -> x > y;
      case GE -> x >= y;
      default -> throw new IllegalStateException(op.name());
    };
  }

  private static boolean compare(Bin op, int c) {
    return switch (op) {
      case EQ -> c == 0;
      case NE -> c != 0;
      case LT -> c < 0;
      case LE -> c <= 0;
      case GT -> c > 0;
      case GE -> c >= 0;
      default -> throw new IllegalStateException(op.name());
    };
  }

  /** {@code f} on every element, as float64. */
  static NdArray unary(NdArray x, java.util.function.DoubleUnaryOperator f) {
    return unary(x, f, DType.FLOAT64);
  }

  /** {@code f} on every element, as {@code out} (a float type; float32 results are rounded). */
  static NdArray unary(NdArray x, java.util.function.DoubleUnaryOperator f, DType out) {
    double[] o = new double[x.size()];
    if (x.dtype().isFloat()) {
      double[] d = (double[]) x.data();
      for (int i = 0; i < o.length; i++) {
        o[i] = f.applyAsDouble(d[i]);
      }
    } else {
      for (int i = 0; i < o.length; i++) {
        o[i] = f.applyAsDouble(x.getDouble(i));
      }
    }
    return NdArray.narrowed(out, o, x.shape());
  }

  static NdArray negate(NdArray x) {
    return switch (x.dtype()) {
      case FLOAT64, FLOAT32 -> unary(x, v -> -v, x.dtype());
      case INT64, INT32 -> {
        long[] d = (long[]) x.data();
        long[] o = new long[d.length];
        for (int i = 0; i < o.length; i++) {
          o[i] = -d[i];
        }
        yield NdArray.narrowed(x.dtype(), o, x.shape());
      }
      case BOOL -> {
        boolean[] d = (boolean[]) x.data();
        boolean[] o = new boolean[d.length];
        for (int i = 0; i < o.length; i++) {
          o[i] = !d[i];
        }
        yield NdArray.of(o, x.shape());
      }
    };
  }

  /** NumPy's where(cond, a, b) with broadcasting of all three. */
  static NdArray where(NdArray c, NdArray a, NdArray b) {
    int[] r = broadcastShapes(broadcastShapes(c.shapeRef(), a.shapeRef()), b.shapeRef());
    DType t = DType.promote(a.dtype(), b.dtype());
    NdArray ca = broadcastTo(c, r);
    NdArray aa = broadcastTo(a.astype(t), r);
    NdArray bb = broadcastTo(b.astype(t), r);
    NdArray out = NdArray.zeros(t, r);
    int n = out.size();
    for (int i = 0; i < n; i++) {
      NdArray src = ca.getBool(i) ? aa : bb;
      switch (t) {
        case FLOAT64, FLOAT32 -> ((double[]) out.data())[i] = src.getDouble(i);
        case INT64, INT32 -> ((long[]) out.data())[i] = src.getLong(i);
        case BOOL -> ((boolean[]) out.data())[i] = src.getBool(i);
      }
    }
    return out;
  }

  /** A materialized copy of {@code x} broadcast to {@code shape}. */
  static NdArray broadcastTo(NdArray x, int[] shape) {
    if (Arrays.equals(x.shapeRef(), shape)) {
      return x;
    }
    int[] check = broadcastShapes(x.shapeRef(), shape);
    if (!Arrays.equals(check, shape)) {
      throw new ArrayException("cannot broadcast shape " + Arrays.toString(x.shapeRef()) + " to "
          + Arrays.toString(shape));
    }
    NdArray out = NdArray.zeros(x.dtype(), shape);
    int[] sx = broadcastStrides(x.shapeRef(), shape);
    int[] zero = new int[shape.length];
    switch (x.dtype()) {
      case FLOAT64, FLOAT32 -> forEachPair(shape, sx, zero, (i, a, b) -> ((double[]) out.data())[i] = x.getDouble(a));
      case INT64, INT32 -> forEachPair(shape, sx, zero, (i, a, b) -> ((long[]) out.data())[i] = x.getLong(a));
      case BOOL -> forEachPair(shape, sx, zero, (i, a, b) -> ((boolean[]) out.data())[i] = x.getBool(a));
    }
    return out;
  }

  /**
   * Copies the box of {@code shape} at {@code srcOff} in {@code src} to {@code dstOff} in
   * {@code dst} (same dtype, same number of axes), one arraycopy per row of the last axis.
   */
  static void copyRegion(NdArray src, int[] srcOff, NdArray dst, int[] dstOff, int[] shape) {
    int nd = shape.length;
    if (NdArray.sizeOf(shape) == 0) {
      return;
    }
    int[] ss = NdArray.strides(src.shapeRef());
    int[] ds = NdArray.strides(dst.shapeRef());
    int s0 = 0;
    int d0 = 0;
    for (int a = 0; a < nd; a++) {
      s0 += srcOff[a] * ss[a];
      d0 += dstOff[a] * ds[a];
    }
    if (nd == 0) {
      System.arraycopy(src.data(), s0, dst.data(), d0, 1);
      return;
    }
    int row = shape[nd - 1];
    int[] rows = shape.clone();
    rows[nd - 1] = 1;
    int sb = s0;
    int db = d0;
    Object from = src.data();
    Object to = dst.data();
    forEachPair(rows, ss, ds, (i, si, di) -> System.arraycopy(from, sb + si, to, db + di, row));
  }

  /** The box of {@code shape} starting at {@code off}, taking every {@code step[a]}-th element (a copy). */
  static NdArray gather(NdArray src, int[] off, long[] step, int[] shape) {
    int nd = shape.length;
    NdArray out = NdArray.zeros(src.dtype(), shape);
    boolean unit = true;
    for (long st : step) {
      unit &= st == 1;
    }
    if (unit) {
      copyRegion(src, off, out, new int[nd], shape);
      return out;
    }
    int[] ss = NdArray.strides(src.shapeRef());
    int[] strided = new int[nd];
    int base = 0;
    for (int a = 0; a < nd; a++) {
      strided[a] = (int) (ss[a] * step[a]);
      base += off[a] * ss[a];
    }
    int b0 = base;
    int[] zero = new int[nd];
    switch (src.dtype()) {
      case FLOAT64, FLOAT32 -> forEachPair(shape, strided, zero, (i, si, u) -> ((double[]) out.data())[i] = ((double[]) src.data())[b0 + si]);
      case INT64, INT32 -> forEachPair(shape, strided, zero, (i, si, u) -> ((long[]) out.data())[i] = ((long[]) src.data())[b0 + si]);
      case BOOL -> forEachPair(shape, strided, zero, (i, si, u) -> ((boolean[]) out.data())[i] = ((boolean[]) src.data())[b0 + si]);
    }
    return out;
  }

  /** Matrix product of 2-d blocks, accumulated into {@code c} (m×n) += a (m×k) · b (k×n). */
  static void gemmAccumulate(double[] a, double[] b, double[] c, int m, int k, int n) {
    // i-k-j order: the inner loop streams rows of b and c (cache-friendly, vectorizable).
    for (int i = 0; i < m; i++) {
      int ci = i * n;
      for (int p = 0; p < k; p++) {
        double av = a[i * k + p];
        int bp = p * n;
        for (int j = 0; j < n; j++) {
          c[ci + j] += av * b[bp + j];
        }
      }
    }
  }

  /** The elements of {@code x} where {@code cond} is true, in C order, as a 1-d array. */
  static NdArray select(NdArray x, NdArray cond) {
    int n = x.size();
    int count = 0;
    for (int i = 0; i < n; i++) {
      if (cond.getBool(i)) {
        count++;
      }
    }
    NdArray out = NdArray.zeros(x.dtype(), count);
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (cond.getBool(i)) {
        switch (x.dtype()) {
          case FLOAT64, FLOAT32 -> ((double[]) out.data())[k] = x.getDouble(i);
          case INT64, INT32 -> ((long[]) out.data())[k] = x.getLong(i);
          case BOOL -> ((boolean[]) out.data())[k] = x.getBool(i);
        }
        k++;
      }
    }
    return out;
  }

  /** Matrix transpose in 64×64 tiles, so that reads and writes both stay in cache. */
  private static NdArray transpose2d(DType dtype, double[] a, int rows, int cols) {
    double[] t = new double[a.length];
    final int tile = 64;
    for (int r0 = 0; r0 < rows; r0 += tile) {
      int r1 = Math.min(rows, r0 + tile);
      for (int c0 = 0; c0 < cols; c0 += tile) {
        int c1 = Math.min(cols, c0 + tile);
        for (int r = r0; r < r1; r++) {
          int src = r * cols;
          for (int c = c0; c < c1; c++) {
            t[c * rows + r] = a[src + c];
          }
        }
      }
    }
    return new NdArray(dtype, new int[] {cols, rows}, t);
  }

  /** Transpose with an axis permutation (a copy). */
  static NdArray transpose(NdArray x, int[] axes) {
    int[] s = x.shapeRef();
    int nd = s.length;
    if (nd == 2 && axes[0] == 1 && x.dtype().isFloat()) {
      return transpose2d(x.dtype(), (double[]) x.data(), s[0], s[1]);
    }
    int[] rs = new int[nd];
    int[] st = NdArray.strides(s);
    int[] rst = new int[nd];
    for (int i = 0; i < nd; i++) {
      rs[i] = s[axes[i]];
      rst[i] = st[axes[i]];
    }
    NdArray out = NdArray.zeros(x.dtype(), rs);
    int[] zero = new int[nd];
    switch (x.dtype()) {
      case FLOAT64, FLOAT32 -> {
        double[] src = (double[]) x.data();
        double[] dst = (double[]) out.data();
        forEachPair(rs, rst, zero, (i, a, b) -> dst[i] = src[a]);
      }
      case INT64, INT32 -> forEachPair(rs, rst, zero, (i, a, b) -> ((long[]) out.data())[i] = x.getLong(a));
      case BOOL -> forEachPair(rs, rst, zero, (i, a, b) -> ((boolean[]) out.data())[i] = x.getBool(a));
    }
    return out;
  }
}
