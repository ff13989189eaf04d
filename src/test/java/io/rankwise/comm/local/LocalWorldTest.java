package io.rankwise.comm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.comm.CommException;
import io.rankwise.comm.Communicator;
import io.rankwise.comm.RankAbortedException;
import io.rankwise.comm.ReduceOp;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** What only the thread backend can promise: argument checks across ranks, abort wake-ups. */
class LocalWorldTest {

  /** Runs {@code body} on every rank of a new world; returns each rank's outcome (null = ok). */
  static Throwable[] onEveryRank(int n, Consumer<Communicator> body) throws Exception {
    LocalWorld w = new LocalWorld(n);
    @SuppressWarnings("unchecked")
    CompletableFuture<Void>[] f = new CompletableFuture[n];
    for (int r = 0; r < n; r++) {
      Communicator c = w.communicator(r);
      f[r] = CompletableFuture.runAsync(() -> body.accept(c), runnable -> new Thread(runnable).start());
    }
    Throwable[] out = new Throwable[n];
    for (int r = 0; r < n; r++) {
      try {
        f[r].get(20, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        out[r] = e.getCause();
      }
    }
    return out;
  }

  @Test
  void abortWakesRanksBlockedInCollectivesAndRecv() throws Exception {
    long t0 = System.nanoTime();
    Throwable[] t = onEveryRank(4, c -> {
      switch (c.rank()) {
        case 1 -> c.abort(7, "deliberate");
        case 2 -> c.recv(0, 99);
        default -> c.barrier();
      }
    });
    assertTrue((System.nanoTime() - t0) / 1e9 < 15, "everyone woke up");
    for (int r : new int[] {0, 2, 3}) {
      RankAbortedException e = assertInstanceOf(RankAbortedException.class, t[r], "rank " + r);
      assertEquals(1, e.failedRank());
      assertTrue(e.getMessage().contains("rank 1 aborted the job: deliberate"), e.getMessage());
    }
  }

  @Test
  void mismatchedLengthsAreReportedWithTheValues() throws Exception {
    Throwable[] t = onEveryRank(2, c -> c.allReduce(new double[c.rank() == 0 ? 3 : 4], ReduceOp.SUM));
    CommException e = assertInstanceOf(CommException.class, t[0]);
    assertTrue(e.getMessage().contains("rank 0 passed 3 elements but rank 1 passed 4"), e.getMessage());
  }

  @Test
  void badRootsAndPeersAreRejected() {
    Communicator c = new LocalWorld(2).communicator(0);
    assertTrue(assertThrows(CommException.class, () -> c.broadcast(new long[1], 2)).getMessage()
        .contains("root 2 out of range(0, 2)"));
    assertTrue(assertThrows(CommException.class, () -> c.send(new byte[1], -1, 0)).getMessage()
        .contains("rank -1 out of range(0, 2)"));
    assertThrows(CommException.class, () -> new LocalWorld(0));
  }

  @Test
  void wrongNumberOfAllToAllVBuffersIsRejected() {
    Communicator c = new LocalWorld(3).communicator(1);
    CommException e = assertThrows(CommException.class, () -> c.allToAllV(new java.nio.ByteBuffer[2]));
    assertTrue(e.getMessage().contains("passed 2 send buffers, expected one per rank (3)"), e.getMessage());
  }
}
