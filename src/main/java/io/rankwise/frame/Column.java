package io.rankwise.frame;

import java.util.Arrays;

/**
 * One typed column of a partition. Primitive storage: {@code double[]}, {@code long[]},
 * {@code boolean[]}, or for strings {@code int[]} codes into a dictionary (no boxed strings per
 * row). Nulls: NaN for float64; other types have no nulls yet.
 */
public final class Column {
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

  public static Column strings(String[] values) {
    java.util.Map<String, Integer> index = new java.util.LinkedHashMap<>();
    int[] codes = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      codes[i] = index.computeIfAbsent(values[i], k -> index.size());
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

  public String getString(int i) {
    return type == ColumnType.STRING ? dictionary[((int[]) data)[i]] : format(i);
  }

  /** Dictionary code of row i (strings only). */
  int code(int i) {
    return ((int[]) data)[i];
  }

  /** The rows where {@code keep} is true. */
  Column filter(boolean[] keep, int count) {
    Object out = switch (type) {
      case FLOAT64 -> new double[count];
      case INT64, DATETIME -> new long[count];
      case BOOL -> new boolean[count];
      case STRING -> new int[count];
    };
    int k = 0;
    for (int i = 0; i < size; i++) {
      if (keep[i]) {
        System.arraycopy(data, i, out, k++, 1);
      }
    }
    return new Column(type, out, dictionary, count);
  }

  /** Rows {@code idx[0], idx[1], ...} in that order. */
  Column take(int[] idx) {
    Object out = switch (type) {
      case FLOAT64 -> new double[idx.length];
      case INT64, DATETIME -> new long[idx.length];
      case BOOL -> new boolean[idx.length];
      case STRING -> new int[idx.length];
    };
    for (int k = 0; k < idx.length; k++) {
      System.arraycopy(data, idx[k], out, k, 1);
    }
    return new Column(type, out, dictionary, idx.length);
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
      String[] all = new String[n];
      int k = 0;
      for (Column c : parts) {
        for (int i = 0; i < c.size; i++) {
          all[k++] = c.getString(i);
        }
      }
      return strings(all);
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

  String format(int i) {
    return switch (type) {
      case FLOAT64 -> Table.formatDouble(((double[]) data)[i]);
      case INT64 -> Long.toString(((long[]) data)[i]);
      case BOOL -> ((boolean[]) data)[i] ? "True" : "False";
      case DATETIME -> Times.format(((long[]) data)[i]);
      case STRING -> dictionary[((int[]) data)[i]];
    };
  }
}
