package io.rankwise.frame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A local, columnar table: one partition of a {@link DFrame}, or a computed result (pandas'
 * DataFrame / Series). An optional index column (datetime or string labels) comes first.
 */
public final class Table {
  String indexName;
  Column index; // null: a range index 0..n-1
  String[] names;
  Column[] columns;
  int rows;

  static {
    io.rankwise.graph.BulkCodec.register(Table.class, new Bulk());
  }

  private Table() {} // for the serializer

  public Table(String indexName, Column index, String[] names, Column[] columns) {
    this.indexName = indexName;
    this.index = index;
    this.names = names.clone();
    this.columns = columns.clone();
    this.rows = index != null ? index.size() : columns.length > 0 ? columns[0].size() : 0;
    for (int c = 0; c < columns.length; c++) {
      if (columns[c].size() != rows) {
        throw new FrameException("column '" + names[c] + "' has " + columns[c].size() + " rows, expected " + rows);
      }
    }
  }

  public int rows() {
    return rows;
  }

  public List<String> columnNames() {
    return List.of(names);
  }

  public Column index() {
    return index;
  }

  public String indexName() {
    return indexName;
  }

  public Column column(String name) {
    for (int c = 0; c < names.length; c++) {
      if (names[c].equals(name)) {
        return columns[c];
      }
    }
    throw new FrameException("no column '" + name + "'; columns are " + Arrays.toString(names));
  }

  public Table select(String... cols) {
    Column[] out = new Column[cols.length];
    for (int c = 0; c < cols.length; c++) {
      out[c] = column(cols[c]);
    }
    return new Table(indexName, index, cols, out);
  }

  /** Rows where {@code mask} (a bool column of the same length) is true. */
  public Table filter(Column mask) {
    int count = 0;
    int[] idx = new int[rows];
    for (int i = 0; i < rows; i++) {
      if (mask.getBool(i)) {
        idx[count++] = i;
      }
    }
    return take(Arrays.copyOf(idx, count));
  }

  /** Rows {@code idx[0], idx[1], ...}, in that order (index included). */
  public Table take(int[] idx) {
    for (int i : idx) {
      if (i < 0 || i >= rows) {
        throw new FrameException("take: row " + i + " is out of range for a table of " + rows + " rows");
      }
    }
    Column[] out = new Column[columns.length];
    for (int c = 0; c < out.length; c++) {
      out[c] = columns[c].take(idx);
    }
    return new Table(indexName, index == null ? null : index.take(idx), names, out);
  }

  /** The rows dealt out by bucket, each bucket's in row order ({@link Column#scatter}). */
  Table[] scatter(int[] bucket, int[] count) {
    int buckets = count.length;
    Column[][] cols = new Column[columns.length][];
    for (int c = 0; c < columns.length; c++) {
      cols[c] = columns[c].scatter(bucket, count);
    }
    Column[] idx = index == null ? null : index.scatter(bucket, count);
    Table[] out = new Table[buckets];
    for (int b = 0; b < buckets; b++) {
      Column[] cs = new Column[columns.length];
      for (int c = 0; c < cs.length; c++) {
        cs[c] = cols[c][b];
      }
      out[b] = new Table(indexName, idx == null ? null : idx[b], names, cs);
    }
    return out;
  }

  public Table head(int n) {
    return slice(0, Math.min(n, rows));
  }

  public Table tail(int n) {
    return slice(Math.max(0, rows - n), rows);
  }

  Table slice(int from, int to) {
    Column[] out = new Column[columns.length];
    for (int c = 0; c < out.length; c++) {
      out[c] = columns[c].slice(from, to);
    }
    return new Table(indexName, index == null ? null : index.slice(from, to), names, out);
  }

  /** Tables with the same columns, one after another. */
  public static Table concat(List<Table> parts) {
    if (parts.isEmpty()) {
      throw new FrameException("concat of no tables");
    }
    Table first = parts.get(0);
    Column[] out = new Column[first.columns.length];
    for (int c = 0; c < out.length; c++) {
      List<Column> cs = new ArrayList<>();
      for (Table t : parts) {
        cs.add(t.columns[c]);
      }
      out[c] = Column.concat(cs);
    }
    Column idx = null;
    if (first.index != null) {
      List<Column> is = new ArrayList<>();
      for (Table t : parts) {
        is.add(t.index);
      }
      idx = Column.concat(is);
    }
    return new Table(first.indexName, idx, first.names, out);
  }

  /**
   * A line plot of every numeric column against the index, written as PNG (pandas' plot()).
   * Call it on one rank (e.g. {@code if (session.isRoot())}).
   */
  public java.nio.file.Path plot(java.nio.file.Path file, String title) {
    return Plot.line(this, file, title);
  }

  static String formatDouble(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    return String.format(Locale.ROOT, "%.6f", v);
  }

  /** pandas-like text: header, then rows (the first and last 5 of long tables). */
  @Override
  public String toString() {
    List<String[]> lines = new ArrayList<>();
    int nc = columns.length + 1;
    String[] head = new String[nc];
    head[0] = "";
    System.arraycopy(names, 0, head, 1, names.length);
    lines.add(head);
    if (index != null && indexName != null) {
      String[] in = new String[nc];
      Arrays.fill(in, "");
      in[0] = indexName;
      lines.add(in);
    }
    for (int i = 0; i < rows; i++) {
      if (rows > 10 && i == 5) {
        String[] dots = new String[nc];
        Arrays.fill(dots, "...");
        lines.add(dots);
        i = rows - 5;
      }
      String[] row = new String[nc];
      row[0] = index == null ? Integer.toString(i) : index.format(i);
      for (int c = 0; c < columns.length; c++) {
        row[c + 1] = columns[c].format(i);
      }
      lines.add(row);
    }
    int[] width = new int[nc];
    java.util.Arrays.fill(width, 1); // "%-0s" is not a format
    for (String[] l : lines) {
      for (int c = 0; c < nc; c++) {
        width[c] = Math.max(width[c], l[c].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] l : lines) {
      sb.append(String.format("%-" + width[0] + "s", l[0]));
      for (int c = 1; c < nc; c++) {
        sb.append("  ").append(String.format("%" + width[c] + "s", l[c]));
      }
      sb.append('\n');
    }
    sb.append("\n[").append(rows).append(" rows x ").append(columns.length).append(" columns]");
    return sb.toString();
  }

  /**
   * Tables without string columns (the rows a shuffle moves: groupby's high-cardinality pieces)
   * travel as flat buffers: names, then each column's values as one memory copy. Tables with
   * strings take Kryo.
   */
  static final class Bulk implements io.rankwise.graph.BulkCodec<Table> {
    @Override
    public boolean accepts(Table t) {
      if (t.index != null && t.index.type == ColumnType.STRING || !utf8Safe(t.indexName)) {
        return false;
      }
      for (String n : t.names) {
        if (!utf8Safe(n)) {
          return false;
        }
      }
      for (Column c : t.columns) {
        if (c.type == ColumnType.STRING) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int size(Table t) {
      long b = 4 + 4 + 1 + text(t.indexName);
      for (String n : t.names) {
        b += text(n);
      }
      for (Column c : all(t)) {
        b += 1 + (long) t.rows * (c.type == ColumnType.BOOL ? 1 : 8);
      }
      if (b > Integer.MAX_VALUE - 64) {
        throw new FrameException("a piece of " + t.rows + " rows is too large to send at once (2 GiB): "
            + "use more partitions");
      }
      return (int) b;
    }

    @Override
    public void write(Table t, java.nio.ByteBuffer out) {
      out.putInt(t.rows).putInt(t.columns.length).put((byte) (t.index == null ? 0 : 1));
      putText(out, t.indexName);
      for (String n : t.names) {
        putText(out, n);
      }
      for (Column c : all(t)) {
        out.put((byte) c.type.ordinal());
        switch (c.type) {
          case FLOAT64 -> out.asDoubleBuffer().put((double[]) c.data, 0, t.rows);
          case INT64, DATETIME -> out.asLongBuffer().put((long[]) c.data, 0, t.rows);
          case BOOL -> {
            boolean[] v = (boolean[]) c.data;
            for (int i = 0; i < t.rows; i++) {
              out.put(out.position() + i, v[i] ? (byte) 1 : 0);
            }
          }
          case STRING -> throw new IllegalStateException("string columns take Kryo");
        }
        out.position(out.position() + t.rows * (c.type == ColumnType.BOOL ? 1 : 8));
      }
    }

    @Override
    public Table read(java.nio.ByteBuffer in) {
      Table t = new Table();
      t.rows = in.getInt();
      int ncols = in.getInt();
      boolean indexed = in.get() != 0;
      t.indexName = getText(in);
      t.names = new String[ncols];
      for (int c = 0; c < ncols; c++) {
        t.names[c] = getText(in);
      }
      t.columns = new Column[ncols];
      for (int c = -1; c < ncols; c++) {
        if (c < 0 && !indexed) {
          continue;
        }
        ColumnType type = ColumnType.values()[in.get()];
        Object data = switch (type) {
          case FLOAT64 -> {
            double[] v = new double[t.rows];
            in.asDoubleBuffer().get(v);
            yield v;
          }
          case INT64, DATETIME -> {
            long[] v = new long[t.rows];
            in.asLongBuffer().get(v);
            yield v;
          }
          case BOOL -> {
            boolean[] v = new boolean[t.rows];
            for (int i = 0; i < t.rows; i++) {
              v[i] = in.get(in.position() + i) != 0;
            }
            yield v;
          }
          case STRING -> throw new IllegalStateException("string columns take Kryo");
        };
        in.position(in.position() + t.rows * (type == ColumnType.BOOL ? 1 : 8));
        Column col = new Column(type, data, null, t.rows);
        if (c < 0) {
          t.index = col;
        } else {
          t.columns[c] = col;
        }
      }
      return t;
    }

    /** The index (when there is one), then the columns. */
    private static List<Column> all(Table t) {
      List<Column> out = new ArrayList<>(t.columns.length + 1);
      if (t.index != null) {
        out.add(t.index);
      }
      out.addAll(Arrays.asList(t.columns));
      return out;
    }

    /**
     * Whether UTF-8 keeps the string as it is: no unpaired surrogate (which would arrive as '?';
     * such values take Kryo, which keeps them).
     */
    static boolean utf8Safe(String s) {
      if (s == null) {
        return true;
      }
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
          if (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
            return false;
          }
          i++;
        } else if (Character.isLowSurrogate(c)) {
          return false;
        }
      }
      return true;
    }

    private static int text(String s) {
      return 4 + (s == null ? 0 : GroupStats.Bulk.utf8Length(s)); // accepts() let only well-formed names through
    }

    private static void putText(java.nio.ByteBuffer out, String s) {
      if (s == null) {
        out.putInt(-1);
        return;
      }
      byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      out.putInt(b.length).put(b);
    }

    private static String getText(java.nio.ByteBuffer in) {
      int n = in.getInt();
      if (n < 0) {
        return null;
      }
      byte[] b = new byte[n];
      in.get(b);
      return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
