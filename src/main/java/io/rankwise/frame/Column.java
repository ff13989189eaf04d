package io.rankwise.frame;

import java.util.Arrays;

/**
 * One typed column of a partition. Primitive storage: {@code double[]}, {@code long[]},
 * {@code boolean[]}, or for strings {@code int[]} codes into a dictionary (no boxed strings per
 * row). Nulls: NaN for float64, {@link #NAT} (pandas' NaT, the smallest long) for datetime, code
 * -1 for strings; int64 and bool columns have none (they become float64 where nulls appear, as
 * pandas does).
 */
public final class Column implements com.esotericsoftware.kryo.KryoSerializable {
  /** The null datetime (pandas' NaT): the smallest long. */
  public static final long NAT = Long.MIN_VALUE;

  ColumnType type;
  Object data;
  String[] dictionary; // strings only
  int size;

  private Column() {} // for the serializer

  Column(ColumnType type, Object data, String[] dictionary, int size) {
    this.type = type;
    this.data = data;
    this.dictionary = dictionary;
    this.size = size;
  }

  public static Column of(double[] v) {
    return new Column(ColumnType.FLOAT64, v, null, v.length);
  }

  public static Column of(long[] v) {
    return new Column(ColumnType.INT64, v, null, v.length);
  }

  public static Column of(boolean[] v) {
    return new Column(ColumnType.BOOL, v, null, v.length);
  }

  public static Column datetimes(long[] nanos) {
    return new Column(ColumnType.DATETIME, nanos, null, nanos.length);
  }

  /** Strings as codes into {@code dictionary}. */
  public static Column strings(int[] codes, String[] dictionary) {
    return new Column(ColumnType.STRING, codes, dictionary, codes.length);
  }

  /** Strings, dictionary-encoded; a null value is a null (code -1). */
  public static Column strings(String[] values) {
    java.util.Map<String, Integer> index = new java.util.LinkedHashMap<>();
    int[] codes = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      codes[i] = values[i] == null ? -1 : index.computeIfAbsent(values[i], k -> index.size());
    }
    return strings(codes, index.keySet().toArray(String[]::new));
  }

  public ColumnType type() {
    return type;
  }

  public int size() {
    return size;
  }

  public double getDouble(int i) {
    return switch (type) {
      case FLOAT64 -> ((double[]) data)[i];
      case INT64, DATETIME -> ((long[]) data)[i];
      case BOOL -> ((boolean[]) data)[i] ? 1 : 0;
      case STRING -> throw new FrameException("a string column has no numeric values");
    };
  }

  public long getLong(int i) {
    return switch (type) {
      case FLOAT64 -> (long) ((double[]) data)[i];
      case INT64, DATETIME -> ((long[]) data)[i];
      case BOOL -> ((boolean[]) data)[i] ? 1 : 0;
      case STRING -> throw new FrameException("a string column has no numeric values");
    };
  }

  public boolean getBool(int i) {
    return switch (type) {
      case BOOL -> ((boolean[]) data)[i];
      default -> getDouble(i) != 0;
    };
  }

  /** The value as text; null for a null string. */
  public String getString(int i) {
    if (type == ColumnType.STRING) {
      int code = ((int[]) data)[i];
      return code < 0 ? null : dictionary[code];
    }
    return format(i);
  }

  /**
   * The values as doubles: float64 storage itself (no copy), int64/datetime/bool converted;
   * strings as 0, or NaN where null (for counting).
   */
  double[] asDoubles() {
    if (type == ColumnType.FLOAT64) {
      return (double[]) data;
    }
    double[] v = new double[size];
    for (int i = 0; i < size; i++) {
      v[i] = type == ColumnType.STRING ? (isNull(i) ? Double.NaN : 0) : getDouble(i);
    }
    return v;
  }

  /** Whether row i is null (NaN, NaT, a null string). */
  public boolean isNull(int i) {
    return switch (type) {
      case FLOAT64 -> Double.isNaN(((double[]) data)[i]);
      case DATETIME -> ((long[]) data)[i] == NAT;
      case STRING -> ((int[]) data)[i] < 0;
      case INT64, BOOL -> false;
    };
  }

  /** Whether this type can hold nulls (float64, datetime, string). */
  static boolean nullable(ColumnType t) {
    return t == ColumnType.FLOAT64 || t == ColumnType.DATETIME || t == ColumnType.STRING;
  }

  /** The type a column of type t becomes where nulls appear: int64 and bool become float64. */
  static ColumnType withNulls(ColumnType t) {
    return nullable(t) ? t : ColumnType.FLOAT64;
  }

  /** This column as float64 (int64 and bool values converted), or itself when it can hold nulls. */
  Column nullableCopy() {
    if (nullable(type)) {
      return this;
    }
    double[] v = new double[size];
    for (int i = 0; i < size; i++) {
      v[i] = getDouble(i);
    }
    return of(v);
  }

  /** Dictionary code of row i (strings only). */
  int code(int i) {
    return ((int[]) data)[i];
  }

  /**
   * The rows of this column dealt out by bucket in one pass: bucket b's column has the rows i with
   * {@code bucket[i] == b} in row order ({@code count[b]} of them); rows of bucket -1 go nowhere.
   * One sequential read and as many write streams as buckets, where taking each bucket's rows
   * apart would read the column once per bucket.
   */
  Column[] scatter(int[] bucket, int[] count) {
    int buckets = count.length;
    Column[] out = new Column[buckets];
    int[] at = new int[buckets];
    switch (type) {
      case FLOAT64 -> {
        double[] src = (double[]) data;
        double[][] o = new double[buckets][];
        for (int b = 0; b < buckets; b++) {
          o[b] = new double[count[b]];
        }
        for (int i = 0; i < size; i++) {
          int b = bucket[i];
          if (b >= 0) {
            o[b][at[b]++] = src[i];
          }
        }
        for (int b = 0; b < buckets; b++) {
          out[b] = new Column(type, o[b], null, count[b]);
        }
      }
      case INT64, DATETIME -> {
        long[] src = (long[]) data;
        long[][] o = new long[buckets][];
        for (int b = 0; b < buckets; b++) {
          o[b] = new long[count[b]];
        }
        for (int i = 0; i < size; i++) {
          int b = bucket[i];
          if (b >= 0) {
            o[b][at[b]++] = src[i];
          }
        }
        for (int b = 0; b < buckets; b++) {
          out[b] = new Column(type, o[b], null, count[b]);
        }
      }
      case BOOL -> {
        boolean[] src = (boolean[]) data;
        boolean[][] o = new boolean[buckets][];
        for (int b = 0; b < buckets; b++) {
          o[b] = new boolean[count[b]];
        }
        for (int i = 0; i < size; i++) {
          int b = bucket[i];
          if (b >= 0) {
            o[b][at[b]++] = src[i];
          }
        }
        for (int b = 0; b < buckets; b++) {
          out[b] = new Column(type, o[b], null, count[b]);
        }
      }
      default -> {
        int[] src = (int[]) data;
        int[][] o = new int[buckets][];
        for (int b = 0; b < buckets; b++) {
          o[b] = new int[count[b]];
        }
        for (int i = 0; i < size; i++) {
          int b = bucket[i];
          if (b >= 0) {
            o[b][at[b]++] = src[i];
          }
        }
        for (int b = 0; b < buckets; b++) {
          out[b] = new Column(type, o[b], dictionary, count[b]);
        }
      }
    }
    return out;
  }

  /** Rows {@code idx[0], idx[1], ...} in that order. */
  Column take(int[] idx) {
    int n = idx.length;
    Object out;
    switch (type) {
      case FLOAT64 -> {
        double[] src = (double[]) data;
        double[] o = new double[n];
        for (int k = 0; k < n; k++) {
          o[k] = src[idx[k]];
        }
        out = o;
      }
      case INT64, DATETIME -> {
        long[] src = (long[]) data;
        long[] o = new long[n];
        for (int k = 0; k < n; k++) {
          o[k] = src[idx[k]];
        }
        out = o;
      }
      case BOOL -> {
        boolean[] src = (boolean[]) data;
        boolean[] o = new boolean[n];
        for (int k = 0; k < n; k++) {
          o[k] = src[idx[k]];
        }
        out = o;
      }
      default -> {
        int[] src = (int[]) data;
        int[] o = new int[n];
        for (int k = 0; k < n; k++) {
          o[k] = src[idx[k]];
        }
        out = o;
      }
    }
    return new Column(type, out, dictionary, n);
  }

  /**
   * Rows {@code idx[0], idx[1], ...}, where -1 gives a null: the column must be able to hold nulls
   * ({@link #nullableCopy}).
   */
  Column takeOrNull(int[] idx) {
    Object out = switch (type) {
      case FLOAT64 -> new double[idx.length];
      case DATETIME -> new long[idx.length];
      case STRING -> new int[idx.length];
      case INT64, BOOL -> throw new IllegalStateException(type + " cannot hold nulls");
    };
    for (int k = 0; k < idx.length; k++) {
      int i = idx[k];
      if (i >= 0) {
        System.arraycopy(data, i, out, k, 1);
      } else if (type == ColumnType.FLOAT64) {
        ((double[]) out)[k] = Double.NaN;
      } else if (type == ColumnType.DATETIME) {
        ((long[]) out)[k] = NAT;
      } else {
        ((int[]) out)[k] = -1;
      }
    }
    return new Column(type, out, dictionary, idx.length);
  }

  /**
   * A hash of row i's value that is the same in every JVM, with int64, bool and float64 values
   * hashed alike (1 and 1.0 meet); nulls hash alike.
   */
  int hash(int i) {
    return switch (type) {
      case FLOAT64, INT64, BOOL -> {
        double v = getDouble(i);
        yield Double.hashCode(v == 0 ? 0.0 : v); // -0.0 meets 0.0
      }
      case DATETIME -> Long.hashCode(((long[]) data)[i]);
      case STRING -> {
        int code = ((int[]) data)[i];
        yield code < 0 ? 0 : dictionary[code].hashCode();
      }
    };
  }

  /** Whether row i equals row j of o (same type family); nulls equal nulls, as pandas' merge keys. */
  boolean sameValue(int i, Column o, int j) {
    if (type == ColumnType.STRING) {
      return java.util.Objects.equals(getString(i), o.getString(j));
    }
    if (type == ColumnType.DATETIME || (type == ColumnType.INT64 && o.type == ColumnType.INT64)) {
      return ((long[]) data)[i] == ((long[]) o.data)[j];
    }
    double a = getDouble(i);
    double b = o.getDouble(j);
    return a == b || (Double.isNaN(a) && Double.isNaN(b));
  }

  /** Ascending order of row i against row j of o (same type family), nulls last. */
  int compareRows(int i, Column o, int j) {
    boolean ni = isNull(i);
    boolean nj = o.isNull(j);
    if (ni || nj) {
      return Boolean.compare(ni, nj);
    }
    return switch (type) {
      case STRING -> getString(i).compareTo(o.getString(j));
      case DATETIME -> Long.compare(((long[]) data)[i], ((long[]) o.data)[j]);
      case INT64 -> o.type == ColumnType.INT64 ? Long.compare(((long[]) data)[i], ((long[]) o.data)[j])
          : Double.compare(getDouble(i), o.getDouble(j));
      case FLOAT64, BOOL -> Double.compare(getDouble(i) == 0 ? 0.0 : getDouble(i), o.getDouble(j) == 0 ? 0.0 : o.getDouble(j));
    };
  }

  /** Rows [from, to). */
  Column slice(int from, int to) {
    Object out = switch (type) {
      case FLOAT64 -> Arrays.copyOfRange((double[]) data, from, to);
      case INT64, DATETIME -> Arrays.copyOfRange((long[]) data, from, to);
      case BOOL -> Arrays.copyOfRange((boolean[]) data, from, to);
      case STRING -> Arrays.copyOfRange((int[]) data, from, to);
    };
    return new Column(type, out, dictionary, to - from);
  }

  /** Columns one after another (strings are re-coded into one dictionary). */
  static Column concat(java.util.List<Column> parts) {
    ColumnType t = parts.get(0).type;
    int n = parts.stream().mapToInt(Column::size).sum();
    if (t == ColumnType.STRING) {
      return concatStrings(parts, n);
    }
    Object out = switch (t) {
      case FLOAT64 -> new double[n];
      case INT64, DATETIME -> new long[n];
      case BOOL -> new boolean[n];
      case STRING -> throw new IllegalStateException();
    };
    int pos = 0;
    for (Column c : parts) {
      System.arraycopy(c.data, 0, out, pos, c.size);
      pos += c.size;
    }
    return new Column(t, out, null, n);
  }

  /**
   * String columns one after another, re-coded into one dictionary in the order the strings first
   * appear (as {@link #strings(String[])} of all the values would): each dictionary entry a part
   * uses is looked up once, not each row (parts that share a dictionary no larger than themselves
   * share that work).
   */
  private static Column concatStrings(java.util.List<Column> parts, int n) {
    java.util.Map<String, Integer> index = new java.util.HashMap<>();
    java.util.List<String> dict = new java.util.ArrayList<>();
    java.util.IdentityHashMap<String[], int[]> remaps = new java.util.IdentityHashMap<>();
    int[] out = new int[n];
    int k = 0;
    for (Column part : parts) {
      // a part whose dictionary is larger than itself (rows taken from a big column) keeps only
      // its entries first: the work stays in proportion to the rows, not to the dictionaries
      Column c = part.compactStrings();
      int[] codes = (int[]) c.data;
      int[] remap = remaps.computeIfAbsent(c.dictionary, d -> {
        int[] r = new int[d.length];
        Arrays.fill(r, -1);
        return r;
      });
      for (int i = 0; i < c.size; i++) {
        int code = codes[i];
        if (code < 0) {
          out[k++] = -1;
          continue;
        }
        int to = remap[code];
        if (to < 0) {
          String v = c.dictionary[code];
          Integer known = index.get(v);
          if (known == null) {
            known = dict.size();
            index.put(v, known);
            dict.add(v);
          }
          to = known;
          remap[code] = to;
        }
        out[k++] = to;
      }
    }
    return strings(out, dict.toArray(String[]::new));
  }

  /**
   * For the trip to another rank: a string column whose dictionary is larger than the column (a
   * piece of a partition, a sample) keeps only the entries it uses, in the order it first uses
   * them; other columns as they are (so a column never carries more dictionary entries than rows).
   */
  Column compactStrings() {
    if (type != ColumnType.STRING || dictionary.length <= size) {
      return this;
    }
    int[] codes = (int[]) data;
    LongIds used = new LongIds(Math.min(size, 1 << 14));
    int[] out = new int[size];
    int next = 0;
    for (int i = 0; i < size; i++) {
      int c = codes[i];
      if (c < 0) {
        out[i] = -1;
        continue;
      }
      int id = used.get(c, next);
      next += id == next ? 1 : 0;
      out[i] = id;
    }
    long[] byId = used.keysById();
    String[] dict = new String[next];
    for (int j = 0; j < next; j++) {
      dict[j] = dictionary[(int) byId[j]];
    }
    return strings(out, dict);
  }

  /** Kryo: the type, the size, the values; strings as codes and only the dictionary they use. */
  @Override
  public void write(com.esotericsoftware.kryo.Kryo kryo, com.esotericsoftware.kryo.io.Output out) {
    Column c = compactStrings();
    out.writeByte(c.type.ordinal());
    out.writeInt(c.size);
    switch (c.type) {
      case FLOAT64 -> out.writeDoubles((double[]) c.data, 0, c.size);
      case INT64, DATETIME -> out.writeLongs((long[]) c.data, 0, c.size);
      case BOOL -> out.writeBooleans((boolean[]) c.data, 0, c.size);
      case STRING -> {
        out.writeInts((int[]) c.data, 0, c.size);
        out.writeInt(c.dictionary.length);
        for (String v : c.dictionary) {
          out.writeString(v);
        }
      }
    }
  }

  @Override
  public void read(com.esotericsoftware.kryo.Kryo kryo, com.esotericsoftware.kryo.io.Input in) {
    type = ColumnType.values()[in.readByte()];
    size = in.readInt();
    switch (type) {
      case FLOAT64 -> data = in.readDoubles(size);
      case INT64, DATETIME -> data = in.readLongs(size);
      case BOOL -> data = in.readBooleans(size);
      case STRING -> {
        data = in.readInts(size);
        dictionary = new String[in.readInt()];
        for (int j = 0; j < dictionary.length; j++) {
          dictionary[j] = in.readString();
        }
      }
    }
  }

  String format(int i) {
    return switch (type) {
      case FLOAT64 -> Table.formatDouble(((double[]) data)[i]);
      case INT64 -> Long.toString(((long[]) data)[i]);
      case BOOL -> ((boolean[]) data)[i] ? "True" : "False";
      case DATETIME -> ((long[]) data)[i] == NAT ? "NaT" : Times.format(((long[]) data)[i]);
      case STRING -> ((int[]) data)[i] < 0 ? "NaN" : dictionary[((int[]) data)[i]];
    };
  }
}
