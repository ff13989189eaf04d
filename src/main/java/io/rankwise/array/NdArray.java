package io.rankwise.array;

import java.util.Arrays;
import java.util.Locale;

/**
 * A local, dense n-d array in C order: what {@code compute()} returns and what one block holds.
 * Data is a primitive array ({@code double[]}, {@code long[]} or {@code boolean[]} by dtype);
 * the factories say who owns it: {@code of(...)} wraps (no copy), {@code copyOf(...)} copies.
 *
 * <p>A float array can also be <em>coded</em> ({@link #coded}): 16-bit codes and a table of the
 * 2^16 values they stand for, as packed NetCDF variables are stored (int16 with a scale factor
 * and a fill value). It holds a quarter of the bytes; kernels that know it (the NaN-skipping
 * reductions) decode a row at a time, and {@link #data()} decodes the whole array once for the
 * others. From then on the decoded values are the array's values for every reader (a kernel may
 * write into them, as into any block's data).
 */
public final class NdArray {
  private final int[] shape;
  private final DType dtype;
  /** The dense storage; null for a coded array (see {@link #dense}). */
  private final Object data;
  /** Coded storage: element i is {@code table[codes[i] & 0xFFFF]}; both null when dense. */
  private final short[] codes;
  private final double[] table;
  /** A coded array's decoded values, made on first use of {@link #data()}; not serialized. */
  private transient volatile double[] decoded;

  /** For the serializer that moves blocks between ranks (Kryo fills the fields). */
  private NdArray() {
    this.shape = null;
    this.dtype = null;
    this.data = null;
    this.codes = null;
    this.table = null;
  }

  private NdArray(DType dtype, int[] shape, short[] codes, double[] table) {
    this.dtype = dtype;
    this.shape = shape;
    this.data = null;
    this.codes = codes;
    this.table = table;
    if (codes == null || table == null) {
      throw new ArrayException("a coded array needs its codes and its table");
    }
    if (!dtype.isFloat() || table.length != 1 << 16 || sizeOf(shape) != codes.length) {
      throw new ArrayException("a coded array needs a float dtype, a table of 65536 values and one code per element of "
          + Arrays.toString(shape) + "; got " + dtype.numpyName() + ", " + table.length + " and " + codes.length);
    }
  }

  NdArray(DType dtype, int[] shape, Object data) {
    this.dtype = dtype;
    this.shape = shape;
    this.data = data;
    this.codes = null;
    this.table = null;
    Class<?> want = switch (dtype.storage()) {
      case FLOAT64 -> double[].class;
      case INT64 -> long[].class;
      default -> boolean[].class;
    };
    if (data.getClass() != want) {
      throw new ArrayException(dtype.numpyName() + " data must be a " + want.getSimpleName() + ", got a "
          + data.getClass().getSimpleName());
    }
    int n = sizeOf(shape);
    int len = java.lang.reflect.Array.getLength(data);
    if (n != len) {
      throw new ArrayException("shape " + Arrays.toString(shape) + " needs " + n + " elements, data has " + len);
    }
  }

  /** Wraps {@code data} (not copied) as an array of {@code shape}. */
  public static NdArray of(double[] data, int... shape) {
    return new NdArray(DType.FLOAT64, shape.clone(), data);
  }

  public static NdArray of(long[] data, int... shape) {
    return new NdArray(DType.INT64, shape.clone(), data);
  }

  public static NdArray of(boolean[] data, int... shape) {
    return new NdArray(DType.BOOL, shape.clone(), data);
  }

  /** A float32 array holding {@code data}'s values (copied: float32 is stored widened). */
  public static NdArray of(float[] data, int... shape) {
    double[] d = new double[data.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = data[i];
    }
    return new NdArray(DType.FLOAT32, shape.clone(), d);
  }

  /** An int32 array holding {@code data}'s values (copied: int32 is stored widened). */
  public static NdArray of(int[] data, int... shape) {
    long[] l = new long[data.length];
    for (int i = 0; i < l.length; i++) {
      l[i] = data[i];
    }
    return new NdArray(DType.INT32, shape.clone(), l);
  }

  /**
   * Wraps widened {@code data} (double[] for float32, long[] for int32, not copied) as an array
   * of {@code dtype}, rounding or wrapping its values to that type in place.
   */
  public static NdArray narrowed(DType dtype, Object data, int... shape) {
    NdArray a = new NdArray(dtype, shape, data);
    a.narrowInPlace();
    return a;
  }

  /**
   * Wraps widened {@code data} whose values are already of {@code dtype} (float32-rounded
   * doubles, int32-range longs): no copy and no rounding pass. For producers that rounded as
   * they wrote; use {@link #narrowed} otherwise.
   */
  public static NdArray wrapNarrow(DType dtype, Object data, int... shape) {
    return new NdArray(dtype, shape, data);
  }

  /**
   * A coded float array (not copied): element i is {@code table[codes[i] & 0xFFFF]}, the table's
   * values already of {@code dtype} (float32-rounded for float32).
   */
  public static NdArray coded(DType dtype, short[] codes, double[] table, int... shape) {
    return new NdArray(dtype, shape.clone(), codes, table);
  }

  /** True when the values are held as codes and a table ({@link #coded}). */
  public boolean isCoded() {
    return codes != null;
  }

  /**
   * True while the values are read from the codes: coded, and {@link #data()} not yet called (once
   * it is, the decoded array is the values, as a caller may have written into it).
   */
  boolean readsCodes() {
    return codes != null && decoded == null;
  }

  /** The codes of a coded array (not a copy). */
  short[] codesRef() {
    return codes;
  }

  /** The table of a coded array (not a copy). */
  double[] tableRef() {
    return table;
  }

  /** Values {@code [from, from + len)} as doubles into {@code dst} at {@code off}, from either storage. */
  void copyDoubles(int from, double[] dst, int off, int len) {
    double[] dec = decoded;
    if (dec != null) {
      System.arraycopy(dec, from, dst, off, len);
      return;
    }
    if (codes != null) {
      short[] c = codes;
      double[] t = table;
      for (int k = 0; k < len; k++) {
        dst[off + k] = t[c[from + k] & 0xFFFF];
      }
      return;
    }
    if (dtype.storage() == DType.FLOAT64) {
      System.arraycopy((double[]) data, from, dst, off, len);
      return;
    }
    for (int k = 0; k < len; k++) {
      dst[off + k] = getDouble(from + k);
    }
  }

  /** The dense storage: the data, or a coded array's values decoded once. */
  private Object dense() {
    if (codes == null) {
      return data;
    }
    double[] d = decoded;
    if (d == null) {
      synchronized (codes) { // not public: a user's code cannot hold this lock
        d = decoded;
        if (d == null) {
          d = new double[codes.length];
          short[] c = codes;
          double[] t = table;
          for (int i = 0; i < d.length; i++) {
            d[i] = t[c[i] & 0xFFFF];
          }
          decoded = d;
        }
      }
    }
    return d;
  }

  /** Rounds float32 values to single precision and wraps int32 values to 32 bits, in place. */
  void narrowInPlace() {
    if (dtype == DType.FLOAT32) {
      double[] d = (double[]) data;
      for (int i = 0; i < d.length; i++) {
        d[i] = (float) d[i];
      }
    } else if (dtype == DType.INT32) {
      long[] l = (long[]) data;
      for (int i = 0; i < l.length; i++) {
        l[i] = (int) l[i];
      }
    }
  }

  /** The values of a float32 array as a float[] (a copy). */
  public float[] toFloats() {
    float[] f = new float[size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) getDouble(i);
    }
    return f;
  }

  /** The values as an int[] (a copy; float values are truncated, 64-bit values wrap). */
  public int[] toInts() {
    int[] r = new int[size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = (int) getLong(i);
    }
    return r;
  }

  /** A 0-d array holding {@code v}. */
  public static NdArray scalar(double v) {
    return of(new double[] {v});
  }

  public static NdArray zeros(DType dtype, int... shape) {
    int n = sizeOf(shape);
    return new NdArray(dtype, shape.clone(), switch (dtype) {
      case FLOAT64, FLOAT32 -> new double[n];
      case INT64, INT32 -> new long[n];
      case BOOL -> new boolean[n];
    });
  }

  public DType dtype() {
    return dtype;
  }

  public int ndim() {
    return shape.length;
  }

  public int[] shape() {
    return shape.clone();
  }

  int[] shapeRef() {
    return shape;
  }

  public int size() {
    return sizeOf(shape);
  }

  /** The backing primitive array (not a copy; for a coded array its values, decoded once). */
  public Object data() {
    return dense();
  }

  public double getDouble(int flat) {
    if (codes != null) {
      double[] d = decoded; // once handed out, the decoded values are the array (a caller may write them)
      return d != null ? d[flat] : table[codes[flat] & 0xFFFF];
    }
    return switch (dtype) {
      case FLOAT64, FLOAT32 -> ((double[]) data)[flat];
      case INT64, INT32 -> ((long[]) data)[flat];
      case BOOL -> ((boolean[]) data)[flat] ? 1 : 0;
    };
  }

  public long getLong(int flat) {
    if (codes != null) {
      return (long) getDouble(flat);
    }
    return switch (dtype) {
      case FLOAT64, FLOAT32 -> (long) ((double[]) data)[flat];
      case INT64, INT32 -> ((long[]) data)[flat];
      case BOOL -> ((boolean[]) data)[flat] ? 1 : 0;
    };
  }

  public boolean getBool(int flat) {
    if (codes != null) {
      return getDouble(flat) != 0;
    }
    return switch (dtype) {
      case FLOAT64, FLOAT32 -> ((double[]) data)[flat] != 0;
      case INT64, INT32 -> ((long[]) data)[flat] != 0;
      case BOOL -> ((boolean[]) data)[flat];
    };
  }

  /** Element at {@code index} (one int per axis), as a double. */
  public double get(int... index) {
    return getDouble(flatIndex(index));
  }

  int flatIndex(int[] index) {
    if (index.length != shape.length) {
      throw new ArrayException("index " + Arrays.toString(index) + " has " + index.length + " components for a "
          + shape.length + "-d array");
    }
    int f = 0;
    for (int a = 0; a < shape.length; a++) {
      if (index[a] < 0 || index[a] >= shape[a]) {
        throw new ArrayException("index " + index[a] + " is out of bounds for axis " + a + " with size " + shape[a]);
      }
      f = f * shape[a] + index[a];
    }
    return f;
  }

  /** The single value of a 0-d or one-element array. */
  public double item() {
    if (size() != 1) {
      throw new ArrayException("item() needs exactly one element; this array has shape " + Arrays.toString(shape));
    }
    return getDouble(0);
  }

  /** All elements as doubles (a copy; the data itself when already float64 or float32). */
  public double[] toDoubles() {
    if (dtype.storage() == DType.FLOAT64) {
      return (double[]) dense();
    }
    double[] d = new double[size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = getDouble(i);
    }
    return d;
  }

  public NdArray astype(DType to) {
    if (to == dtype) {
      return this;
    }
    int n = size();
    Object out = switch (to) {
      case FLOAT64, FLOAT32 -> dtype.storage() == DType.FLOAT64 ? ((double[]) dense()).clone() : toDoubles();
      case INT64, INT32 -> {
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
          l[i] = getLong(i);
        }
        yield l;
      }
      case BOOL -> {
        boolean[] b = new boolean[n];
        for (int i = 0; i < n; i++) {
          b[i] = getBool(i);
        }
        yield b;
      }
    };
    return narrowed(to, out, shape.clone());
  }

  /** Same data, another shape with the same number of elements. */
  public NdArray reshape(int... newShape) {
    if (sizeOf(newShape) != size()) {
      throw new ArrayException("cannot reshape an array of shape " + Arrays.toString(shape) + " into "
          + Arrays.toString(newShape));
    }
    return readsCodes() ? new NdArray(dtype, newShape.clone(), codes, table)
        : new NdArray(dtype, newShape.clone(), dense());
  }

  /** True when shapes match and every element is within {@code atol + rtol * |expected|}. */
  public boolean allClose(NdArray expected, double rtol, double atol) {
    if (!Arrays.equals(shape, expected.shape)) {
      return false;
    }
    for (int i = 0; i < size(); i++) {
      double a = getDouble(i);
      double b = expected.getDouble(i);
      if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b)) && !(Double.isNaN(a) && Double.isNaN(b)) && a != b) {
        return false;
      }
    }
    return true;
  }

  static int sizeOf(int[] shape) {
    long n = 1;
    for (int s : shape) {
      if (s < 0) {
        throw new ArrayException("negative dimension in shape " + Arrays.toString(shape));
      }
      n *= s;
    }
    if (n > Integer.MAX_VALUE - 8) {
      throw new ArrayException("shape " + Arrays.toString(shape) + " has " + n + " elements; a local array holds at "
          + "most 2^31; compute a reduction or a slice instead of the whole array");
    }
    return (int) n;
  }

  static int[] strides(int[] shape) {
    int[] st = new int[shape.length];
    int s = 1;
    for (int a = shape.length - 1; a >= 0; a--) {
      st[a] = s;
      s *= shape[a];
    }
    return st;
  }

  /** NumPy-like text, abbreviated for large arrays. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("array(");
    append(sb, 0, 0);
    return sb.append(shape.length == 0 || dtype == DType.FLOAT64 ? "" : ", dtype=" + dtype.numpyName())
        .append(")").toString();
  }

  private void append(StringBuilder sb, int axis, int offset) {
    if (axis == shape.length) {
      sb.append(format(offset));
      return;
    }
    int[] st = strides(shape);
    sb.append('[');
    int n = shape[axis];
    for (int i = 0; i < n; i++) {
      if (n > 6 && i == 3) {
        sb.append("..., ");
        i = n - 3;
      }
      append(sb, axis + 1, offset + i * st[axis]);
      if (i < n - 1) {
        sb.append(", ");
      }
    }
    sb.append(']');
  }

  private String format(int flat) {
    return switch (dtype) {
      case FLOAT64, FLOAT32 -> {
        double v = getDouble(flat);
        yield v == Math.rint(v) && Math.abs(v) < 1e16 ? String.format(Locale.ROOT, "%.1f", v)
            : String.format(Locale.ROOT, "%.8g", v);
      }
      case INT64, INT32 -> Long.toString(((long[]) data)[flat]);
      case BOOL -> ((boolean[]) data)[flat] ? "True" : "False";
    };
  }
}
