package io.rankwise.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.testing.ProcessRun;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A failure on one rank ends every rank, with a message naming the rank, the driver and the
 * cause, on both backends. The process deadlines below are hang guards (a hung job is killed and
 * reported), not performance assertions.
 */
class FailureSemanticsTest {
  /** The bound for a failing job to end. */
  static final long DEADLINE_SECONDS = 10;

  @ParameterizedTest
  @ValueSource(strings = {"mpi", "local"})
  void exceptionOnRank1Of4EndsAllRanksWithItsMessage(String backend) {
    ProcessRun r = ProcessRun.rankwise(60, "run", "-n", "4", "--backend", backend,
        "-cp", ProcessRun.testClasses(), TestDrivers.ThrowOnRank1.class.getName());
    System.out.println(backend + ": failing job ended in " + r.millis() + " ms");
    assertTrue(r.finished(), r.describe());
    assertTrue(r.millis() < DEADLINE_SECONDS * 1000 + 5000, "the failing job must end promptly:\n" + r.describe());
    assertEquals(ExitCodes.FAILED, r.exitCode(), r.describe());
    assertTrue(r.stderr().contains("rank 1 of 4 failed in driver " + TestDrivers.ThrowOnRank1.class.getName()),
        r.describe());
    assertTrue(r.stderr().contains("IllegalStateException: boom on purpose (rank 1)"), r.describe());
    assertFalse(r.stdout().contains("unreachable"), r.describe());
    // Only the failing rank reports; the others are collateral.
    assertFalse(r.stderr().matches("(?s).*rank [023] of 4 failed.*"), r.describe());
  }

  @ParameterizedTest
  @ValueSource(strings = {"mpi", "local"})
  void timeoutEndsAHungJobWithCode124(String backend) {
    ProcessRun r = ProcessRun.rankwise(60, "run", "-n", "2", "--backend", backend, "--timeout", "2",
        "-cp", ProcessRun.testClasses(), TestDrivers.HangOnRank0.class.getName());
    assertTrue(r.finished(), r.describe());
    assertEquals(ExitCodes.TIMEOUT, r.exitCode(), r.describe());
    assertTrue(r.stderr().contains("ran past the --timeout of 2 s"), r.describe());
  }

  @ParameterizedTest
  @ValueSource(strings = {"mpi", "local"})
  void uncaughtExceptionInAWorkerThreadFailsTheJob(String backend) {
    ProcessRun r = ProcessRun.rankwise(60, "run", "-n", "2", "--backend", backend,
        "-cp", ProcessRun.testClasses(), TestDrivers.WorkerThreadDies.class.getName());
    assertTrue(r.finished(), r.describe());
    assertTrue(r.millis() < DEADLINE_SECONDS * 1000 + 5000, r.describe());
    assertEquals(ExitCodes.FAILED, r.exitCode(), r.describe());
    assertTrue(r.stderr().contains("rank 1 of 2 failed in driver " + TestDrivers.WorkerThreadDies.class.getName()
        + " (thread my-worker)"), r.describe());
    assertTrue(r.stderr().contains("ArithmeticException: worker failure on purpose"), r.describe());
  }

  @ParameterizedTest
  @ValueSource(strings = {"mpi", "local"})
  void aDriverWhoseStaticInitializerThrowsFailsTheJob(String backend) {
    ProcessRun r = ProcessRun.rankwise(60, "run", "-n", "2", "--backend", backend,
        "-cp", ProcessRun.testClasses(), TestDrivers.BrokenStaticInit.class.getName());
    assertTrue(r.finished(), r.describe());
    assertTrue(r.exitCode() != 0, r.describe());
    assertTrue(r.stderr().contains("failed in driver " + TestDrivers.BrokenStaticInit.class.getName()), r.describe());
    assertTrue(r.stderr().contains("NumberFormatException"), r.describe());
  }
}
