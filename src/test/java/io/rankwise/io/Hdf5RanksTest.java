package io.rankwise.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rankwise.runtime.TestDrivers;
import io.rankwise.testing.ProcessRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Written by 4 MPI ranks, read back by 2 (and by 3 threads): identical. */
class Hdf5RanksTest {
  @Test
  void writeWithFourRanksReadWithTwo() throws Exception {
    Path file = Files.createTempDirectory("rankwise-h5-ranks").resolve("x.h5");
    String driver = TestDrivers.Hdf5RoundTrip.class.getName();
    ProcessRun w = ProcessRun.rankwise(120, "run", "-n", "4", "--backend", "mpi", "-cp", ProcessRun.testClasses(),
        driver, "write", file.toString());
    assertEquals(0, w.exitCode(), w.describe());
    assertEquals("written by 4 ranks\n", w.stdout(), w.describe());
    ProcessRun r = ProcessRun.rankwise(120, "run", "-n", "2", "--backend", "mpi", "-cp", ProcessRun.testClasses(),
        driver, "check", file.toString());
    assertEquals("identical, read by 2 ranks\n", r.stdout(), r.describe());
    ProcessRun l = ProcessRun.rankwise(120, "run", "-n", "3", "--backend", "local", "-cp", ProcessRun.testClasses(),
        driver, "check", file.toString());
    assertEquals("identical, read by 3 ranks\n", l.stdout(), l.describe());
  }
}
