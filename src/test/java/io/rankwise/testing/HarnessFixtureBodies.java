package io.rankwise.testing;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.rankwise.runtime.Session;

/**
 * Bodies for {@link SpmdHarnessTest}: some pass, one fails on the last rank only while the others
 * wait for it, one kills its JVM. Not a test class itself.
 */
public class HarnessFixtureBodies {
  @SpmdTest
  void aPasses(Session s) {
    s.comm().barrier();
  }

  @SpmdTest
  void bFailsOnLastRank(Session s) {
    assertNotEquals(s.size() - 1, s.rank(), "deliberate failure on the last rank");
    s.comm().barrier(); // the other ranks wait here for a rank that never comes
  }

  @SpmdTest
  void cPassesAfterTheAbort(Session s) {
    long[] one = {1};
    s.comm().allReduce(one, io.rankwise.comm.ReduceOp.SUM);
    if (one[0] != s.size()) {
      throw new AssertionError("allReduce gave " + one[0]);
    }
  }

  @SpmdTest
  void dKillsItsJvm(Session s) {
    if (s.rank() == 0) {
      Runtime.getRuntime().halt(3);
    }
    s.comm().barrier();
  }

  @SpmdTest
  void ePassesAfterTheCrash(Session s) {
    s.comm().barrier();
  }
}
