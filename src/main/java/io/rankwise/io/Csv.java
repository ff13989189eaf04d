package io.rankwise.io;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.RecordWrapper;
import io.rankwise.frame.Column;
import io.rankwise.frame.ColumnType;
import io.rankwise.frame.DFrame;
import io.rankwise.frame.Frames;
import io.rankwise.frame.Table;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * CSV files as a dataframe ({@code dd.read_csv}) and back ({@code to_csv}), parsed with FastCSV.
 * Files are cut into blocks of {@link Options#blocksize} bytes (64 MiB by default), one partition
 * per block, each read by the rank that owns it: a block holds the lines that start inside it, so
 * neighbours never share or lose a line. (As in Dask, a quoted field with a line break that
 * straddles a block boundary confuses the cut: read such files with {@code withBlocksize(0)}, one
 * partition per file.)
 *
 * <p>Column types are inferred from a sample of <em>every</em> file (not only the first — the
 * pitfall the Dask tutorial warns about): bool &lt; int64 &lt; float64 &lt; string, the widest type
 * any file needs wins; an empty field is a null (NaN; an int column with nulls becomes float64, as
 * in pandas; pandas' NA tokens are nulls in string columns too). {@code dtype} overrides
 * inference, {@code parseDates} reads columns as datetimes, {@code usecols} keeps some columns. A
 * value that does not parse as its column's type fails with the file, line, column and value, and
 * the {@code dtype} override that fixes it.
 */
public final class Csv {
  /**
   * Rows read at graph-building time to infer types: this many in all, spread over the files, but
   * at least {@link #MIN_SAMPLE_ROWS_PER_FILE} of every file.
   */
  public static final int SAMPLE_ROWS = 10_000;

  /** Rows of each file read to infer types, however many files there are. */
  public static final int MIN_SAMPLE_ROWS_PER_FILE = 1_000;

  /** Default block size: 64 MiB, as Dask's read_csv. */
  public static final long DEFAULT_BLOCKSIZE = TextBlocks.DEFAULT_BLOCKSIZE;

  private Csv() {}

  /** Options of {@link #read}; build with the {@code with...} methods. */
  public record Options(Map<String, ColumnType> dtype, List<String> parseDates, List<String> usecols, long blocksize) {
    public static Options defaults() {
      return new Options(Map.of(), List.of(), List.of(), DEFAULT_BLOCKSIZE);
    }

    public Options withDtype(Map<String, ColumnType> d) {
      return new Options(Map.copyOf(d), parseDates, usecols, blocksize);
    }

    public Options withParseDates(String... cols) {
      return new Options(dtype, List.of(cols), usecols, blocksize);
    }

    public Options withUsecols(String... cols) {
      return new Options(dtype, parseDates, List.of(cols), blocksize);
    }

    /** Bytes per partition; 0 keeps every file whole (one partition per file). */
    public Options withBlocksize(long bytes) {
      if (bytes < 0) {
        throw new IoException("blocksize must be 0 (whole files) or positive, got " + bytes);
      }
      return new Options(dtype, parseDates, usecols, bytes);
    }
  }

  public static DFrame read(String pathOrGlob) {
    return read(pathOrGlob, Options.defaults());
  }

  /** Files matching {@code pathOrGlob} (e.g. {@code data/myfiles.*.csv}), in name order. */
  public static DFrame read(String pathOrGlob, Options options) {
    return read(List.of(pathOrGlob), options);
  }

  /** Files matching any of the paths or globs, in the given order (each glob's files in name order). */
  public static DFrame read(List<String> pathsOrGlobs, Options options) {
    LinkedHashSet<Path> all = new LinkedHashSet<>();
    for (String p : pathsOrGlobs) {
      all.addAll(expand(p));
    }
    List<Path> files = new ArrayList<>(all);
    Schema schema = infer(files, options);
    List<Frames.ColumnSource> sources = new ArrayList<>();
    List<TextBlocks.Block> blocks = TextBlocks.blocks(files, options.blocksize());
    for (TextBlocks.Block b : blocks) {
      // fields of columns the computation does not read are skipped, not parsed (as usecols)
      sources.add(cols -> readBlock(b, schema.only(cols)));
    }
    DFrame df = Frames.withRowCounter(Frames.fromColumnSources("read-csv", schema.names, schema.types, sources),
        p -> countBlock(blocks.get(p), schema));
    for (int c = 0; c < schema.names.length && schema.sampled > 0; c++) {
      df = df.withCardinalityEstimate(schema.names[c], schema.distinct[c], schema.sampled);
    }
    return df;
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

  /**
   * The agreed columns, and each column's distinct values among the sampled rows; {@code seeds}:
   * string columns' dictionaries from a block already read, to start the next blocks' with.
   */
  private record Schema(String[] header, String[] names, ColumnType[] types, int[] positions, long[] distinct,
      long sampled, java.util.concurrent.ConcurrentHashMap<String, CsvColumns.CharDictionary> seeds) {
    /** The columns named in {@code cols} (null: all), in file order. */
    Schema only(java.util.Set<String> cols) {
      if (cols == null || cols.containsAll(Arrays.asList(names))) {
        return this;
      }
      int[] keep = java.util.stream.IntStream.range(0, names.length).filter(c -> cols.contains(names[c])).toArray();
      return new Schema(header, Arrays.stream(keep).mapToObj(c -> names[c]).toArray(String[]::new),
          Arrays.stream(keep).mapToObj(c -> types[c]).toArray(ColumnType[]::new),
          Arrays.stream(keep).map(c -> positions[c]).toArray(), Arrays.stream(keep).mapToLong(c -> distinct[c]).toArray(),
          sampled, seeds);
    }
  }

  /** Distinct values counted per column in the type-inference sample (beyond this many: "many"). */
  private static final int DISTINCT_CAP = 100_000;

  private static CsvReader.CsvReaderBuilder format() {
    return CsvReader.builder().skipEmptyLines(true);
  }

  /** Header and types from a sample of every file; all files must have the same header. */
  private static Schema infer(List<Path> files, Options options) {
    String[] header = null;
    Path headerFile = null;
    Kind[] kinds = null;
    boolean[] sawNull = null;
    List<java.util.Set<String>> distinct = new ArrayList<>();
    long sampled = 0;
    int perFile = Math.max(MIN_SAMPLE_ROWS_PER_FILE, SAMPLE_ROWS / Math.max(1, files.size()));
    for (Path f : files) {
      try (CsvReader<CsvRecord> p = format().ofCsvRecord(new InputStreamReader(TextBlocks.open(f),
          StandardCharsets.UTF_8))) {
        int row = 0;
        for (CsvRecord rec : p) {
          if (row == 0) {
            String[] h = rec.getFields().toArray(String[]::new);
            if (header == null) {
              header = h;
              headerFile = f;
              kinds = new Kind[h.length];
              Arrays.fill(kinds, Kind.NONE);
              sawNull = new boolean[h.length];
              for (int c = 0; c < h.length; c++) {
                distinct.add(new java.util.HashSet<>());
              }
            } else if (!Arrays.equals(header, h)) {
              throw new IoException(f + ": header " + Arrays.toString(h) + " differs from " + headerFile + "'s "
                  + Arrays.toString(header) + "; all files of one read must have the same columns");
            }
          } else {
            if (rec.getFieldCount() != header.length) {
              throw widthError(f, rec.getStartingLineNumber(), rec.getFieldCount(), header,
                  String.join(",", rec.getFields()));
            }
            sampled++;
            for (int c = 0; c < header.length; c++) {
              if (distinct.get(c).size() < DISTINCT_CAP) {
                distinct.get(c).add(rec.getField(c));
              }
              Kind k = Kind.of(rec.getField(c));
              sawNull[c] |= k == Kind.NONE;
              kinds[c] = Kind.widen(kinds[c], k);
            }
          }
          if (++row > perFile) {
            break;
          }
        }
      } catch (IOException | java.io.UncheckedIOException | de.siegmar.fastcsv.reader.CsvParseException e) {
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
    long[] dv = new long[names.length];
    for (int k = 0; k < names.length; k++) {
      dv[k] = distinct.get(positions[k]).size();
    }
    return new Schema(header, names, types, positions, dv, sampled, new java.util.concurrent.ConcurrentHashMap<>());
  }

  private static IoException widthError(Path f, long line, int fields, String[] header, String text) {
    return new IoException(f + ", line " + line + ": " + fields + " fields where the header has " + header.length
        + " (" + String.join(",", header) + "): " + text);
  }

  // ---- reading a block ------------------------------------------------------------------------

  /** The lines that start in [from, to) of f, as a partition (the header skipped in the first block). */
  static Table readBlock(TextBlocks.Block b, Schema schema) {
    return scan(b, schema).table();
  }

  /**
   * Records of a block counted from its bytes, without parsing (for length()): line breaks outside
   * quotes, less the header in a file's first block. Values are not checked here; they are when
   * the rows are used.
   */
  static long countBlock(TextBlocks.Block b, Schema schema) {
    Path f = b.file();
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      boolean compressed = TextBlocks.compression(f) != null;
      long[] range = compressed ? null : TextBlocks.range(ch, b);
      if (range != null && range[0] >= range[1]) {
        return 0;
      }
      try (InputStream in = compressed ? TextBlocks.open(f) : TextBlocks.bounded(ch, range[0], range[1] - range[0])) {
        long n = TextBlocks.countRecords(in);
        return b.start() == 0 ? Math.max(0, n - 1) : n; // the header line
      }
    } catch (IOException e) {
      throw new IoException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  private static Handler scan(TextBlocks.Block b, Schema schema) {
    Path f = b.file();
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      boolean compressed = TextBlocks.compression(f) != null;
      long[] range = compressed ? new long[] {0, 1} : TextBlocks.range(ch, b);
      long begin = range[0];
      Handler h = new Handler(f, schema, compressed ? 0 : range[1] - begin);
      if (begin < range[1]) {
        InputStream in = new java.io.BufferedInputStream(compressed ? TextBlocks.open(f)
            : TextBlocks.bounded(ch, begin, range[1] - begin), 1 << 16);
        long headerLines = 0; // (lines before the block are counted only for an error message)
        if (b.start() == 0) {
          // The header is checked apart from the rows: the compiled row loop then never meets a
          // header, which would throw it back to the interpreter at the start of every file.
          byte[] head = TextBlocks.firstRecord(in);
          checkHeader(f, head, schema);
          for (byte x : head) {
            headerLines += x == '\n' ? 1 : 0;
          }
        }
        try (CsvReader<Object> r = format().build(h, new InputStreamReader(in, StandardCharsets.UTF_8))) {
          for (Object ignored : r) {
            // rows land in the column builders
          }
        } catch (RuntimeException e) {
          // FastCSV wraps what the handler throws
          Throwable c = e instanceof de.siegmar.fastcsv.reader.CsvParseException && e.getCause() != null ? e.getCause() : e;
          if (c instanceof FieldError fe) {
            throw valueError(f, TextBlocks.linesBefore(ch, begin) + headerLines + h.line, fe);
          }
          if (c instanceof WidthError we) {
            long line = TextBlocks.linesBefore(ch, begin) + headerLines + h.line;
            throw widthError(f, line, we.fields, schema.header, compressed ? "(compressed)" : lineText(f, line));
          }
          if (c instanceof IoException io) {
            throw io;
          }
          throw e;
        }
      }
      h.offerDictionaries();
      return h;
    } catch (IOException | java.io.UncheckedIOException | de.siegmar.fastcsv.reader.CsvParseException e) {
      throw new IoException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  /** A file's header (its first record, as bytes) must still be the one the schema was inferred from. */
  private static void checkHeader(Path f, byte[] head, Schema schema) throws IOException {
    try (CsvReader<CsvRecord> r = format().ofCsvRecord(new String(head, StandardCharsets.UTF_8))) {
      java.util.Iterator<CsvRecord> it = r.iterator();
      if (!it.hasNext()) {
        return; // an empty file
      }
      List<String> seen = it.next().getFields();
      if (it.hasNext()) { // the header was cut where FastCSV would not cut it: never drop rows silently
        throw new IoException(f + ": cannot find where the header line ends (unbalanced quotes?)");
      }
      if (!seen.equals(Arrays.asList(schema.header))) {
        throw new IoException(f + ": header " + seen + " differs from " + Arrays.toString(schema.header)
            + " (the file changed since the graph was built?)");
      }
    }
  }

  private static String lineText(Path f, long line) {
    try (var lines = Files.lines(f, StandardCharsets.UTF_8)) {
      return lines.skip(Math.max(0, line - 1)).findFirst().orElse("");
    } catch (IOException | java.io.UncheckedIOException e) {
      return "(unreadable)";
    }
  }

  private static IoException valueError(Path f, long line, FieldError e) {
    return new IoException(f + ", line " + line + ", column '" + e.column + "': cannot read '" + e.value + "' as "
        + e.type.pandasName() + " (" + e.getCause().getMessage() + "). If the column holds such values, read it with a "
        + "dtype override, e.g. Csv.Options.defaults().withDtype(Map.of(\"" + e.column + "\", ColumnType."
        + suggest(e.type, e.value) + "))", e.getCause());
  }

  /** A value of a column that does not parse as the column's type. */
  static final class FieldError extends RuntimeException {
    final String column;
    final String value;
    final ColumnType type;

    FieldError(String column, String value, ColumnType type, RuntimeException cause) {
      super(cause.getMessage(), cause, false, false);
      this.column = column;
      this.value = value;
      this.type = type;
    }
  }

  /** A record with the wrong number of fields. */
  private static final class WidthError extends RuntimeException {
    final int fields;

    WidthError(int fields) {
      super(null, null, false, false);
      this.fields = fields;
    }
  }

  /** FastCSV callback: fields go straight into the column builders, no String per number. */
  private static final class Handler extends AbstractBaseCsvCallbackHandler<Object> {
    private static final Object ROW = new Object();
    final Path file;
    final Schema schema;
    final CsvColumns.ColumnBuilder[] byField;
    boolean pendingEmpty;
    int rows;
    long line;
    private final long bytes; // of the block (0: unknown)
    private long chars; // in the fields of the first rows, for the estimate of the block's rows

    Handler(Path file, Schema schema, long bytes) {
      this.file = file;
      this.schema = schema;
      this.bytes = bytes;
      this.byField = new CsvColumns.ColumnBuilder[schema.header.length];
      for (int c = 0; c < schema.names.length; c++) {
        byField[schema.positions[c]] = new CsvColumns.ColumnBuilder(schema.names[c], schema.types[c],
            schema.seeds.get(schema.names[c]));
      }
    }

    /** This block's small dictionaries start the next blocks' (their first lookups then find their words). */
    void offerDictionaries() {
      for (CsvColumns.ColumnBuilder c : byField) {
        if (c != null && c.dict != null && c.dict.size() <= CsvColumns.CharDictionary.SEED_MAX) {
          schema.seeds.putIfAbsent(c.name, c.dict.copy());
        }
      }
    }

    @Override
    protected void handleBegin(long startingLineNumber) {
      line = startingLineNumber;
      pendingEmpty = false;
    }

    @Override
    protected void handleField(int idx, char[] buf, int off, int len, boolean quoted) {
      if (idx == 0 && len == 0 && !quoted) {
        pendingEmpty = true; // an empty line, or an empty first field: known at the record's end
        return;
      }
      if (rows < ESTIMATE_AFTER) {
        chars += len + 1; // the separator or line break after it
      }
      if (idx < byField.length && byField[idx] != null) {
        byField[idx].set(rows, buf, off, len);
      }
    }

    /** Rows read before the columns are sized for the whole block. */
    private static final int ESTIMATE_AFTER = 512;

    /**
     * Sizes the columns for the rows the block will hold, estimated from the bytes per row so far
     * (with a margin): no string of doublings and copies of large arrays while reading.
     */
    private void sizeForBlock() {
      if (bytes > 0 && chars > 0) {
        // chars undercount the bytes of non-ASCII text and short first rows undercount later ones:
        // a bounded presize (32 MiB per 8-byte column), doubling past it as before
        long estimate = Math.min((long) (bytes / ((double) chars / rows) * 1.05) + 1024, MAX_PRESIZE);
        for (CsvColumns.ColumnBuilder c : byField) {
          if (c != null) {
            c.ensure((int) estimate);
          }
        }
      }
    }

    /** The most rows a block's columns are sized for up front. */
    private static final long MAX_PRESIZE = 1 << 22;

    @Override
    protected RecordWrapper<Object> buildRecord() {
      if (isEmptyLine()) {
        return wrapRecord(ROW);
      }
      if (getFieldCount() != schema.header.length) {
        throw new WidthError(getFieldCount());
      }
      if (pendingEmpty && byField[0] != null) {
        byField[0].set(rows, new char[0], 0, 0);
      }
      if (++rows == ESTIMATE_AFTER) {
        sizeForBlock();
      }
      return wrapRecord(ROW);
    }

    Table table() {
      Column[] out = new Column[schema.names.length];
      for (int c = 0; c < out.length; c++) {
        out[c] = byField[schema.positions[c]].build(rows);
      }
      return new Table(null, null, schema.names, out);
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
    return CsvColumns.isDecimal(t.toCharArray(), 0, t.length());
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
      // the pattern can only match text that starts (after a sign) with a digit, '.' or inf/Infinity
      int i = t.startsWith("+") || t.startsWith("-") ? 1 : 0;
      char c = i < t.length() ? t.charAt(i) : ' ';
      boolean maybe = (c >= '0' && c <= '9') || c == '.' || c == 'i' || c == 'I';
      return maybe && FLOAT_PATTERN.matcher(t).matches() ? FLOAT : STRING;
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

  /** The type that would hold {@code v}: float64 for a decimal in an int column, else string. */
  static ColumnType suggest(ColumnType t, String v) {
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

  /**
   * Writes each partition to its own file (Dask's to_csv): {@code pattern} names them, with
   * {@code *} replaced by the partition number (e.g. {@code out/part-*.csv}); written by the rank
   * that holds the partition; returns the paths in partition order. A named index is written as
   * the first column (a range index is not); nulls are empty fields, as pandas writes them.
   */
  public static List<Path> write(DFrame df, String pattern) {
    return CsvWriting.write(df, pattern);
  }
}
