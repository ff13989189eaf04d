package io.rankwise.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.runtime.ExitCodes;
import io.rankwise.runtime.TestDrivers;
import io.rankwise.testing.ProcessRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Failures inside graphs end the job with the task, the rank and the cause named; reports are written. */
class GraphFailureTest {
  static ProcessRun run(String backend, Class<?> driver, String... extra) {
    String[] base = {"run", "-n", "2", "--backend", backend, "-cp", ProcessRun.testClasses()};
    String[] args = new String[base.length + extra.length + 1];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    args[args.length - 1] = driver.getName();
    return ProcessRun.rankwise(60, args);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mpi", "local"})
  void aThrowingTaskNamesItsKeyRankAndCause(String backend) {
    ProcessRun r = run(backend, TestDrivers.TaskThrows.class);
    assertEquals(ExitCodes.FAILED, r.exitCode(), r.describe());
    assertTrue(r.stderr().matches("(?s).*TaskFailedException: task \\('boom-14'\\) \\(boom\\) failed on rank [01] of 2: "
        + "java.lang.IllegalArgumentException: bad input 13 on purpose.*"), r.describe());
  }

  @ParameterizedTest
  @ValueSource(strings = {"mpi", "local"})
  void aValueThatCannotTravelNamesTheTask(String backend) {
    ProcessRun r = run(backend, TestDrivers.UnserializableValue.class);
    assertEquals(ExitCodes.FAILED, r.exitCode(), r.describe());
    assertTrue(r.stderr().contains("the output of task ('opaque-1') (opaque"), r.describe());
    assertTrue(r.stderr().contains("cannot be serialized") || r.stderr().contains("cannot be deserialized"),
        r.describe());
    assertTrue(r.stderr().contains("must return plain data"), r.describe());
  }

  /** A large value left in the received bytes fails where a task decodes it, and ends every rank. */
  @ParameterizedTest
  @ValueSource(strings = {"mpi", "local"})
  void aDeferredValueThatCannotBeReadEndsEveryRank(String backend) {
    ProcessRun r = run(backend, TestDrivers.BulkUnreadable.class);
    assertEquals(ExitCodes.FAILED, r.exitCode(), r.describe());
    assertTrue(r.stderr().matches("(?s).*the output of task \\('unreadable-\\d+'\\) \\(unreadable\\) sent by rank [01] "
        + "cannot be deserialized on rank [01]: unreadable on purpose.*"), r.describe());
  }

  /**
   * The ranks agree on a deferred value's failure, whether it is an output delivered to them or an
   * input whose codec throws an Error on a rank's only thread: rank 1 fails, rank 0 learns it from
   * rank 1, both catch and are still in step for the next collective.
   */
  @ParameterizedTest
  @ValueSource(strings = {"mpi output", "local output", "mpi error", "local error"})
  void everyRankLearnsOfADeferredValuesFailure(String how) {
    String[] w = how.split(" ");
    ProcessRun r = ProcessRun.rankwise(60, "run", "-n", "2", "-t", "1", "--backend", w[0], "-cp",
        ProcessRun.testClasses(), TestDrivers.DeferredFailureCaught.class.getName(), w[1]);
    assertEquals(0, r.exitCode(), r.describe());
    String cause = w[1].equals("output") ? "unreadable on purpose" : "exploding on purpose";
    assertTrue(r.stdout().matches("(?s).*rank 1 caught \\w+: .*the output of task \\('picky-\\d+'\\) \\(picky\\) sent by "
        + "rank 0 (cannot be deserialized|could not be decoded) on rank 1: .*" + cause + ".*"),
        r.describe());
    assertTrue(r.stdout().matches("(?s).*rank 0 caught RemoteFailureException: [^\\n]*rank 1[^\\n]*" + cause + ".*"),
        r.describe());
    assertTrue(r.stdout().contains("rank 0 done 2") && r.stdout().contains("rank 1 done 2"), r.describe());
    assertTrue(!r.stdout().contains("caught nothing"), r.describe());
  }

  /** A rank that cannot pack a later round of an exchange ends the job with the cause, never a hang. */
  @ParameterizedTest
  @ValueSource(strings = {"mpi", "local"})
  void aPackingFailureInALaterRoundEndsEveryRank(String backend) {
    ProcessRun r = run(backend, TestDrivers.BulkLiarInALaterRound.class, "-J", "-Drankwise.exchangeRoundBytes=1024");
    assertEquals(ExitCodes.FAILED, r.exitCode(), r.describe());
    assertTrue(r.stderr().contains("bulk codec of " + TestDrivers.BulkLiarInALaterRound.Liar.class.getName()
        + " wrote more than the 16 bytes it announced"), r.describe());
    assertTrue(r.stderr().matches("(?s).*could not pack round ([2-9]|\\d\\d+) of \\d+ of an exchange.*"), r.describe());
  }

  @ParameterizedTest
  @ValueSource(strings = {"mpi", "local"})
  void ranksBuildingDifferentGraphsFailInsteadOfHanging(String backend) {
    ProcessRun r = run(backend, TestDrivers.DifferentGraphs.class);
    assertEquals(ExitCodes.FAILED, r.exitCode(), r.describe());
    assertTrue(r.stderr().contains("ranks built different task graphs"), r.describe());
  }

  @ParameterizedTest
  @ValueSource(strings = {"mpi", "local"})
  void reportAndProgressAreWritten(String backend) throws Exception {
    Path report = Files.createTempFile("rankwise-report", ".html");
    ProcessRun r = run(backend, TestDrivers.SmallGraph.class, "--progress", "--report", report.toString());
    assertEquals(0, r.exitCode(), r.describe());
    assertEquals("sum=1240\n", r.stdout(), r.describe());
    assertTrue(r.stderr().contains("rankwise progress: ["), r.describe());
    String html = Files.readString(report);
    assertTrue(html.contains("<html") && html.contains("2 ranks"), html);
  }
}
