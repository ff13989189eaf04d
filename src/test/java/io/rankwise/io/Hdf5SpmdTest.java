package io.rankwise.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rankwise.array.Chunks;
import io.rankwise.array.DArray;
import io.rankwise.array.DType;
import io.rankwise.array.Da;
import io.rankwise.array.NdArray;
import io.rankwise.runtime.Session;
import io.rankwise.testing.SpmdRanks;
import io.rankwise.testing.SpmdTest;
import io.rankwise.testing.SpmdTestCase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Arrays to HDF5 and back on real ranks: every rank writes its blocks in turn, reads only its own. */
@SpmdRanks(mpi = {1, 2, 4}, local = {1, 3})
class Hdf5SpmdTest extends SpmdTestCase {
  /** One temporary file name for all ranks (rank 0 picks it). */
  static Path sharedTempFile(Session s, String name) throws Exception {
    byte[] p = s.rank() == 0 ? Files.createTempDirectory("rankwise-h5").resolve(name).toString()
        .getBytes(StandardCharsets.UTF_8) : null;
    return Path.of(new String(s.comm().broadcastBytes(p, 0), StandardCharsets.UTF_8));
  }

  @SpmdTest
  void writeThenReadBackInOtherChunks(Session s) throws Exception {
    Path file = sharedTempFile(s, "x.h5");
    DArray x = Da.random(5).normal(0, 1, new long[] {37, 23}, Chunks.of(10, 7));
    Hdf5.write(x, file, "/data/x");
    NdArray expected = x.compute();
    for (Chunks c : new Chunks[] {Chunks.of(10, 7), Chunks.of(5, 23), Chunks.of(-1)}) {
      DArray y = Hdf5.read(file, "/data/x", c);
      assertEquals(DType.FLOAT64, y.dtype());
      assertArrayEquals(expected.toDoubles(), y.compute().toDoubles(), "chunks " + c);
    }
    assertEquals(expected.toDoubles()[0] * 0 + sum(expected), Hdf5.read(file, "/data/x", Chunks.of(10, 7)).sum()
        .compute().item(), 1e-9);
  }

  @SpmdTest
  void int64RoundTrip(Session s) throws Exception {
    Path file = sharedTempFile(s, "i.h5");
    DArray x = Da.arange(0, 1000, 3, Chunks.of(97));
    Hdf5.write(x, file, "/i");
    DArray y = Hdf5.read(file, "/i", Chunks.of(50));
    assertEquals(DType.INT64, y.dtype());
    assertArrayEquals((long[]) x.compute().data(), (long[]) y.compute().data());
  }

  static double sum(NdArray a) {
    double t = 0;
    for (double v : a.toDoubles()) {
      t += v;
    }
    return t;
  }
}
