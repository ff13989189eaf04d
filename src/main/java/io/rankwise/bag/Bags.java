package io.rankwise.bag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankwise.frame.Column;
import io.rankwise.frame.ColumnType;
import io.rankwise.graph.Layer;
import io.rankwise.graph.Task;
import io.rankwise.graph.TaskKey;
import io.rankwise.runtime.Session;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Creating bags: {@code readText}, {@code readJson}, {@code fromSequence}; and example data. */
public final class Bags {
  /** What to do with a line that is not valid JSON. */
  public enum OnError {
    /** Fail with the file, line and text of the first bad line. */
    FAIL,
    /** Skip bad lines; they are counted and reported (with the first one) when results come back. */
    SKIP
  }

  /** Jackson's data binding, made when first needed (~0.15 s of class loading in a fresh JVM). */
  static ObjectMapper json() {
    return Mapper.JSON;
  }

  private static final class Mapper {
    static final ObjectMapper JSON = new ObjectMapper();
  }

  /** Jackson's token parser (maps are built from tokens: no data binding). */
  private static final com.fasterxml.jackson.core.JsonFactory TOKENS = new com.fasterxml.jackson.core.JsonFactory();

  /**
   * One JSON line as an ordered map (arrays as lists, integers as Integer/Long/BigInteger,
   * decimals as Double, as Jackson's data binding gives them), built from the token stream.
   */
  static Object record(byte[] buf, int off, int len) throws IOException {
    try (com.fasterxml.jackson.core.JsonParser p = TOKENS.createParser(buf, off, len)) {
      com.fasterxml.jackson.core.JsonToken t = p.nextToken();
      if (t != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        throw new com.fasterxml.jackson.core.JsonParseException(p, "a JSON line must hold an object, got " + t);
      }
      Object v = value(p, t);
      if (p.nextToken() != null) {
        throw new com.fasterxml.jackson.core.JsonParseException(p, "text after the object");
      }
      return v;
    }
  }

  private static Object value(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.core.JsonToken t)
      throws IOException {
    switch (t) {
      case START_OBJECT -> {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        for (com.fasterxml.jackson.core.JsonToken k = p.nextToken(); k != com.fasterxml.jackson.core.JsonToken.END_OBJECT;
            k = p.nextToken()) {
          String name = p.currentName();
          m.put(name, value(p, p.nextToken()));
        }
        return m;
      }
      case START_ARRAY -> {
        ArrayList<Object> l = new ArrayList<>();
        for (com.fasterxml.jackson.core.JsonToken k = p.nextToken(); k != com.fasterxml.jackson.core.JsonToken.END_ARRAY;
            k = p.nextToken()) {
          l.add(value(p, k));
        }
        return l;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT -> {
        return p.getNumberValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        return p.getDoubleValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected " + t);
    }
  }

  private Bags() {}

  /** The items of a list, in {@code npartitions} contiguous partitions. */
  public static <T> Bag<T> fromSequence(List<T> items, int npartitions) {
    if (npartitions < 1) {
      throw new BagException("fromSequence: npartitions must be at least 1, got " + npartitions);
    }
    List<T> copy = new ArrayList<>(items);
    String name = Session.current().nextName("from-sequence");
    List<Task> tasks = new ArrayList<>(npartitions);
    for (int p = 0; p < npartitions; p++) {
      int from = (int) ((long) copy.size() * p / npartitions);
      int to = (int) ((long) copy.size() * (p + 1) / npartitions);
      tasks.add(new Task(new TaskKey(name, p), List.of(), in -> Part.of(copy.subList(from, to)), "from-sequence", 1.0,
          -1));
    }
    return new Bag<>(name, npartitions, new Layer(name, tasks, List.of()));
  }

  /**
   * Lines of text files (a path, a glob such as {@code data/*.json}, or a list joined by commas),
   * in name order, cut into blocks of 64 MiB (one partition each; a block holds the lines that
   * start in it). {@code .gz}, {@code .bz2} and {@code .xz} files are decompressed (one partition
   * per file: compressed streams cannot be cut). Files are read as UTF-8; a last line without a
   * newline is a line like the others.
   */
  public static Bag<String> readText(String pathsOrGlob) {
    return readText(pathsOrGlob, io.rankwise.io.TextBlocks.DEFAULT_BLOCKSIZE);
  }

  /** {@link #readText(String)} with blocks of {@code blocksize} bytes (0: one partition per file). */
  public static Bag<String> readText(String pathsOrGlob, long blocksize) {
    return source("read-text", files(pathsOrGlob), blocksize,
        byLine((file, line, buf, off, len, out) -> out.add(new String(buf, off, len, StandardCharsets.UTF_8))),
        OnError.FAIL);
  }

  /** A line of text and the file it came from (Dask's {@code read_text(..., include_path=True)}). */
  public record Line(String text, String path) {}

  /** {@link #readText(String)} with each line's file: items are {@link Line}s. */
  public static Bag<Line> readTextWithPath(String pathsOrGlob) {
    return readTextWithPath(pathsOrGlob, io.rankwise.io.TextBlocks.DEFAULT_BLOCKSIZE);
  }

  /** {@link #readText(String, long)} with each line's file: items are {@link Line}s. */
  public static Bag<Line> readTextWithPath(String pathsOrGlob, long blocksize) {
    return source("read-text", files(pathsOrGlob), blocksize, byLine((file, line, buf, off, len, out) -> out.add(
        new Line(new String(buf, off, len, StandardCharsets.UTF_8), file.toString()))), OnError.FAIL);
  }

  /** JSON lines as records ({@code Map<String, Object>}, fields in file order). */
  public static Bag<Map<String, Object>> readJson(String pathsOrGlob, OnError onError) {
    return readJson(pathsOrGlob, onError, io.rankwise.io.TextBlocks.DEFAULT_BLOCKSIZE);
  }

  /** JSON lines as records, files cut into blocks of {@code blocksize} bytes (0: one partition per file). */
  public static Bag<Map<String, Object>> readJson(String pathsOrGlob, OnError onError, long blocksize) {
    return source("read-json", files(pathsOrGlob), blocksize, JSON_RECORDS, onError);
  }

  /** One JSON line as a record (not blank), or a BagException naming the file, line and text. */
  static Object jsonLine(Path file, java.util.function.LongSupplier line, byte[] buf, int off, int len) {
    try {
      return record(buf, off, len); // Jackson's byte parser, tokens straight into maps
    } catch (JsonProcessingException e) {
      throw new BagException(file + ", line " + line.getAsLong() + ": not valid JSON (" + e.getOriginalMessage() + "): "
          + abbreviate(new String(buf, off, len, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new BagException(file + ", line " + line.getAsLong() + ": " + e.getMessage());
    }
  }

  /**
   * JSON lines as records, with one Jackson parser for a whole chunk of lines (no parser set-up per
   * line). Each record must start and end on its line with only blanks after it; a line where that
   * fails, or the parser fails, is parsed again on its own ({@link #jsonLine}), which gives the
   * line's error exactly as a line-by-line reader does, and a new parser starts at the next line.
   */
  static final ChunkParser JSON_RECORDS = (buf, from, to, lines) -> {
    com.fasterxml.jackson.core.JsonParser p = null;
    int base = 0; // where p's input starts in buf
    try {
      for (int start = from; start < to;) {
        int brk = lineBreak(buf, start, to);
        int len = lineLength(buf, start, brk);
        lines.line++;
        if (!blank(buf, start, len)) {
          Object rec = null;
          try {
            if (p == null) {
              p = TOKENS.createParser(buf, start, to - start);
              base = start;
            }
            com.fasterxml.jackson.core.JsonToken t = p.nextToken();
            if (t == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
              rec = value(p, t);
              long end = base + p.currentLocation().getByteOffset(); // just after the closing brace
              // (no offset, -1, when Jackson read the bytes as UTF-16/32: the line reader decides)
              if (end <= start || end > start + len || !blank(buf, (int) end, start + len - (int) end)) {
                rec = null;
              }
            }
          } catch (IOException e) {
            rec = null;
          }
          if (rec == null) {
            close(p);
            p = null;
            try {
              rec = jsonLine(lines.file, lines, buf, start, len);
            } catch (BagException e) {
              lines.bad(e);
            }
          }
          if (rec != null) {
            lines.sink.accept(rec); // outside the guards: errors of later steps are not bad input
          }
        }
        start = brk + 1;
      }
    } finally {
      close(p);
    }
  };

  private static void close(com.fasterxml.jackson.core.JsonParser p) {
    try {
      if (p != null) {
        p.close(); // gives its buffers back; reads nothing
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** JSON lines as objects of {@code type} (Jackson data binding). */
  public static <T> Bag<T> readJson(String pathsOrGlob, Class<T> type, OnError onError) {
    com.fasterxml.jackson.databind.ObjectReader reader = json().readerFor(type);
    return source("read-json", files(pathsOrGlob), io.rankwise.io.TextBlocks.DEFAULT_BLOCKSIZE,
        byLine((file, line, buf, off, len, out) -> {
          if (blank(buf, off, len)) {
            return;
          }
          try {
            out.add(reader.readValue(buf, off, len));
          } catch (JsonProcessingException e) {
            throw new BagException(file + ", line " + line.getAsLong() + ": cannot read as " + type.getSimpleName() + " ("
                + e.getOriginalMessage() + "): " + abbreviate(new String(buf, off, len, StandardCharsets.UTF_8)));
          } catch (IOException e) {
            throw new BagException(file + ", line " + line.getAsLong() + ": " + e.getMessage());
          }
        }), onError);
  }

  /**
   * Turns one line (bytes [off, off + len) of buf, UTF-8) into items; {@code line} gives its
   * number in the file (asked for messages only).
   */
  @FunctionalInterface
  interface LineParser {
    void parse(Path file, java.util.function.LongSupplier line, byte[] buf, int off, int len, List<Object> out);
  }

  /**
   * Parses whole lines, bytes [from, to) of buf (each ending in '\n' but perhaps the input's last),
   * into items for {@code lines.sink}; counts them in {@code lines.line}; hands bad lines to
   * {@code lines.bad}.
   */
  @FunctionalInterface
  interface ChunkParser {
    void parse(byte[] buf, int from, int to, Lines lines);
  }

  /** A chunk parser that parses each line on its own. */
  static ChunkParser byLine(LineParser parser) {
    return (buf, from, to, lines) -> {
      List<Object> batch = new ArrayList<>(1);
      for (int start = from; start < to;) {
        int brk = lineBreak(buf, start, to);
        lines.line++;
        batch.clear();
        try {
          parser.parse(lines.file, lines, buf, start, lineLength(buf, start, brk), batch);
        } catch (BagException e) {
          lines.bad(e);
          batch.clear();
        }
        for (Object o : batch) {
          lines.sink.accept(o); // outside the guard: errors of later steps (map, filter) are not bad input
        }
        start = brk + 1;
      }
    };
  }

  /** The index of the first '\n' in buf[from, to), or {@code to}. */
  private static int lineBreak(byte[] buf, int from, int to) {
    for (int i = from; i < to; i++) {
      if (buf[i] == '\n') {
        return i;
      }
    }
    return to;
  }

  /** The length of the line from start to its break, without a '\r' before the break. */
  private static int lineLength(byte[] buf, int start, int brk) {
    return brk > start && buf[brk - 1] == '\r' ? brk - start - 1 : brk - start;
  }

  /**
   * The lines of one block being parsed: the file, the number of the current line (asked for
   * messages only: counting the lines before a later block costs a read), where items go, and the
   * bad lines skipped.
   */
  static final class Lines implements java.util.function.LongSupplier {
    final Path file;
    final java.util.function.Consumer<Object> sink;
    long line; // lines of the block so far, the current one included
    private final OnError onError;
    private final java.nio.channels.FileChannel ch;
    private final long blockStart;
    private long before; // lines before the block, -1 until asked for
    long skipped;
    String firstSkipped;

    Lines(Path file, java.nio.channels.FileChannel ch, long blockStart, OnError onError,
        java.util.function.Consumer<Object> sink) {
      this.file = file;
      this.ch = ch;
      this.blockStart = blockStart;
      this.before = blockStart == 0 ? 0 : -1;
      this.onError = onError;
      this.sink = sink;
    }

    /** The current line's number in the file. */
    @Override
    public long getAsLong() {
      if (before < 0) {
        try {
          before = io.rankwise.io.TextBlocks.linesBefore(ch, blockStart);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      return before + line;
    }

    /** A bad line: the end of the job with OnError.FAIL, else counted (and the first one kept). */
    void bad(BagException e) {
      if (onError == OnError.FAIL) {
        throw new BagException(e.getMessage() + ". To skip bad lines (counted and reported), read with "
            + "Bags.OnError.SKIP", e);
      }
      skipped++;
      firstSkipped = firstSkipped == null ? e.getMessage() : firstSkipped;
    }
  }

  static boolean blank(byte[] buf, int off, int len) {
    for (int i = off; i < off + len; i++) {
      if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\r') {
        return false;
      }
    }
    return true;
  }

  private static <T> Bag<T> source(String op, List<Path> files, long blocksize, ChunkParser parser, OnError onError) {
    String name = Session.current().nextName(op);
    List<io.rankwise.io.TextBlocks.Block> blocks = io.rankwise.io.TextBlocks.blocks(files, blocksize);
    List<Task> tasks = new ArrayList<>(blocks.size());
    for (int p = 0; p < blocks.size(); p++) {
      io.rankwise.io.TextBlocks.Block b = blocks.get(p);
      double cost = Math.max(0.01, (b.end() - b.start()) / 1e6);
      tasks.add(new Task(new TaskKey(name, p), List.of(), in -> readBlock(b, parser, onError), op, cost, -1));
    }
    return new Bag<>(name, blocks.size(), new Layer(name, tasks, List.of()));
  }

  /** A streamed partition over a block of a file: read line by line each time it is visited. */
  static Part readBlock(io.rankwise.io.TextBlocks.Block b, ChunkParser parser, OnError onError) {
    return Part.streamed(sink -> stream(b, parser, onError, sink));
  }

  private static Part.Skips stream(io.rankwise.io.TextBlocks.Block b, ChunkParser parser, OnError onError,
      java.util.function.Consumer<Object> sink) {
    Path f = b.file();
    boolean whole = b.whole() || io.rankwise.io.TextBlocks.compression(f) != null;
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f)) {
      long[] range = whole ? new long[] {0, Long.MAX_VALUE} : io.rankwise.io.TextBlocks.range(ch, b);
      InputStream in = whole ? io.rankwise.io.TextBlocks.open(f)
          : io.rankwise.io.TextBlocks.bounded(ch, range[0], range[1] - range[0]);
      Lines lines = new Lines(f, ch, range[0], onError, sink);
      try (in) {
        io.rankwise.io.TextBlocks.chunks(in, (buf, from, to) -> parser.parse(buf, from, to, lines));
      }
      return new Part.Skips(lines.skipped, lines.firstSkipped);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new BagException("cannot read " + f + ": " + e.getMessage(), e);
    } catch (io.rankwise.io.IoException e) {
      throw new BagException(e.getMessage(), e);
    }
  }

  /** Logs skipped input once per result, on rank 0. */
  /**
   * Reports skips met inside a task whose result no longer carries them (a dataframe partition, a
   * written file): logged by the rank that ran the task, naming the partition.
   */
  static void reportSkippedIn(String where, long skipped, String first) {
    if (skipped > 0) {
      Session.current().log().warn(where + ": skipped " + skipped + " bad input line" + (skipped == 1 ? "" : "s")
          + " (OnError.SKIP); first: " + first);
    }
  }

  static void reportSkipped(long skipped, String first) {
    if (skipped > 0) {
      Session s = Session.current();
      if (s.isRoot()) {
        s.log().warn("skipped " + skipped + " bad input line" + (skipped == 1 ? "" : "s") + " (OnError.SKIP); first: "
            + first);
      }
    }
  }

  static List<Path> files(String spec) {
    List<Path> out = new ArrayList<>();
    for (String part : spec.split(",")) {
      String s = part.trim();
      if (s.isEmpty()) {
        continue;
      }
      Path p = Path.of(s);
      String glob = p.getFileName() == null ? "" : p.getFileName().toString();
      if (!glob.contains("*") && !glob.contains("?") && !glob.contains("[")) {
        if (!Files.isRegularFile(p)) {
          throw new BagException("file " + p + " does not exist (working directory " + Path.of("").toAbsolutePath() + ")");
        }
        out.add(p);
        continue;
      }
      Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
      PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
      List<Path> found = new ArrayList<>();
      if (Files.isDirectory(dir)) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
          for (Path f : ds) {
            if (Files.isRegularFile(f) && m.matches(f.getFileName())) {
              found.add(f);
            }
          }
        } catch (IOException e) {
          throw new BagException("cannot list " + dir + ": " + e.getMessage(), e);
        }
      }
      if (found.isEmpty()) {
        throw new BagException("no files match '" + s + "' (in " + dir.toAbsolutePath() + ")");
      }
      found.sort(null);
      out.addAll(found);
    }
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  /** One column of a dataframe built from records. */
  static Column column(List<Object> items, String field, ColumnType type) {
    int n = items.size();
    switch (type) {
      case FLOAT64 -> {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          Object o = field(items.get(i), field, type, i);
          v[i] = o == null ? Double.NaN : ((Number) o).doubleValue();
        }
        return Column.of(v);
      }
      case INT64 -> {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          Object o = field(items.get(i), field, type, i);
          if (!(o instanceof Number num)) {
            throw new BagException("toDataFrame: record " + i + " has " + field + "=" + o + ", not an int64");
          }
          v[i] = num.longValue();
        }
        return Column.of(v);
      }
      case BOOL -> {
        boolean[] v = new boolean[n];
        for (int i = 0; i < n; i++) {
          v[i] = Boolean.TRUE.equals(field(items.get(i), field, type, i));
        }
        return Column.of(v);
      }
      default -> {
        String[] v = new String[n];
        for (int i = 0; i < n; i++) {
          v[i] = String.valueOf(field(items.get(i), field, type, i));
        }
        return Column.strings(v);
      }
    }
  }

  private static Object field(Object record, String field, ColumnType type, int i) {
    if (!(record instanceof Map<?, ?> m)) {
      throw new BagException("toDataFrame: items must be records (maps); item " + i + " is a "
          + (record == null ? "null" : record.getClass().getName()));
    }
    Object v = m.get(field);
    if (v != null && type != ColumnType.STRING && type != ColumnType.BOOL && !(v instanceof Number)) {
      throw new BagException("toDataFrame: record " + i + " has " + field + "=" + v + ", not a number ("
          + type.pandasName() + ")");
    }
    return v;
  }

  // ---- example data -----------------------------------------------------------------------

  private static final String[] FIRST = {"Alice", "Bob", "Carmen", "Dmitri", "Elif", "Farid", "Greta", "Hiro", "Ines",
    "Jonas", "Kemal", "Lena", "Marek", "Noor", "Olga", "Pedro", "Qiu", "Rosa", "Sven", "Tariq", "Ute", "Vera", "Wim",
    "Xenia", "Yusuf", "Zoë"};
  private static final String[] LAST = {"Adler", "Berg", "Costa", "Dubois", "Engel", "Fischer", "García", "Hansen",
    "Ivanova", "Jensen", "Kowalski", "Larsen", "Müller", "Nakamura", "Olsen", "Popescu", "Rossi", "Silva", "Tanaka",
    "Ursu", "Vogel", "Weber", "Yilmaz", "Zhang"};
  private static final String[] JOBS = {"Accountant", "Baker", "Chemist", "Data Scientist", "Engineer", "Farmer",
    "Geologist", "HPC Administrator", "Illustrator", "Journalist", "Librarian", "Meteorologist", "Nurse", "Physicist",
    "Teacher", "Welder"};
  private static final String[] CITIES = {"Aarhus", "Bologna", "Cluj", "Dresden", "Espoo", "Graz", "Lyon", "Porto",
    "Tartu", "Utrecht"};

  /**
   * Writes {@code files} JSON-lines files of {@code perFile} people each (like the Dask tutorial's
   * accounts data): age, name [first, last], occupation, telephone, address, credit-card. Seeded:
   * the same arguments write the same files.
   */
  public static List<Path> makePeople(Path dir, int files, int perFile, long seed) throws IOException {
    Files.createDirectories(dir);
    List<Path> out = new ArrayList<>();
    for (int f = 0; f < files; f++) {
      SplittableRandom r = new SplittableRandom(seed * 1_000_003L + f);
      List<String> lines = new ArrayList<>(perFile);
      for (int i = 0; i < perFile; i++) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("age", 18 + r.nextInt(70));
        p.put("name", List.of(FIRST[r.nextInt(FIRST.length)], LAST[r.nextInt(LAST.length)]));
        p.put("occupation", JOBS[r.nextInt(JOBS.length)]);
        p.put("telephone", String.format("+%d-%03d-%04d", 1 + r.nextInt(98), r.nextInt(1000), r.nextInt(10000)));
        Map<String, Object> addr = new LinkedHashMap<>();
        addr.put("address", (1 + r.nextInt(200)) + " " + LAST[r.nextInt(LAST.length)] + " Street");
        addr.put("city", CITIES[r.nextInt(CITIES.length)]);
        p.put("address", addr);
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("number", String.format("%04d %04d %04d %04d", r.nextInt(10000), r.nextInt(10000), r.nextInt(10000),
            r.nextInt(10000)));
        card.put("expiration-date", String.format("%02d/%02d", 1 + r.nextInt(12), 25 + r.nextInt(10)));
        p.put("credit-card", card);
        lines.add(json().writeValueAsString(p));
      }
      Path file = dir.resolve(String.format("people-%d.json", f));
      Files.write(file, lines, StandardCharsets.UTF_8);
      out.add(file);
    }
    return out;
  }
}
