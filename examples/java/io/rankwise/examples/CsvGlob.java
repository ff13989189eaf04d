package io.rankwise.examples;

import io.rankwise.frame.ColumnType;
import io.rankwise.frame.DFrame;
import io.rankwise.io.Csv;
import io.rankwise.runtime.Driver;
import io.rankwise.runtime.Session;
import java.util.Map;

/**
 * The tutorial's {@code dd.read_csv('myfiles.*.csv', dtype={'Value': 'float64'})}: a glob of CSV
 * files with a dtype override, then a groupby.
 *
 * <pre>  bin/rankwise run -n 2 CsvGlob ["test-data/csv/people.*.csv"]</pre>
 */
public final class CsvGlob implements Driver {
  @Override
  public void run(Session s, String[] args) {
    String glob = args.length > 0 ? args[0] : "test-data/csv/people.*.csv";
    DFrame df = Csv.read(glob, Csv.Options.defaults().withDtype(Map.of("age", ColumnType.FLOAT64)));
    s.out().println(df.npartitions() + " files, columns " + df.columns() + ", age read as "
        + df.dtype("age").pandasName() + " (override), score inferred as " + df.dtype("score").pandasName()
        + " from every file");
    s.out().println(df.head(3));
    s.out().println(df.groupby("city").agg(Map.of("score", "mean")).compute());
  }
}
