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
}
