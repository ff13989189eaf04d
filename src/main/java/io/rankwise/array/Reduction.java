package io.rankwise.array;

import java.util.Arrays;

/**
 * Axis reductions as three steps, Dask-style: a partial result per block (keeping the reduced
 * axes with length 1), a combine of partials (associative; applied over a fixed tree of blocks),
 * and a finish. Mean, variance and standard deviation carry (count, mean, M2) and merge with
 * Chan et al.'s parallel update, which stays accurate where sum-of-squares loses digits.
 */
enum Reduction {
  SUM, PROD, MIN, MAX, ANY, ALL, MEAN, VAR, STD;

  boolean moments() {
    return this == MEAN || this == VAR || this == STD;
  }

  DType resultType(DType in) {
    return switch (this) {
      case SUM, PROD -> in.isFloat() ? in : DType.INT64;
      case MIN, MAX -> in;
      case ANY, ALL -> DType.BOOL;
      case MEAN, VAR, STD -> in.floatResult();
    };
  }

  String numpyName() {
    return switch (this) {
      case SUM -> "sum";
      case PROD -> "prod";
      case MIN -> "min";
      case MAX -> "max";
      case ANY -> "any";
      case ALL -> "all";
      case MEAN -> "mean";
      case VAR -> "var";
      case STD -> "std";
    };
  }

  /** Per-element (count, mean, M2): the mergeable state of mean/var/std. */
  static final class Moments {
    int[] shape;
    double[] n;
    double[] mean;
    double[] m2;

    private Moments() {} // for the serializer

    Moments(int[] shape) {
      this.shape = shape;
      int size = NdArray.sizeOf(shape);
      n = new double[size];
      mean = new double[size];
      m2 = new double[size];
    }
  }

  /**
   * The block's partial result over the axes marked in {@code reduced} (shape keeps them as 1).
   * A generated block reduced over all axes is streamed tile by tile, with the same arithmetic in
   * the same order as over its materialized values, so both give identical bits.
   */
  Object partial(Object block, boolean[] reduced) {
    if (block instanceof GeneratedBlock g && allReduced(reduced) && this != ANY && this != ALL) {
      return streamed(g);
    }
    return partial(GeneratedBlock.nd(block), reduced);
  }

  private Object streamed(GeneratedBlock g) {
    int[] one = new int[g.shape.length];
    java.util.Arrays.fill(one, 1);
    int n = g.size();
    if (moments()) {
      Moments m = new Moments(one);
      m.n[0] = n;
      if (n == 0) {
        return m;
      }
      Sum8 sum = new Sum8();
      g.sumInto(sum);
      double mean = sum.total() / n;
      m.mean[0] = mean;
      if (this != MEAN) {
        Sum8 m2 = new Sum8();
        g.stream((t, len) -> m2.addSquaredDeviations(t, len, mean));
        m.m2[0] = m2.total();
      }
      return m;
    }
    NdArray out = identity(DType.FLOAT64, one);
    double[] o = (double[]) out.data();
    if (this == SUM) {
      Sum8 sum = new Sum8();
      g.sumInto(sum);
      o[0] = o[0] + sum.total();
      return out;
    }
    g.stream((t, len) -> {
      double acc = o[0];
      for (int i = 0; i < len; i++) {
        acc = fold(acc, t[i]);
      }
      o[0] = acc;
    });
    return out;
  }

  /** The partial of materialized data. */
  Object partial(NdArray x, boolean[] reduced) {
    int[] s = x.shapeRef();
    int[] outShape = new int[s.length];
    for (int a = 0; a < s.length; a++) {
      outShape[a] = reduced[a] ? 1 : s[a];
    }
    int[] outStrides = BlockOps.broadcastStrides(outShape, s); // 0 on reduced axes
    int[] inStrides = NdArray.strides(s);
    if (moments()) {
      return moments(x, outShape, inStrides, outStrides);
    }
    DType t = resultType(x.dtype()).storage(); // partials keep full width; finish narrows
    NdArray out = identity(t, outShape);
    switch (t) {
      case FLOAT64, FLOAT32 -> {
        double[] o = (double[]) out.data();
        if (allReduced(reduced) && x.dtype().isFloat()) {
          o[0] = foldAll((double[]) x.data(), o[0]);
        } else {
          BlockOps.forEachPair(s, inStrides, outStrides, (i, xi, oi) -> o[oi] = fold(o[oi], x.getDouble(xi)));
        }
      }
      case INT64, INT32 -> {
        long[] o = (long[]) out.data();
        BlockOps.forEachPair(s, inStrides, outStrides, (i, xi, oi) -> o[oi] = fold(o[oi], x.getLong(xi)));
      }
      case BOOL -> {
        boolean[] o = (boolean[]) out.data();
        BlockOps.forEachPair(s, inStrides, outStrides, (i, xi, oi) -> o[oi] = fold(o[oi], x.getBool(xi)));
      }
    }
    return out;
  }

  /**
   * Two passes over the block: sums give each output's mean, then squared deviations from that
   * mean give M2 (only for var/std). Exact enough within a block, and no division per element.
   */
  private Moments moments(NdArray x, int[] outShape, int[] inStrides, int[] outStrides) {
    Moments m = new Moments(outShape);
    int[] s = x.shapeRef();
    int outSize = m.n.length;
    double count = outSize == 0 ? 0 : (double) x.size() / outSize;
    java.util.Arrays.fill(m.n, count);
    if (outSize == 0 || count == 0) {
      return m;
    }
    double[] d = x.toDoubles();
    int layout = outSize == 1 ? LEADING : layout(s, outShape);
    if (layout != GENERAL) { // the whole block as one band of rows: outSize values (LEADING), inner (TRAILING)
      int rowLen = layout == LEADING ? outSize : d.length / outSize;
      int rows = d.length / rowLen;
      flatMoments(m, layout, rows, rowLen, rows, (r0, r1) -> d);
      return m;
    }
    double[] sum = m.mean;
    double[] m2 = m.m2;
    BlockOps.forEachPair(s, inStrides, outStrides, (i, xi, o) -> sum[o] += d[xi]);
    for (int o = 0; o < outSize; o++) {
      sum[o] /= count;
    }
    if (this != MEAN) {
      BlockOps.forEachPair(s, inStrides, outStrides, (i, xi, o) -> {
        double dv = d[xi] - sum[o];
        m2[o] += dv * dv;
      });
    }
    return m;
  }

  /** Row-major values of a block in bands of whole rows: rows [r0, r1), from index 0 of the array returned. */
  @FunctionalInterface
  interface Bands {
    double[] band(int r0, int r1);
  }

  /**
   * The moments of a block seen as {@code rows} rows of {@code rowLen} values, visited in bands
   * of {@code bandRows} rows (a multiple of 8, or all rows): one output (everything reduced), one
   * per column (LEADING) or one per row (TRAILING). Values are visited in C order whatever the
   * band size, so a block made band by band gives the bits of the same block at once.
   */
  private void flatMoments(Moments m, int layout, int rows, int rowLen, int bandRows, Bands bands) {
    int outSize = m.n.length;
    double count = m.n[0];
    double[] sum = m.mean;
    double[] m2 = m.m2;
    if (outSize == 1) {
      Sum8 acc = new Sum8();
      forBands(rows, bandRows, bands, (d, r0, r1) -> acc.add(d, (r1 - r0) * rowLen));
      double mean = acc.total() / count;
      sum[0] = mean;
      if (this != MEAN) {
        Sum8 sq = new Sum8();
        forBands(rows, bandRows, bands, (d, r0, r1) -> sq.addSquaredDeviations(d, (r1 - r0) * rowLen, mean));
        m2[0] = sq.total();
      }
      return;
    }
    forBands(rows, bandRows, bands, (d, r0, r1) -> {
      for (int r = r0; r < r1; r++) {
        int base = (r - r0) * rowLen;
        if (layout == LEADING) { // output = column
          for (int o = 0; o < rowLen; o++) {
            sum[o] += d[base + o];
          }
        } else { // TRAILING: output = row
          double acc = 0;
          for (int k = base, e = base + rowLen; k < e; k++) {
            acc += d[k];
          }
          sum[r] = acc;
        }
      }
    });
    for (int o = 0; o < outSize; o++) {
      sum[o] /= count;
    }
    if (this == MEAN) {
      return;
    }
    forBands(rows, bandRows, bands, (d, r0, r1) -> {
      for (int r = r0; r < r1; r++) {
        int base = (r - r0) * rowLen;
        if (layout == LEADING) {
          for (int o = 0; o < rowLen; o++) {
            double dv = d[base + o] - sum[o];
            m2[o] += dv * dv;
          }
        } else {
          double acc = 0;
          double mean = sum[r];
          for (int k = base, e = base + rowLen; k < e; k++) {
            double dv = d[k] - mean;
            acc += dv * dv;
          }
          m2[r] = acc;
        }
      }
    });
  }

  /** What is done with one band: rows [r0, r1), from index 0 of {@code d}. */
  @FunctionalInterface
  private interface BandVisit {
    void visit(double[] d, int r0, int r1);
  }

  private static void forBands(int rows, int bandRows, Bands bands, BandVisit v) {
    for (int r0 = 0; r0 < rows; r0 += bandRows) {
      int r1 = Math.min(rows, r0 + bandRows);
      v.visit(bands.band(r0, r1), r0, r1);
    }
  }

  /**
   * The mean/var/std partial of {@code a op bᵀ} (a: rows x cols, a float64 block or a uniform
   * recipe; b: cols x rows, a uniform recipe, else the plain way) without the a op bᵀ block: its
   * values are made in cache-sized bands of rows when visited (twice for var/std), bᵀ's rows
   * straight from b's counters, with the bits of {@link #partial} over
   * {@link BlockOps#binaryTransposed}.
   */
  Object partialTransposed(BlockOps.Bin op, Object a, Object b, boolean[] reduced) {
    GeneratedBlock.TransposedRows gb = b instanceof GeneratedBlock g ? g.transposedRows() : null;
    GeneratedBlock ga = a instanceof GeneratedBlock g && g.kind == GeneratedBlock.Kind.UNIFORM ? g : null;
    int[] shape = ga != null ? ga.shape : GeneratedBlock.nd(a).shapeRef();
    int rows = shape[0];
    int cols = shape[1];
    if (gb == null || rows <= 1 || cols <= 1 || !reduced[0] && !reduced[1]) { // nothing to save
      return partial(BlockOps.binaryTransposed(op, GeneratedBlock.nd(a), b), reduced);
    }
    int[] outShape = {reduced[0] ? 1 : rows, reduced[1] ? 1 : cols};
    Moments m = new Moments(outShape);
    java.util.Arrays.fill(m.n, (double) rows * cols / m.n.length);
    int h = BlockOps.bandRows(cols);
    double[] band = new double[Math.min(rows, h) * cols];
    // a's rows: a stored block as it is, a random one generated band by band
    double[] aRows = ga == null ? (double[]) ((NdArray) a).data() : new double[band.length];
    long[] scratch = ga == null ? null : new long[Math.min(GeneratedBlock.TILE, band.length)];
    flatMoments(m, reduced[0] ? LEADING : TRAILING, rows, cols, h, (r0, r1) -> {
      if (ga != null) {
        ga.uniformInto(r0 * (long) cols, aRows, (r1 - r0) * cols, scratch);
      }
      for (int r = r0; r < r1; r++) {
        int off = (r - r0) * cols;
        gb.transposedRow(r, band, off);
        BlockOps.combineInto(op, aRows, ga == null ? r * cols : off, band, off, cols); // a op bᵀ
      }
      return band;
    });
    return m;
  }

  private static final int GENERAL = 0;
  private static final int LEADING = 1;
  private static final int TRAILING = 2;

  /**
   * LEADING when the reduced axes all come before the kept ones, TRAILING when after (axes of
   * length 1 do not count), GENERAL otherwise.
   */
  static int layout(int[] in, int[] out) {
    boolean seenKept = false;
    boolean seenReducedAfterKept = false;
    boolean seenReduced = false;
    boolean seenKeptAfterReduced = false;
    for (int a = 0; a < in.length; a++) {
      if (in[a] == 1) {
        continue;
      }
      boolean red = out[a] == 1;
      if (red) {
        seenReducedAfterKept |= seenKept;
        seenReduced = true;
      } else {
        seenKeptAfterReduced |= seenReduced;
        seenKept = true;
      }
    }
    if (!seenReducedAfterKept) {
      return LEADING;
    }
    return seenKeptAfterReduced ? GENERAL : TRAILING;
  }

  private static boolean allReduced(boolean[] reduced) {
    for (boolean r : reduced) {
      if (!r) {
        return false;
      }
    }
    return true;
  }

  private double foldAll(double[] d, double acc) {
    switch (this) {
      case SUM -> {
        Sum8 sum = new Sum8();
        sum.add(d, d.length);
        return acc + sum.total();
      }
      default -> {
        for (double v : d) {
          acc = fold(acc, v);
        }
        return acc;
      }
    }
  }

  private double fold(double acc, double v) {
    return switch (this) {
      case SUM -> acc + v;
      case PROD -> acc * v;
      case MIN -> Math.min(acc, v);
      case MAX -> Math.max(acc, v);
      default -> throw new IllegalStateException(name());
    };
  }

  private long fold(long acc, long v) {
    return switch (this) {
      case SUM -> acc + v;
      case PROD -> acc * v;
      case MIN -> Math.min(acc, v);
      case MAX -> Math.max(acc, v);
      default -> throw new IllegalStateException(name());
    };
  }

  private boolean fold(boolean acc, boolean v) {
    return switch (this) {
      case ANY, MAX -> acc || v;
      case ALL, MIN -> acc && v;
      default -> throw new IllegalStateException(name());
    };
  }

  private NdArray identity(DType t, int[] shape) {
    NdArray out = NdArray.zeros(t, shape);
    switch (t) {
      case FLOAT64, FLOAT32 -> Arrays.fill((double[]) out.data(), switch (this) {
        case PROD -> 1.0;
        case MIN -> Double.POSITIVE_INFINITY;
        case MAX -> Double.NEGATIVE_INFINITY;
        default -> 0.0;
      });
      case INT64, INT32 -> Arrays.fill((long[]) out.data(), switch (this) {
        case PROD -> 1L;
        case MIN -> Long.MAX_VALUE;
        case MAX -> Long.MIN_VALUE;
        default -> 0L;
      });
      case BOOL -> Arrays.fill((boolean[]) out.data(), this == ALL || this == MIN);
    }
    return out;
  }

  /** Merges partials in order (they have the same shape). */
  Object combine(Object[] parts) {
    if (moments()) {
      Moments first = (Moments) parts[0];
      Moments acc = new Moments(first.shape);
      for (Object p : parts) {
        merge(acc, (Moments) p);
      }
      return acc;
    }
    NdArray acc = GeneratedBlock.nd(parts[0]);
    for (int k = 1; k < parts.length; k++) {
      NdArray p = GeneratedBlock.nd(parts[k]);
      acc = switch (this) {
        case SUM -> BlockOps.binary(BlockOps.Bin.ADD, acc, p).astype(acc.dtype());
        case PROD -> BlockOps.binary(BlockOps.Bin.MUL, acc, p).astype(acc.dtype());
        case MIN, ALL -> BlockOps.binary(BlockOps.Bin.MIN, acc, p);
        case MAX, ANY -> BlockOps.binary(BlockOps.Bin.MAX, acc, p);
        default -> throw new IllegalStateException(name());
      };
    }
    return acc;
  }

  private static void merge(Moments acc, Moments b) {
    for (int i = 0; i < acc.n.length; i++) {
      if (b.n[i] != 0) {
        GroupReduction.merge(acc.n, acc.mean, acc.m2, i, b.n[i], b.mean[i], b.m2[i]);
      }
    }
  }

  /** The final values (still with the reduced axes as length 1) as {@code resultType(in)}. */
  NdArray finish(Object part, int ddof, DType in) {
    DType t = resultType(in);
    if (!moments()) {
      return ((NdArray) part).astype(t);
    }
    Moments m = (Moments) part;
    double[] out = new double[m.n.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = switch (this) {
        case MEAN -> m.n[i] == 0 ? Double.NaN : m.mean[i];
        case VAR -> m.m2[i] / (m.n[i] - ddof);
        case STD -> Math.sqrt(m.m2[i] / (m.n[i] - ddof));
        default -> throw new IllegalStateException(name());
      };
    }
    return NdArray.narrowed(t, out, m.shape.clone());
  }
}
