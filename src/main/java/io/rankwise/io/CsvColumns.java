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

    /** Whether {@link #dict} started from another block's words (codes are renumbered at the end). */
    private final boolean seeded;

    ColumnBuilder(String name, ColumnType type) {
      this(name, type, null);
    }

    /** @param seed words to start a string column's dictionary with (a copy is used), or null */
    ColumnBuilder(String name, ColumnType type, CharDictionary seed) {
      this.name = name;
      this.type = type;
      switch (type) {
        case FLOAT64 -> d = new double[1024];
        case INT64, DATETIME -> l = new long[1024];
        case BOOL -> b = new boolean[1024];
        case STRING -> codes = new int[1024];
      }
      seeded = type == ColumnType.STRING && seed != null;
      dict = type != ColumnType.STRING ? null : seeded ? seed.copy() : new CharDictionary();
    }

    void set(int row, char[] buf, int off, int len) {
      grow(row);
      try {
        switch (type) {
          case FLOAT64 -> d[row] = parseFloat(buf, off, len);
          case INT64 -> l[row] = parseLong(buf, off, len);
          case BOOL -> b[row] = parseBool(buf, off, len);
          case DATETIME -> l[row] = isNullToken(buf, off, len) ? Column.NAT : Times.parse(new String(buf, off, len));
          case STRING -> codes[row] = dict.code(buf, off, len); // -1 for a null token
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
        case STRING -> seeded ? renumbered(rows) : Column.strings(codes.length == rows ? codes : Arrays.copyOf(codes,
            rows), dict.values());
      };
    }

    /**
     * The column with codes in order of first appearance and only the words it holds: exactly
     * what an unseeded dictionary gives, whatever words the seed brought.
     */
    private Column renumbered(int rows) {
      int[] out = codes.length == rows ? codes : Arrays.copyOf(codes, rows);
      int[] to = new int[dict.size()];
      Arrays.fill(to, -1);
      String[] words = dict.values;
      String[] used = new String[Math.min(dict.size(), rows)];
      int next = 0;
      for (int i = 0; i < rows; i++) {
        int c = out[i];
        if (c >= 0) {
          int m = to[c];
          if (m < 0) {
            m = to[c] = next;
            used[next++] = words[c];
          }
          out[i] = m;
        }
      }
      return Column.strings(out, Arrays.copyOf(used, next));
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
    /** The most words a dictionary may have to seed other blocks' dictionaries. */
    static final int SEED_MAX = 4096;

    private String[] values = new String[16];
    private char[][] chars = new char[16][];
    /** Words of at most 8 chars below 256: the chars a byte each, and the length; other words: length -1. */
    private long[] packed = new long[16];
    private int[] lengths = new int[16];
    private int[] hashes = new int[16];
    private int[] slots = new int[64]; // code + 1, 0 = empty; at most a quarter full
    private int size;

    int size() {
      return size;
    }

    /** An independent dictionary with the same words and codes. */
    CharDictionary copy() {
      CharDictionary c = new CharDictionary();
      c.values = values.clone();
      c.chars = chars.clone(); // the char arrays themselves are never written
      c.packed = packed.clone();
      c.lengths = lengths.clone();
      c.hashes = hashes.clone();
      c.slots = slots.clone();
      c.size = size;
      return c;
    }

    /**
     * The code of chars [off, off + len), a new one for a new word, -1 for one of pandas' null
     * tokens (those are not words). A short word (most categorical
     * values) is read as eight chars whatever its length and compared as one long: no loop whose
     * trip count the branch predictor would have to guess.
     */
    int code(char[] b, int off, int len) {
      if (len <= 8) {
        long p = 0;
        long high = 0;
        if (off + 8 <= b.length) {
          for (int i = 0; i < 8; i++) {
            char ch = b[off + i];
            p = (p << 8) | (ch & 0xFF);
            high = (high << 8) | (ch >>> 8);
          }
          long keep = len == 0 ? 0 : -1L << (8 * (8 - len)); // the word's chars, not what follows it
          p &= keep;
          high &= keep;
        } else { // near the end of the buffer
          for (int i = 0; i < len; i++) {
            char ch = b[off + i];
            p = (p << 8) | (ch & 0xFF);
            high = (high << 8) | (ch >>> 8);
          }
          p = len == 0 ? 0 : p << (8 * (8 - len));
        }
        if (high == 0) {
          long x = (p ^ len) * 0x9E3779B97F4A7C15L;
          int h = (int) (x >>> 32);
          int mask = slots.length - 1;
          for (int s = h & mask;; s = (s + 1) & mask) {
            int c = slots[s] - 1;
            if (c < 0) {
              return add(b, off, len, p, len, h);
            }
            if (packed[c] == p && lengths[c] == len) {
              return c;
            }
          }
        }
      }
      int h = 0;
      for (int i = off; i < off + len; i++) {
        h = 31 * h + b[i];
      }
      h ^= h >>> 16;
      int mask = slots.length - 1;
      for (int s = h & mask;; s = (s + 1) & mask) {
        int c = slots[s] - 1;
        if (c < 0) {
          return add(b, off, len, 0, -1, h);
        }
        if (lengths[c] < 0 && Arrays.equals(chars[c], 0, chars[c].length, b, off, off + len)) {
          return c;
        }
      }
    }

    private int add(char[] b, int off, int len, long p, int shortLength, int h) {
      if (isNullToken(b, off, len)) {
        return -1; // never a word: checked again at each occurrence, off the path of the words
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
        chars = Arrays.copyOf(chars, size * 2);
        packed = Arrays.copyOf(packed, size * 2);
        lengths = Arrays.copyOf(lengths, size * 2);
        hashes = Arrays.copyOf(hashes, size * 2);
      }
      values[size] = new String(b, off, len);
      chars[size] = Arrays.copyOfRange(b, off, off + len);
      packed[size] = p;
      lengths[size] = shortLength;
      hashes[size] = h;
      if (4 * (size + 1) > slots.length) {
        slots = new int[slots.length * 2];
        for (int c = 0; c < size; c++) {
          insert(c);
        }
      }
      insert(size);
      return size++;
    }


    private void insert(int code) {
      int mask = slots.length - 1;
      int s = hashes[code] & mask;
      while (slots[s] != 0) {
        s = (s + 1) & mask;
      }
      slots[s] = code + 1;
    }

    String[] values() {
      return Arrays.copyOf(values, size);
    }
  }

}
