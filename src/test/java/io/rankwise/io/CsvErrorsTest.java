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
    // inferred: 'value' is a string column (n/a); forcing float64 must fail on line 3
    OneRank.assertFails(() -> Csv.read(f.toString(), Csv.Options.defaults().withDtype(Map.of("value", ColumnType.FLOAT64)))
        .compute(), f + ", line 3, column 'value': cannot read 'n/a' as float64",
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
}
