package io.rankwise.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The harness itself: a failure on one rank is reported for that body and that rank, and the
 * bodies after it still run (in a new job); a crashed JVM is blamed on the body that was running.
 */
class SpmdHarnessTest {
  static final Class<?> FIXTURE = HarnessFixtureBodies.class;

  @Test
  void mpiReportsFailuresPerBodyAndRankAndKeepsGoing() {
    Map<String, BodyResult> r = SpmdHarness.runMpi(FIXTURE, 3, SpmdBodies.names(FIXTURE));
    assertEquals(List.of("aPasses", "bFailsOnLastRank", "cPassesAfterTheAbort", "dKillsItsJvm",
        "ePassesAfterTheCrash"), List.copyOf(r.keySet()));
    assertTrue(r.get("aPasses").passed(), r.get("aPasses").message());
    BodyResult b = r.get("bFailsOnLastRank");
    assertFalse(b.passed());
    assertTrue(b.message().startsWith("failed on 1 of 3 ranks (mpi)"), b.message());
    assertTrue(b.message().contains("--- rank 2 of 3:"), b.message());
    assertTrue(b.message().contains("deliberate failure on the last rank"), b.message());
    assertTrue(r.get("cPassesAfterTheAbort").passed(), r.get("cPassesAfterTheAbort").message());
    BodyResult d = r.get("dKillsItsJvm");
    assertFalse(d.passed());
    assertTrue(d.message().contains("ended with exit code"), d.message());
    assertTrue(r.get("ePassesAfterTheCrash").passed(), r.get("ePassesAfterTheCrash").message());
  }

  @Test
  void localReportsFailuresPerBodyAndRank() {
    List<String> bodies = List.of("aPasses", "bFailsOnLastRank", "cPassesAfterTheAbort");
    Map<String, BodyResult> r = SpmdHarness.runLocal(FIXTURE, 4, bodies);
    assertTrue(r.get("aPasses").passed());
    BodyResult b = r.get("bFailsOnLastRank");
    assertFalse(b.passed());
    assertTrue(b.message().startsWith("failed on 1 of 4 ranks (local)"), b.message());
    assertTrue(b.message().contains("--- rank 3 of 4:"), b.message());
    assertTrue(r.get("cPassesAfterTheAbort").passed());
  }
}
