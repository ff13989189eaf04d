package io.rankwise.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.systemsx.cisd.hdf5.HDF5Factory;
import ch.systemsx.cisd.hdf5.IHDF5Writer;
import io.rankwise.array.Chunks;
import io.rankwise.testing.OneRank;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Missing files, missing datasets, wrong types and corrupt files get messages that say what to fix. */
class Hdf5ErrorsTest {

  /**
   * This thread writes test files with jhdf5 directly: HDF5 prints its error stack for every
   * expected failure (a path that does not exist yet) unless told not to on this thread.
   */
  @org.junit.jupiter.api.BeforeEach
  void quietHdf5() {
    Hdf5.quiet();
  }
  static String error(Path file, String dataset) {
    IoException e = assertThrows(IoException.class, () -> OneRank.run(() -> Hdf5.read(file, dataset, Chunks.of(2))));
    return e.getMessage();
  }

  @Test
  void missingFile(@TempDir Path dir) {
    String m = error(dir.resolve("nope.h5"), "/x");
    assertTrue(m.contains("HDF5 file " + dir.resolve("nope.h5") + " does not exist"), m);
  }

  @Test
  void missingDatasetListsWhatIsThere(@TempDir Path dir) {
    Path f = dir.resolve("a.h5");
    try (IHDF5Writer w = HDF5Factory.open(f.toFile())) {
      w.float64().writeArray("/temperature", new double[] {1, 2, 3});
      w.float64().writeArray("/pressure", new double[] {1, 2, 3});
    }
    String m = error(f, "/humidity");
    assertTrue(m.contains("has no dataset '/humidity'"), m);
    assertTrue(m.contains("temperature") && m.contains("pressure"), m);
  }

  @Test
  void nonNumericDatasetIsTheWrongDtype(@TempDir Path dir) {
    Path f = dir.resolve("s.h5");
    try (IHDF5Writer w = HDF5Factory.open(f.toFile())) {
      w.string().write("/name", "hello");
    }
    String m = error(f, "/name");
    assertTrue(m.contains("dataset '/name'") && m.contains("STRING") && m.contains("numeric"), m);
  }

  @Test
  void corruptFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("junk.h5");
    Files.write(f, "this is not an HDF5 file at all".getBytes());
    String m = error(f, "/x");
    assertTrue(m.contains("cannot open " + f + " as HDF5 (corrupt, or not an HDF5 file)"), m);
  }
}
