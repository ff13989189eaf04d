package io.rankwise.io;

import io.rankwise.frame.Column;
import io.rankwise.frame.ColumnType;
import io.rankwise.frame.Times;
import java.util.Arrays;

/**
 * CSV fields into typed columns, straight from FastCSV's char ranges: numbers without a String
 * per value (short decimals exactly in one pass, the rest through FastDoubleParser), strings
 * dictionary-encoded by their chars (a String per distinct value), pandas' null tokens.
 */
final class CsvColumns {
  private CsvColumns() {}

  /** Whether chars [off, off + len) are one of pandas' null tokens (surrounding blanks ignored). */
  static boolean isNullToken(char[] b, int off, int len) {
    while (len > 0 && b[off] <= ' ') {
      off++;
      len--;
    }
    while (len > 0 && b[off + len - 1] <= ' ') {
      len--;
    }
    if (len == 0) {
      return true;
    }
    char c = b[off];
    if (len > 4 || (c != 'N' && c != 'n' && c != '-' && c != '<' && c != '#')) {
      return false;
    }
    return Csv.NULLS.contains(new String(b, off, len));
  }

  /** Parsed values of one column, stored by row number (a record is committed when complete). */
  static final class ColumnBuilder {
    final String name;
    final ColumnType type;
    double[] d;
    long[] l;
    boolean[] b;
    int[] codes;
    final CharDictionary dict;

    ColumnBuilder(String name, ColumnType type) {
      this.name = name;
      this.type = type;
      switch (type) {
        case FLOAT64 -> d = new double[1024];
        case INT64, DATETIME -> l = new long[1024];
        case BOOL -> b = new boolean[1024];
        case STRING -> codes = new int[1024];
      }
      dict = type == ColumnType.STRING ? new CharDictionary() : null;
    }

    void set(int row, char[] buf, int off, int len) {
      grow(row);
      try {
        switch (type) {
          case FLOAT64 -> d[row] = parseFloat(buf, off, len);
          case INT64 -> l[row] = parseLong(buf, off, len);
          case BOOL -> b[row] = parseBool(buf, off, len);
          case DATETIME -> l[row] = isNullToken(buf, off, len) ? Column.NAT : Times.parse(new String(buf, off, len));
          case STRING -> codes[row] = isNullToken(buf, off, len) ? -1 : dict.code(buf, off, len);
        }
      } catch (RuntimeException e) {
        throw new Csv.FieldError(name, new String(buf, off, len), type, e);
      }
    }

    /** Powers of ten that doubles hold exactly. */
    private static final double[] POW10 = new double[23];

    static {
      POW10[0] = 1;
      for (int k = 1; k < POW10.length; k++) {
        POW10[k] = POW10[k - 1] * 10;
      }
    }

    /**
     * A decimal: short plain decimals (at most 15 significant digits, no exponent) exactly in one
     * pass (an integer divided by an exact power of ten rounds once, correctly); the rest through
     * FastDoubleParser, or pandas' other spellings (inf, nulls).
     */
    private static double parseFloat(char[] buf, int off, int len) {
      int i = off;
      int n = off + len;
      boolean neg = false;
      if (i < n && (buf[i] == '-' || buf[i] == '+')) {
        neg = buf[i++] == '-';
      }
      long m = 0;
      int digits = 0;
      int frac = -1;
      for (; i < n; i++) {
        char c = buf[i];
        if (c >= '0' && c <= '9') {
          m = m * 10 + (c - '0');
          if (++digits > 15) {
            return slowFloat(buf, off, len);
          }
          if (frac >= 0) {
            frac++;
          }
        } else if (c == '.' && frac < 0) {
          frac = 0;
        } else {
          return slowFloat(buf, off, len);
        }
      }
      if (digits == 0) {
        return slowFloat(buf, off, len);
      }
      double v = frac <= 0 ? m : m / POW10[frac];
      return neg ? -v : v;
    }

    private static double slowFloat(char[] buf, int off, int len) {
      if (len > 0 && buf[off] > ' ' && buf[off + len - 1] > ' ' && isDecimal(buf, off, len)) {
        return ch.randelshofer.fastdoubleparser.JavaDoubleParser.parseDouble(buf, off, len);
      }
      return Csv.parseFloat(new String(buf, off, len));
    }

    private static long parseLong(char[] buf, int off, int len) {
      int i = off;
      int stop = off + len;
      boolean neg = false;
      if (i < stop && (buf[i] == '-' || buf[i] == '+')) {
        neg = buf[i++] == '-';
      }
      if (i == stop || stop - i > 18) {
        return slowLong(buf, off, len);
      }
      long v = 0;
      for (; i < stop; i++) {
        int c = buf[i] - '0';
        if (c < 0 || c > 9) {
          return slowLong(buf, off, len);
        }
        v = v * 10 + c;
      }
      return neg ? -v : v;
    }

    private static long slowLong(char[] buf, int off, int len) {
      String t = Csv.trim(new String(buf, off, len));
      if (Csv.isNull(t)) {
        throw new NumberFormatException("an empty field (null) in an int64 column; read it as FLOAT64 (NaN)");
      }
      return Long.parseLong(t);
    }

    private static boolean parseBool(char[] buf, int off, int len) {
      String t = Csv.trim(new String(buf, off, len));
      if (t.equalsIgnoreCase("true")) {
        return true;
      }
      if (t.equalsIgnoreCase("false")) {
        return false;
      }
      throw new IllegalArgumentException("not True or False");
    }

    private void grow(int row) {
      if (row >= capacity()) {
        ensure(Math.max(capacity() * 2, row + 1));
      }
    }

    private int capacity() {
      return switch (type) {
        case FLOAT64 -> d.length;
        case INT64, DATETIME -> l.length;
        case BOOL -> b.length;
        case STRING -> codes.length;
      };
    }

    /** Room for {@code rows} rows. */
    void ensure(int rows) {
      if (rows <= capacity()) {
        return;
      }
      switch (type) {
        case FLOAT64 -> d = Arrays.copyOf(d, rows);
        case INT64, DATETIME -> l = Arrays.copyOf(l, rows);
        case BOOL -> b = Arrays.copyOf(b, rows);
        case STRING -> codes = Arrays.copyOf(codes, rows);
      }
    }

    Column build(int rows) {
      ensure(rows);
      return switch (type) { // exact arrays: a column's data is as long as the column
        case FLOAT64 -> Column.of(d.length == rows ? d : Arrays.copyOf(d, rows));
        case INT64 -> Column.of(l.length == rows ? l : Arrays.copyOf(l, rows));
        case BOOL -> Column.of(b.length == rows ? b : Arrays.copyOf(b, rows));
        case DATETIME -> Column.datetimes(l.length == rows ? l : Arrays.copyOf(l, rows));
        case STRING -> Column.strings(codes.length == rows ? codes : Arrays.copyOf(codes, rows), dict.values());
      };
    }
  }

  /** [+-](digits[.digits]|.digits)([eE][+-]digits) over chars. */
  static boolean isDecimal(char[] b, int off, int len) {
    int i = off;
    int n = off + len;
    if (i < n && (b[i] == '+' || b[i] == '-')) {
      i++;
    }
    int start = i;
    i = digitsEnd(b, i, n);
    int digits = i - start;
    if (i < n && b[i] == '.') {
      start = ++i;
      i = digitsEnd(b, i, n);
      digits += i - start;
    }
    if (digits == 0) {
      return false;
    }
    if (i < n && (b[i] == 'e' || b[i] == 'E')) {
      i++;
      if (i < n && (b[i] == '+' || b[i] == '-')) {
        i++;
      }
      start = i;
      i = digitsEnd(b, i, n);
      if (i == start) {
        return false;
      }
    }
    return i == n;
  }

  /** The index after the run of ASCII digits that starts at i (before n). */
  private static int digitsEnd(char[] b, int i, int n) {
    while (i < n && b[i] >= '0' && b[i] <= '9') {
      i++;
    }
    return i;
  }

  /** Distinct strings of a column by their chars: a String is made once per distinct value. */
  static final class CharDictionary {
    private String[] values = new String[16];
    private char[][] chars = new char[16][];
    private int[] slots = new int[64]; // code + 1, 0 = empty
    private int size;

    int code(char[] b, int off, int len) {
      int h = 0;
      for (int i = off; i < off + len; i++) {
        h = 31 * h + b[i];
      }
      int mask = slots.length - 1;
      for (int s = (h ^ (h >>> 16)) & mask;; s = (s + 1) & mask) {
        int c = slots[s] - 1;
        if (c < 0) {
          break;
        }
        char[] v = chars[c];
        if (v.length == len) {
          int i = 0;
          while (i < len && v[i] == b[off + i]) { // short values: a plain loop beats Arrays.equals' setup
            i++;
          }
          if (i == len) {
            return c;
          }
        }
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
        chars = Arrays.copyOf(chars, size * 2);
      }
      values[size] = new String(b, off, len);
      chars[size] = Arrays.copyOfRange(b, off, off + len);
      if (2 * (size + 1) > slots.length) {
        rehash();
      }
      insert(values[size], size);
      return size++;
    }

    private void insert(String v, int code) {
      int h = v.hashCode();
      int mask = slots.length - 1;
      int s = (h ^ (h >>> 16)) & mask;
      while (slots[s] != 0) {
        s = (s + 1) & mask;
      }
      slots[s] = code + 1;
    }

    private void rehash() {
      slots = new int[slots.length * 2];
      for (int c = 0; c < size; c++) {
        insert(values[c], c);
      }
    }

    String[] values() {
      return Arrays.copyOf(values, size);
    }
  }

}
