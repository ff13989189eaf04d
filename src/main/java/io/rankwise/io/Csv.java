package io.rankwise.io;

import io.rankwise.frame.Column;
import io.rankwise.frame.ColumnType;
import io.rankwise.frame.DFrame;
import io.rankwise.frame.Frames;
import io.rankwise.frame.Table;
import io.rankwise.frame.Times;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * CSV files as a dataframe ({@code dd.read_csv}), parsed with Apache Commons CSV: one partition
 * per file, read by the rank that owns it.
 *
 * <p>Column types are inferred from a sample of <em>every</em> file (not only the first — the
 * pitfall the Dask tutorial warns about): bool &lt; int64 &lt; float64 &lt; string, the widest type
 * any file needs wins; an empty field is a null (NaN; an int column with nulls becomes float64, as
 * in pandas). {@code dtype} overrides inference, {@code parseDates} reads columns as datetimes,
 * {@code usecols} keeps some columns. A value that does not parse as its column's type fails with
 * the file, line, column and value, and the {@code dtype} override that fixes it.
 */
public final class Csv {
  /** Rows per file read at graph-building time to infer types. */
  public static final int SAMPLE_ROWS = 10_000;

  private Csv() {}

  /** Options of {@link #read}; build with the {@code with...} methods. */
  public record Options(Map<String, ColumnType> dtype, List<String> parseDates, List<String> usecols) {
    public static Options defaults() {
      return new Options(Map.of(), List.of(), List.of());
    }

    public Options withDtype(Map<String, ColumnType> d) {
      return new Options(Map.copyOf(d), parseDates, usecols);
    }

    public Options withParseDates(String... cols) {
      return new Options(dtype, List.of(cols), usecols);
    }

    public Options withUsecols(String... cols) {
      return new Options(dtype, parseDates, List.of(cols));
    }
  }

  public static DFrame read(String pathOrGlob) {
    return read(pathOrGlob, Options.defaults());
  }

  /** Files matching {@code pathOrGlob} (e.g. {@code data/myfiles.*.csv}), in name order. */
  public static DFrame read(String pathOrGlob, Options options) {
    List<Path> files = expand(pathOrGlob);
    Schema schema = infer(files, options);
    String[] names = schema.names;
    ColumnType[] types = schema.types;
    List<Frames.PartitionSource> sources = new ArrayList<>();
    for (Path f : files) {
      sources.add(() -> readFile(f, names, types, schema.positions, schema.header));
    }
    return Frames.fromPartitions("read-csv", names, types, sources);
  }

  /** Reads every file with {@link #read} and returns the matching paths. */
  static List<Path> expand(String pattern) {
    Path p = Path.of(pattern);
    String glob = p.getFileName() == null ? "" : p.getFileName().toString();
    if (!glob.contains("*") && !glob.contains("?") && !glob.contains("[")) {
      if (!Files.isRegularFile(p)) {
        throw new IoException("CSV file " + p + " does not exist (working directory " + Path.of("").toAbsolutePath() + ")");
      }
      return List.of(p);
    }
    Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
    if (!Files.isDirectory(dir)) {
      throw new IoException("no files match '" + pattern + "': directory " + dir + " does not exist");
    }
    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path f : ds) {
        if (Files.isRegularFile(f) && m.matches(f.getFileName())) {
          out.add(f);
        }
      }
    } catch (IOException e) {
      throw new IoException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new IoException("no files match '" + pattern + "' in " + dir.toAbsolutePath());
    }
    out.sort(null);
    return out;
  }

  private record Schema(String[] header, String[] names, ColumnType[] types, int[] positions) {}

  private static CSVFormat format() {
    return CSVFormat.DEFAULT.builder().setIgnoreSurroundingSpaces(false).get();
  }

  /** Header and types from a sample of every file; all files must have the same header. */
  private static Schema infer(List<Path> files, Options options) {
    String[] header = null;
    Path headerFile = null;
    Kind[] kinds = null;
    boolean[] sawNull = null;
    for (Path f : files) {
      try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8); CSVParser p = CSVParser.parse(r, format())) {
        int row = 0;
        for (CSVRecord rec : p) {
          if (row == 0) {
            String[] h = rec.values();
            if (header == null) {
              header = h;
              headerFile = f;
              kinds = new Kind[h.length];
              Arrays.fill(kinds, Kind.NONE);
              sawNull = new boolean[h.length];
            } else if (!Arrays.equals(header, h)) {
              throw new IoException(f + ": header " + Arrays.toString(h) + " differs from " + headerFile + "'s "
                  + Arrays.toString(header) + "; all files of one read must have the same columns");
            }
          } else {
            checkWidth(f, rec, header);
            for (int c = 0; c < header.length; c++) {
              Kind k = Kind.of(rec.get(c));
              sawNull[c] |= k == Kind.NONE;
              kinds[c] = Kind.widen(kinds[c], k);
            }
          }
          if (++row > SAMPLE_ROWS) {
            break;
          }
        }
      } catch (IOException | java.io.UncheckedIOException e) {
        throw new IoException("cannot read " + f + ": " + e.getMessage(), e);
      }
    }
    if (header == null) {
      throw new IoException("the CSV files matching have no header line (all empty): " + files);
    }
    List<String> keep = options.usecols().isEmpty() ? List.of(header) : options.usecols();
    String[] names = new String[keep.size()];
    ColumnType[] types = new ColumnType[keep.size()];
    int[] positions = new int[keep.size()];
    for (int k = 0; k < keep.size(); k++) {
      String col = keep.get(k);
      int pos = Arrays.asList(header).indexOf(col);
      if (pos < 0) {
        throw new IoException("usecols: no column '" + col + "' in " + headerFile + " (columns: " + Arrays.toString(header) + ")");
      }
      names[k] = col;
      positions[k] = pos;
      ColumnType t = options.dtype().get(col);
      if (options.parseDates().contains(col)) {
        t = ColumnType.DATETIME;
      }
      types[k] = t != null ? t : kinds[pos].type(sawNull[pos]);
    }
    for (String d : options.dtype().keySet()) {
      if (!Arrays.asList(header).contains(d)) {
        throw new IoException("dtype: no column '" + d + "' in " + headerFile + " (columns: " + Arrays.toString(header) + ")");
      }
    }
    return new Schema(header, names, types, positions);
  }

  private static void checkWidth(Path f, CSVRecord rec, String[] header) {
    if (rec.size() != header.length) {
      throw new IoException(f + ", line " + rec.getParser().getCurrentLineNumber() + ": " + rec.size()
          + " fields where the header has " + header.length + " (" + String.join(",", header) + "): "
          + String.join(",", rec.values()));
    }
  }

  /** pandas' default null tokens (besides the empty field). */
  static final java.util.Set<String> NULLS = java.util.Set.of("", "NA", "N/A", "n/a", "NaN", "nan", "-NaN", "-nan",
      "null", "NULL", "None", "<NA>", "#N/A");
  private static final java.util.regex.Pattern FLOAT_PATTERN = java.util.regex.Pattern.compile(
      "[+-]?(\\d+\\.?\\d*([eE][+-]?\\d+)?|\\.\\d+([eE][+-]?\\d+)?|inf|Inf|INF|infinity|Infinity)");

  static boolean isNull(String v) {
    return NULLS.contains(trim(v));
  }

  /** {@code v} without surrounding whitespace; the same string (no copy, no scan) when it has none. */
  static String trim(String v) {
    int n = v.length();
    return n == 0 || v.charAt(0) > ' ' && v.charAt(n - 1) > ' ' ? v : v.trim();
  }

  /** [+-]digits: an integer as pandas reads it (checked by hand: a regex per value is slow). */
  static boolean isInteger(String t) {
    int n = t.length();
    int i = n > 0 && (t.charAt(0) == '+' || t.charAt(0) == '-') ? 1 : 0;
    if (i == n) {
      return false;
    }
    for (; i < n; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** [+-](digits[.digits]|.digits)([eE][+-]digits): a finite decimal as pandas reads it. */
  static boolean isDecimal(String t) {
    int n = t.length();
    int i = n > 0 && (t.charAt(0) == '+' || t.charAt(0) == '-') ? 1 : 0;
    int digits = 0;
    while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
      i++;
      digits++;
    }
    if (i < n && t.charAt(i) == '.') {
      i++;
      while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return false;
    }
    if (i < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
      i++;
      if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
        i++;
      }
      int exp = 0;
      while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
        i++;
        exp++;
      }
      if (exp == 0) {
        return false;
      }
    }
    return i == n;
  }

  /** A decimal number as pandas reads it (not Java's "7d", "2f" or hex forms). */
  static double parseFloat(String v) {
    String t = trim(v);
    if (isDecimal(t)) {
      return ch.randelshofer.fastdoubleparser.JavaDoubleParser.parseDouble(t); // = Double.parseDouble, faster
    }
    if (isNull(t)) {
      return Double.NaN;
    }
    if (!FLOAT_PATTERN.matcher(t).matches()) {
      throw new NumberFormatException("not a decimal number");
    }
    String l = t.toLowerCase(java.util.Locale.ROOT);
    if (l.endsWith("inf") || l.endsWith("infinity")) {
      return l.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    return Double.parseDouble(t);
  }

  /** Inferred value kinds, ordered by width; nulls are tracked apart (they do not widen). */
  private enum Kind {
    NONE, BOOL, INT, FLOAT, STRING;

    static Kind of(String v) {
      String t = trim(v);
      if (isInteger(t)) {
        try {
          Long.parseLong(t);
          return INT;
        } catch (NumberFormatException e) {
          return FLOAT; // beyond int64: pandas falls back to float64 too
        }
      }
      if (isDecimal(t)) {
        return FLOAT;
      }
      if (isNull(t)) {
        return NONE;
      }
      if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
        return BOOL;
      }
      return FLOAT_PATTERN.matcher(t).matches() ? FLOAT : STRING;
    }

    /** The narrowest kind holding both (non-null) kinds. */
    static Kind widen(Kind a, Kind b) {
      if (a == NONE) {
        return b;
      }
      if (b == NONE || a == b) {
        return a;
      }
      if (a == BOOL || b == BOOL) {
        return STRING;
      }
      return values()[Math.max(a.ordinal(), b.ordinal())];
    }

    /** pandas' choice: ints with nulls become float64, bools with nulls object (strings). */
    ColumnType type(boolean sawNull) {
      return switch (this) {
        case BOOL -> sawNull ? ColumnType.STRING : ColumnType.BOOL;
        case INT -> sawNull ? ColumnType.FLOAT64 : ColumnType.INT64;
        case NONE, FLOAT -> ColumnType.FLOAT64;
        case STRING -> ColumnType.STRING;
      };
    }
  }

  /** One file as a partition, with the agreed schema. */
  static Table readFile(Path f, String[] names, ColumnType[] types, int[] positions, String[] header) {
    int n = names.length;
    ColumnBuilder[] cols = new ColumnBuilder[n];
    for (int c = 0; c < n; c++) {
      cols[c] = new ColumnBuilder(types[c]);
    }
    try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8); CSVParser p = CSVParser.parse(r, format())) {
      boolean first = true;
      for (CSVRecord rec : p) {
        if (first) {
          first = false;
          if (!Arrays.equals(rec.values(), header)) {
            throw new IoException(f + ": header " + Arrays.toString(rec.values()) + " differs from "
                + Arrays.toString(header) + " (the file changed since the graph was built?)");
          }
          continue;
        }
        checkWidth(f, rec, header);
        for (int c = 0; c < n; c++) {
          String v = rec.get(positions[c]);
          try {
            cols[c].add(v);
          } catch (RuntimeException e) {
            throw new IoException(f + ", line " + rec.getParser().getCurrentLineNumber() + ", column '" + names[c]
                + "': cannot read '" + v + "' as " + types[c].pandasName() + " (" + e.getMessage() + "). If the column "
                + "holds such values, read it with a dtype override, e.g. Csv.Options.defaults().withDtype(Map.of(\""
                + names[c] + "\", ColumnType." + suggest(types[c], v) + "))", e);
          }
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new IoException("cannot read " + f + ": " + e.getMessage(), e);
    }
    Column[] out = new Column[n];
    for (int c = 0; c < n; c++) {
      out[c] = cols[c].build();
    }
    return new Table(null, null, names, out);
  }

  /** The type that would hold {@code v}: float64 for a decimal in an int column, else string. */
  private static ColumnType suggest(ColumnType t, String v) {
    if (t == ColumnType.INT64) {
      try {
        Double.parseDouble(v.trim());
        return ColumnType.FLOAT64;
      } catch (NumberFormatException e) {
        return v.trim().isEmpty() ? ColumnType.FLOAT64 : ColumnType.STRING;
      }
    }
    return ColumnType.STRING;
  }

  /** Appends parsed values of one type to growable primitive storage. */
  private static final class ColumnBuilder {
    final ColumnType type;
    double[] d = new double[1024];
    long[] l = new long[1024];
    boolean[] b = new boolean[1024];
    List<String> s = new ArrayList<>();
    int size;

    ColumnBuilder(ColumnType type) {
      this.type = type;
    }

    void add(String v) {
      String t = trim(v);
      switch (type) {
        case FLOAT64 -> {
          grow();
          d[size] = parseFloat(t);
        }
        case INT64 -> {
          if (isNull(t)) {
            throw new NumberFormatException("an empty field (null) in an int64 column; read it as FLOAT64 (NaN)");
          }
          grow();
          l[size] = Long.parseLong(t);
        }
        case BOOL -> {
          grow();
          if (!t.equalsIgnoreCase("true") && !t.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("not True or False");
          }
          b[size] = t.equalsIgnoreCase("true");
        }
        case DATETIME -> {
          grow();
          l[size] = Times.parse(t);
        }
        case STRING -> s.add(isNull(v) ? null : v); // pandas: NA tokens are NaN in object columns too
      }
      size++;
    }

    private void grow() {
      if (size == d.length && (type == ColumnType.FLOAT64)) {
        d = Arrays.copyOf(d, size * 2);
      }
      if (size == l.length && (type == ColumnType.INT64 || type == ColumnType.DATETIME)) {
        l = Arrays.copyOf(l, size * 2);
      }
      if (size == b.length && type == ColumnType.BOOL) {
        b = Arrays.copyOf(b, size * 2);
      }
    }

    Column build() {
      return switch (type) {
        case FLOAT64 -> Column.of(Arrays.copyOf(d, size));
        case INT64 -> Column.of(Arrays.copyOf(l, size));
        case BOOL -> Column.of(Arrays.copyOf(b, size));
        case DATETIME -> Column.datetimes(Arrays.copyOf(l, size));
        case STRING -> Column.strings(s.toArray(String[]::new));
      };
    }
  }
}
