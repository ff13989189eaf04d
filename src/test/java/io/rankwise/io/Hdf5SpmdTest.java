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

  @SpmdTest
  void thirtyTwoBitTypesRoundTripAtTheirOwnWidth(Session s) throws Exception {
    Path file = sharedTempFile(s, "f32.h5");
    DArray f = Da.random(9).normal(0, 1, new long[] {31, 17}, Chunks.of(8, 5)).astype(DType.FLOAT32);
    DArray i = Da.arange(-500, 500, 7, Chunks.of(33)).mul(30_000_000).astype(DType.INT32); // wraps
    Hdf5.write(f, file, "/f");
    Hdf5.write(i, file.resolveSibling("i32.h5"), "/i");
    DArray f2 = Hdf5.read(file, "/f", Chunks.of(4, -1));
    DArray i2 = Hdf5.read(file.resolveSibling("i32.h5"), "/i", Chunks.of(10));
    assertEquals(DType.FLOAT32, f2.dtype());
    assertEquals(DType.INT32, i2.dtype());
    assertArrayEquals(f.compute().toFloats(), f2.compute().toFloats());
    int[] ints = i2.compute().toInts();
    assertArrayEquals(i.compute().toInts(), ints);
    assertEquals((int) (-493L * 30_000_000L), ints[1]); // the int32 wrap survived the file
    if (s.rank() == 0) { // stored at 4 bytes per element, not widened
      try (ch.systemsx.cisd.hdf5.IHDF5Reader r = ch.systemsx.cisd.hdf5.HDF5Factory.openForReading(file.toFile())) {
        assertEquals(4, r.object().getDataSetInformation("/f").getTypeInformation().getElementSize());
      }
    }
  }

  static double sum(NdArray a) {
    double t = 0;
    for (double v : a.toDoubles()) {
      t += v;
    }
    return t;
  }
}
