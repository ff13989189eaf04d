package io.rankwise.io;

import de.siegmar.fastcsv.writer.CsvWriter;
import io.rankwise.frame.Column;
import io.rankwise.frame.DFrame;
import io.rankwise.frame.Frames;
import io.rankwise.frame.Table;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Frames to CSV files, one per partition (Dask's to_csv), with FastCSV's writer. */
final class CsvWriting {
  private CsvWriting() {}

  /**
   * Writes each partition to its own file (Dask's to_csv): {@code pattern} names them, with
   * {@code *} replaced by the partition number (e.g. {@code out/part-*.csv}); written by the rank
   * that holds the partition; returns the paths in partition order. A named index is written as
   * the first column (a range index is not); nulls are empty fields, as pandas writes them.
   */
  static List<Path> write(DFrame df, String pattern) {
    if (!pattern.contains("*")) {
      throw new IoException("toCsv: the file pattern needs a '*' for the partition number, e.g. out/part-*.csv; got "
          + pattern);
    }
    int digits = Integer.toString(Math.max(0, df.npartitions() - 1)).length();
    Object[] written = Frames.perPartition(df, "to-csv", (p, t) -> {
      Path f = Path.of(pattern.replace("*", String.format(java.util.Locale.ROOT, "%0" + digits + "d", p)));
      if (f.getParent() != null) {
        Files.createDirectories(f.getParent());
      }
      writeTable(t, f);
      return f.toString();
    });
    List<Path> out = new ArrayList<>();
    for (Object o : written) {
      out.add(Path.of((String) o));
    }
    return out;
  }

  static void writeTable(Table t, Path f) throws IOException {
    boolean index = t.index() != null;
    List<String> names = t.columnNames();
    int width = names.size() + (index ? 1 : 0);
    Column[] cols = new Column[width];
    String[] head = new String[width];
    int k = 0;
    if (index) {
      cols[k] = t.index();
      head[k++] = t.indexName() == null ? "" : t.indexName();
    }
    for (String n : names) {
      cols[k] = t.column(n);
      head[k++] = n;
    }
    try (CsvWriter w = CsvWriter.builder().build(f, StandardCharsets.UTF_8)) {
      w.writeRecord(head);
      String[] row = new String[width];
      for (int i = 0; i < t.rows(); i++) {
        for (int c = 0; c < width; c++) {
          row[c] = text(cols[c], i);
        }
        w.writeRecord(row);
      }
    }
  }

  /** A value as CSV text: shortest round-trip decimals, nulls empty, bools True/False. */
  private static String text(Column c, int i) {
    if (c.isNull(i)) {
      return "";
    }
    return switch (c.type()) {
      case FLOAT64 -> Double.toString(c.getDouble(i));
      case INT64 -> Long.toString(c.getLong(i));
      case BOOL -> c.getBool(i) ? "True" : "False";
      case DATETIME, STRING -> c.getString(i);
    };
  }
}
