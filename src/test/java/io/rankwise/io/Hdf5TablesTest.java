package io.rankwise.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rankwise.frame.ColumnType;
import io.rankwise.frame.DFrame;
import io.rankwise.frame.Datasets;
import io.rankwise.runtime.Session;
import io.rankwise.testing.SpmdRanks;
import io.rankwise.testing.SpmdTest;
import io.rankwise.testing.SpmdTestCase;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Dataframes to HDF5 and back on real ranks: every type (strings with nulls, bools, datetimes),
 * named indexes, partitions of other sizes than written, more ranks (5) than partitions (4); and the
 * errors a wrong group or a plain HDF5 file gives.
 */
@SpmdRanks(mpi = {1, 2, 5}, local = {1, 3})
class Hdf5TablesTest extends SpmdTestCase {
  @SpmdTest
  void aComputationReadsOnlyTheColumnDatasetsItNeeds(Session s) throws Exception {
    Path file = Hdf5SpmdTest.sharedTempFile(s, "pruned.h5");
    DFrame df = Datasets.timeseries("2000-01-01", "2000-01-02", "1min", "6h", 2);
    df.toHdf(file, "ts");
    String expected = df.filter(df.col("y").gt(0)).groupby("name").column("x").std().compute().toString();
    if (s.rank() == 0) { // the id column's dataset goes: only what reads id can notice
      try (ch.systemsx.cisd.hdf5.IHDF5Writer w = ch.systemsx.cisd.hdf5.HDF5Factory.open(file.toFile())) {
        w.object().delete("/ts/id");
      }
    }
    s.comm().barrier();
    DFrame back = Hdf5Tables.read(file, "ts", 300);
    assertEquals(expected, back.filter(back.col("y").gt(0)).groupby("name").column("x").std().compute().toString());
    try {
      back.compute();
      org.junit.jupiter.api.Assertions.fail("all the columns include the deleted one");
    } catch (io.rankwise.graph.TaskFailedException | io.rankwise.graph.RemoteFailureException e) {
      org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("of group /ts in " + file), e.getMessage());
    }
    if (s.rank() == 0) { // no column dataset left: a damaged table, not an empty one
      try (ch.systemsx.cisd.hdf5.IHDF5Writer w = ch.systemsx.cisd.hdf5.HDF5Factory.open(file.toFile())) {
        for (String c : new String[] {"name", "x", "y", "__index__"}) {
          w.object().delete("/ts/" + c);
        }
      }
    }
    s.comm().barrier();
    IoException damaged = org.junit.jupiter.api.Assertions.assertThrows(IoException.class, () -> Hdf5Tables.read(file,
        "ts"));
    org.junit.jupiter.api.Assertions.assertTrue(damaged.getMessage().contains(
        "is a damaged table: none of its column datasets [id, name, x, y] exists"), damaged.getMessage());
  }

  @SpmdTest
  void framesRoundTripThroughHdf5(Session s) throws Exception {
    Path file = Hdf5SpmdTest.sharedTempFile(s, "t.h5");
    DFrame people = Csv.read(CsvSpmdTest.dir().resolve("people.*.csv").toString());
    people.toHdf(file, "people");
    for (int rows : new int[] {1, 3, 1000}) {
      DFrame back = Hdf5Tables.read(file, "people", rows);
      assertEquals(people.columns(), back.columns());
      for (String c : people.columns()) {
        assertEquals(people.dtype(c), back.dtype(c));
      }
      assertEquals(CsvSpmdTest.rows(people.compute()), CsvSpmdTest.rows(back.compute()), "rows per partition " + rows);
    }

    Path ts = Hdf5SpmdTest.sharedTempFile(s, "ts.h5");
    DFrame df = Datasets.timeseries("2000-01-01", "2000-01-03", "1min", "5h", 4);
    DFrame masked = df.filter(df.col("y").gt(0)).persist();
    masked.toHdf(ts, "/data/ts");
    DFrame back = Hdf5Tables.read(ts, "data/ts", 500);
    assertEquals("timestamp", back.indexName());
    assertEquals(ColumnType.DATETIME, back.indexType());
    assertEquals(CsvSpmdTest.rows(masked.compute()), CsvSpmdTest.rows(back.compute()));
    assertEquals((masked.length() + 499) / 500, back.npartitions());
    assertEquals(masked.groupby("name").column("x").std().compute().toString(),
        back.groupby("name").column("x").std().compute().toString());

    // empty frames write and read back empty
    Path none = Hdf5SpmdTest.sharedTempFile(s, "none.h5");
    df.filter(df.col("y").gt(5)).toHdf(none, "t");
    assertEquals(0, Hdf5Tables.read(none, "t").length());
  }

  @SpmdTest
  void wrongGroupsAndPlainFilesSayWhatIsThere(Session s) throws Exception {
    Path file = Hdf5SpmdTest.sharedTempFile(s, "e.h5");
    Csv.read(CsvSpmdTest.dir().resolve("people.*.csv").toString()).toHdf(file, "people");
    io.rankwise.testing.OneRank.assertFails(() -> Hdf5Tables.read(file, "nope"), "has no group '/nope'; it has: people");
    Path plain = Hdf5SpmdTest.sharedTempFile(s, "plain.h5");
    Hdf5.write(io.rankwise.array.Da.ones(new long[] {4}, io.rankwise.array.Chunks.of(2)), plain, "/g/x");
    io.rankwise.testing.OneRank.assertFails(() -> Hdf5Tables.read(plain, "g"), "is not a table written by Rankwise");
    Path notH5 = Hdf5SpmdTest.sharedTempFile(s, "bad.h5");
    if (s.rank() == 0) {
      Files.writeString(notH5, "not hdf5");
    }
    s.comm().barrier();
    io.rankwise.testing.OneRank.assertFails(() -> Hdf5Tables.read(notH5, "t"), "cannot open", "as HDF5");
  }
}
