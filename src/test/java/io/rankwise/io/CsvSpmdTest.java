package io.rankwise.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rankwise.frame.Column;
import io.rankwise.frame.ColumnType;
import io.rankwise.frame.DFrame;
import io.rankwise.frame.Table;
import io.rankwise.runtime.Session;
import io.rankwise.testing.SpmdRanks;
import io.rankwise.testing.SpmdTest;
import io.rankwise.testing.SpmdTestCase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * readCsv against pandas' answers (test-data/csv/golden.txt) on real ranks: more ranks than files
 * included. Quoted commas, doubled quotes, unicode, nulls, a header-only file, and types that only
 * a later file reveals.
 */
@SpmdRanks(mpi = {1, 2, 5}, local = {1, 3})
class CsvSpmdTest extends SpmdTestCase {
  static Path dir() {
    return Path.of(System.getProperty("rankwise.home", ".")).resolve("test-data/csv");
  }

  static Map<String, String> golden() {
    Map<String, String> g = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(dir().resolve("golden.txt"), StandardCharsets.UTF_8)) {
        if (!line.startsWith("#") && !line.isBlank()) {
          int sp = line.indexOf(' ');
          g.put(line.substring(0, sp), line.substring(sp + 1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return g;
  }

  static String byKey(Table t, String col, boolean integer) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < t.rows(); i++) {
      Column c = t.column(col);
      parts.add(t.index().getString(i) + "=" + (integer ? Long.toString(c.getLong(i)) : Double.toString(c.getDouble(i))));
    }
    return String.join("|", parts);
  }

  @SpmdTest
  void globMatchesPandas(Session s) {
    Map<String, String> g = golden();
    DFrame df = Csv.read(dir().resolve("people.*.csv").toString());
    assertEquals(4, df.npartitions());
    List<String> dtypes = new ArrayList<>();
    for (String c : df.columns()) {
      dtypes.add(c + ":" + df.dtype(c).pandasName());
    }
    assertEquals(g.get("dtypes"), String.join(",", dtypes));
    Table all = df.compute();
    assertEquals(Integer.parseInt(g.get("rows")), all.rows());
    List<String> names = new ArrayList<>();
    for (int i = 0; i < all.rows(); i++) {
      names.add(all.column("name").getString(i));
    }
    assertEquals(g.get("names"), String.join("|", names));
    assertEquals(g.get("mean_score_by_city"), byKey(df.groupby("city").column("score").mean().compute(), "score", false));
    assertEquals(g.get("count_score_by_city"), byKey(df.groupby("city").column("score").count().compute(), "score", true));
    assertEquals(g.get("sum_age_by_city"), byKey(df.groupby("city").column("age").sum().compute(), "age", false));
    assertEquals(Long.parseLong(g.get("active_rows")), df.filter(df.col("active").eq(true)).length());
  }

  @SpmdTest
  void dtypeOverridesUsecolsAndDates(Session s) {
    DFrame df = Csv.read(dir().resolve("people.*.csv").toString(),
        Csv.Options.defaults().withUsecols("city", "age").withDtype(Map.of("age", ColumnType.FLOAT64)));
    assertEquals(List.of("city", "age"), df.columns());
    assertEquals(ColumnType.FLOAT64, df.dtype("age"));
    assertEquals(8, df.length());
  }

  @SpmdTest
  void aComputationParsesOnlyTheColumnsItReads(Session s) {
    // 'name' read as int64 does not parse: only what reads 'name' meets the error (pandas' usecols)
    DFrame df = Csv.read(dir().resolve("people.*.csv").toString(),
        Csv.Options.defaults().withDtype(Map.of("name", ColumnType.INT64)));
    Map<String, String> g = golden();
    assertEquals(g.get("mean_score_by_city"), byKey(df.groupby("city").column("score").mean().compute(), "score", false));
    DFrame active = df.filter(df.col("active").eq(true));
    Table sums = active.groupby("city").column("age").sum().compute();
    DFrame plain = Csv.read(dir().resolve("people.*.csv").toString());
    assertEquals(plain.filter(plain.col("active").eq(true)).groupby("city").column("age").sum().compute().toString(),
        sums.toString());
    try {
      active.compute();
      org.junit.jupiter.api.Assertions.fail("the rows with all their columns read 'name'");
    } catch (io.rankwise.graph.TaskFailedException | io.rankwise.graph.RemoteFailureException e) {
      org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("column 'name': cannot read"), e.getMessage());
    }
  }

  /** The table as text, row by row (nulls as NaN/NaT). */
  static List<String> rows(Table t) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < t.rows(); i++) {
      StringBuilder sb = new StringBuilder(t.index() == null ? "" : t.index().getString(i));
      for (String c : t.columnNames()) {
        sb.append('|').append(t.column(c).isNull(i) ? "null" : t.column(c).getString(i));
      }
      out.add(sb.toString());
    }
    return out;
  }

  @SpmdTest
  void smallBlocksSplitFilesWithoutLosingOrRepeatingALine(Session s) {
    String glob = dir().resolve("people.*.csv").toString();
    Table whole = Csv.read(glob, Csv.Options.defaults().withBlocksize(0)).compute();
    for (long bs : new long[] {1, 17, 40, 64, 1000}) {
      DFrame blocks = Csv.read(glob, Csv.Options.defaults().withBlocksize(bs));
      assertEquals(rows(whole), rows(blocks.compute()), "blocksize " + bs);
    }
    assertEquals(4, Csv.read(glob, Csv.Options.defaults().withBlocksize(0)).npartitions());
    assertEquals(true, Csv.read(glob, Csv.Options.defaults().withBlocksize(40)).npartitions() > 8);
  }

  @SpmdTest
  void lengthCountsRecordsWithoutParsingAndAgreesWithTheRows(Session s) throws Exception {
    Path out = io.rankwise.io.Hdf5SpmdTest.sharedTempFile(s, "len");
    if (s.rank() == 0) {
      Files.createDirectories(out);
      Files.writeString(out.resolve("a.csv"), "id,text\n1,\"two\nlines\"\n\n2,plain\r\n3,\"a \"\"quoted\"\" one\"\n\n");
      Files.writeString(out.resolve("b.csv"), "id,text\n");
      Files.writeString(out.resolve("c.csv"), "id,text\n4,no newline at the end");
    }
    s.comm().barrier();
    DFrame whole = Csv.read(out.resolve("*.csv").toString(), Csv.Options.defaults().withBlocksize(0));
    assertEquals(4, whole.compute().rows());
    assertEquals(4, whole.length());
    for (String glob : List.of(dir().resolve("people.*.csv").toString(), CsvSpmdTest.dir().resolve("people.1.csv").toString())) {
      for (long bs : new long[] {0, 40, 1000}) {
        DFrame df = Csv.read(glob, Csv.Options.defaults().withBlocksize(bs));
        assertEquals(df.compute().rows(), df.length(), glob + " blocksize " + bs);
      }
    }
    DFrame people = Csv.read(dir().resolve("people.*.csv").toString());
    assertEquals(Long.parseLong(golden().get("active_rows")), people.filter(people.col("active").eq(true)).length(),
        "a derived frame counts its computed rows");
  }

  @SpmdTest
  void compressedCsvFilesReadWhole(Session s) throws Exception {
    Path out = io.rankwise.io.Hdf5SpmdTest.sharedTempFile(s, "gz");
    if (s.rank() == 0) {
      Files.createDirectories(out);
      for (int i = 1; i <= 4; i++) {
        try (var o = new java.util.zip.GZIPOutputStream(Files.newOutputStream(out.resolve("people." + i + ".csv.gz")))) {
          o.write(Files.readAllBytes(dir().resolve("people." + i + ".csv")));
        }
      }
    }
    s.comm().barrier();
    DFrame gz = Csv.read(out.resolve("people.*.csv.gz").toString(), Csv.Options.defaults().withBlocksize(10));
    assertEquals(4, gz.npartitions());
    assertEquals(rows(Csv.read(dir().resolve("people.*.csv").toString()).compute()), rows(gz.compute()));
  }

  @SpmdTest
  void toCsvThenReadCsvGivesTheFrameBack(Session s) throws Exception {
    Path out = io.rankwise.io.Hdf5SpmdTest.sharedTempFile(s, "out");
    DFrame people = Csv.read(dir().resolve("people.*.csv").toString());
    List<Path> files = people.toCsv(out.resolve("part-*.csv").toString());
    assertEquals(people.npartitions(), files.size());
    assertEquals(out.resolve("part-0.csv"), files.get(0));
    DFrame back = Csv.read(out.resolve("part-*.csv").toString());
    assertEquals(people.columns(), back.columns());
    for (String c : people.columns()) {
      assertEquals(people.dtype(c), back.dtype(c), c);
    }
    assertEquals(rows(people.compute()), rows(back.compute()));

    // a datetime index, floats at full precision, nulls: written as pandas does, read back equal
    DFrame ts = io.rankwise.frame.Datasets.timeseries("2000-01-01", "2000-01-01 03:00:00", "7s", "1h", 3);
    DFrame masked = ts.filter(ts.col("x").gt(-0.9));
    masked.toCsv(out.resolve("ts-*.csv").toString());
    DFrame again = Csv.read(out.resolve("ts-*.csv").toString(), Csv.Options.defaults().withParseDates("timestamp"))
        .setIndex("timestamp");
    Table a = masked.compute();
    Table b = again.compute();
    assertEquals(rows(a), rows(b));
    for (int i = 0; i < a.rows(); i++) {
      assertEquals(Double.doubleToLongBits(a.column("x").getDouble(i)), Double.doubleToLongBits(b.column("x").getDouble(i)));
    }
    assertEquals(masked.resample("1h").mean().compute().toString(), again.resample("1h").mean().compute().toString());
  }
}
