package io.rankwise.io;

import io.rankwise.frame.ColumnType;
import io.rankwise.testing.OneRank;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad CSV input: the message names the file, line, column and value, and how to fix it. */
class CsvErrorsTest {
  static Path dir() {
    return Path.of(System.getProperty("rankwise.home", ".")).resolve("test-data/csv");
  }

  @Test
  void aValueThatDoesNotParseNamesFileLineColumnValueAndTheFix() {
    Path f = dir().resolve("bad/bad-value.csv");
    // inferred: 'value' is a string column (abc); forcing float64 must fail on line 3
    OneRank.assertFails(() -> Csv.read(f.toString(), Csv.Options.defaults().withDtype(Map.of("value", ColumnType.FLOAT64)))
        .compute(), f + ", line 3, column 'value': cannot read 'abc' as float64",
        "withDtype(Map.of(\"value\", ColumnType.STRING))");
  }

  @Test
  void aRowWithTheWrongNumberOfFields() {
    Path f = dir().resolve("bad/bad-width.csv");
    OneRank.assertFails(() -> Csv.read(f.toString()), f + ", line 3: 3 fields where the header has 2 (id,value)");
  }

  @Test
  void missingFilesGlobsAndColumns() {
    OneRank.assertFails(() -> Csv.read(dir().resolve("nope.csv").toString()), "CSV file", "nope.csv does not exist");
    OneRank.assertFails(() -> Csv.read(dir().resolve("zz.*.csv").toString()), "no files match", "zz.*.csv");
    OneRank.assertFails(() -> Csv.read(dir().resolve("people.*.csv").toString(), Csv.Options.defaults().withUsecols("zip")),
        "usecols: no column 'zip'");
    OneRank.assertFails(() -> Csv.read(dir().resolve("people.*.csv").toString(),
        Csv.Options.defaults().withDtype(Map.of("zip", ColumnType.INT64))), "dtype: no column 'zip'");
  }

  @Test
  void nullsAndNumbersAreInferredAsPandasDoes(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    java.nio.file.Files.writeString(dir.resolve("t.csv"),
        "a,b,c,d\n,true,7d,1\n5,,30d,NA\n6,false,2,n/a\n");
    var df = OneRank.run(() -> Csv.read(dir.resolve("t.csv").toString()));
    org.junit.jupiter.api.Assertions.assertEquals(ColumnType.FLOAT64, df.dtype("a"), "int with a leading null");
    org.junit.jupiter.api.Assertions.assertEquals(ColumnType.STRING, df.dtype("b"), "bool with a null");
    org.junit.jupiter.api.Assertions.assertEquals(ColumnType.STRING, df.dtype("c"), "7d is text, not Java's 7.0");
    org.junit.jupiter.api.Assertions.assertEquals(ColumnType.FLOAT64, df.dtype("d"), "NA and n/a are nulls");
    var t = OneRank.run(df::compute);
    org.junit.jupiter.api.Assertions.assertTrue(Double.isNaN(t.column("a").getDouble(0)));
    org.junit.jupiter.api.Assertions.assertTrue(Double.isNaN(t.column("d").getDouble(2)));
  }

  @Test
  void everyFileIsSampledForTypesAndTheSampleIsBounded(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    // 20 files of 1,500 rows: the budget (SAMPLE_ROWS in all) gives each file its minimum of 1,000 rows
    int files = 20;
    int rows = Csv.MIN_SAMPLE_ROWS_PER_FILE + 500;
    for (int f = 0; f < files; f++) {
      StringBuilder sb = new StringBuilder("a,b\n");
      for (int i = 1; i <= rows; i++) {
        // the last file's 'a' turns decimal within its sample; every file's 'b' turns decimal after it
        String a = f == files - 1 && i == Csv.MIN_SAMPLE_ROWS_PER_FILE - 10 ? "2.5" : Integer.toString(i);
        sb.append(a).append(',').append(i == rows ? "0.5" : "1").append('\n');
      }
      java.nio.file.Files.writeString(dir.resolve(String.format("p%02d.csv", f)), sb);
    }
    var df = OneRank.run(() -> Csv.read(dir.resolve("p*.csv").toString()));
    org.junit.jupiter.api.Assertions.assertEquals(ColumnType.FLOAT64, df.dtype("a"), "a decimal in the last file's sample");
    org.junit.jupiter.api.Assertions.assertEquals(ColumnType.INT64, df.dtype("b"), "decimals beyond every sample");
    OneRank.assertFails(() -> df.compute(), "p00.csv, line " + (rows + 1) + ", column 'b': cannot read '0.5' as int64",
        "withDtype(Map.of(\"b\", ColumnType.FLOAT64))");
  }

  @Test
  void aBadValueInALaterBlockNamesItsLineInTheFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    StringBuilder sb = new StringBuilder("id,value\n");
    for (int i = 1; i <= 300; i++) {
      sb.append(i).append(',').append(i == 250 ? "oops" : Integer.toString(i * 2)).append('\n');
    }
    Path f = dir.resolve("late.csv");
    java.nio.file.Files.writeString(f, sb.toString());
    // the first 10,000 rows decide the type: 'value' has 'oops', so force int64; blocks of 200 bytes
    OneRank.assertFails(() -> Csv.read(f.toString(), Csv.Options.defaults().withBlocksize(200)
        .withDtype(Map.of("value", ColumnType.INT64))).compute(),
        f + ", line 251, column 'value': cannot read 'oops' as int64");
  }

  @Test
  void lineNumbersCountEmptyLinesBeforeTheHeaderAndAChangedHeaderIsNamed(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path f = dir.resolve("t.csv");
    java.nio.file.Files.writeString(f, "\n\r\n\"id\",value\n1,2\n3,abc\n");
    OneRank.assertFails(() -> Csv.read(f.toString(), Csv.Options.defaults().withDtype(Map.of("value",
        ColumnType.FLOAT64))).compute(), f + ", line 5, column 'value': cannot read 'abc' as float64");
    OneRank.run(() -> {
      io.rankwise.frame.DFrame df = Csv.read(f.toString());
      org.junit.jupiter.api.Assertions.assertEquals(2, df.compute().rows());
      try {
        java.nio.file.Files.writeString(f, "id,worth\n1,2\n");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      try {
        df.compute();
        org.junit.jupiter.api.Assertions.fail("the header changed under the frame");
      } catch (RuntimeException e) {
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(f + ": header [id, worth] differs from [id, value]"),
            e.getMessage());
      }
      return null;
    });
  }
}
