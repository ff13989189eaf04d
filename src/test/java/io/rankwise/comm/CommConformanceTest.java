package io.rankwise.comm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rankwise.runtime.Session;
import io.rankwise.testing.SpmdTest;
import io.rankwise.testing.SpmdTestCase;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The contract of {@link Communicator}, run on every backend: each operation with sizes 0, 1, odd
 * and large (above the direct-buffer threshold; above 64 MiB for allToAllV), every root, and ranks
 * that contribute nothing. Expected values come from closed forms of (rank, index), so every rank
 * checks its own result independently.
 */
class CommConformanceTest extends SpmdTestCase {
  /** 0, 1, odd, and large enough (> 64 KiB of doubles) to take the direct-buffer path. */
  static final int[] SIZES = {0, 1, 7, 100_003};

  static double dv(int rank, int i) {
    return (rank + 1) * 1000.0 + (i % 97) - 48;
  }

  static long lv(int rank, int i) {
    return (rank + 1) * 1_000_003L - (i % 89) * 7L;
  }

  static byte bv(int rank, int i) {
    return (byte) (rank * 31 + i * 7 + 3);
  }

  static double[] doubles(int rank, int n) {
    double[] a = new double[n];
    Arrays.setAll(a, i -> dv(rank, i));
    return a;
  }

  static long[] longs(int rank, int n) {
    long[] a = new long[n];
    Arrays.setAll(a, i -> lv(rank, i));
    return a;
  }

  static byte[] bytes(int rank, int n) {
    byte[] a = new byte[n];
    for (int i = 0; i < n; i++) {
      a[i] = bv(rank, i);
    }
    return a;
  }

  @SpmdTest
  void rankAndSize(Session s) {
    Communicator c = s.comm();
    assertTrue(c.rank() >= 0 && c.rank() < c.size(), "rank " + c.rank() + " size " + c.size());
    long[][] ranks = c.allGather(new long[] {c.rank()});
    for (int r = 0; r < c.size(); r++) {
      assertArrayEquals(new long[] {r}, ranks[r], "rank slot " + r);
    }
  }

  @SpmdTest
  void barrierHoldsEveryRankUntilAllArrive(Session s) throws InterruptedException {
    Communicator c = s.comm();
    // The last rank arrives late; nobody may leave before it arrived.
    if (c.rank() == c.size() - 1) {
      Thread.sleep(200);
    }
    long arrived = System.nanoTime();
    c.barrier();
    long left = System.nanoTime();
    long[][] arrivals = c.allGather(new long[] {arrived});
    long latest = Arrays.stream(arrivals).mapToLong(a -> a[0]).max().orElseThrow();
    assertTrue(left >= latest, "rank " + c.rank() + " left the barrier before rank " + (c.size() - 1) + " arrived");
  }

  @SpmdTest
  void broadcastFromEveryRoot(Session s) {
    Communicator c = s.comm();
    for (int root = 0; root < c.size(); root++) {
      for (int n : SIZES) {
        double[] d = c.rank() == root ? doubles(root, n) : new double[n];
        c.broadcast(d, root);
        assertArrayEquals(doubles(root, n), d, "double broadcast root " + root + " n " + n);
        long[] l = c.rank() == root ? longs(root, n) : new long[n];
        c.broadcast(l, root);
        assertArrayEquals(longs(root, n), l, "long broadcast root " + root + " n " + n);
        byte[] b = c.rank() == root ? bytes(root, n) : new byte[n];
        c.broadcast(b, root);
        assertArrayEquals(bytes(root, n), b, "byte broadcast root " + root + " n " + n);
      }
    }
  }

  @SpmdTest
  void broadcastBytesOfLengthOnlyRootKnows(Session s) {
    Communicator c = s.comm();
    for (int root = 0; root < c.size(); root++) {
      for (int n : SIZES) {
        byte[] got = c.broadcastBytes(c.rank() == root ? bytes(root, n) : null, root);
        assertArrayEquals(bytes(root, n), got, "root " + root + " n " + n);
      }
    }
  }

  @SpmdTest
  void allReduceEveryOperator(Session s) {
    Communicator c = s.comm();
    for (ReduceOp op : ReduceOp.values()) {
      for (int n : SIZES) {
        double[] d = doubles(c.rank(), n);
        c.allReduce(d, op);
        assertArrayEquals(expectedDoubles(op, c.size(), n), d, op + " double n " + n);
        long[] l = longs(c.rank(), n);
        c.allReduce(l, op);
        assertArrayEquals(expectedLongs(op, c.size(), n), l, op + " long n " + n);
      }
    }
  }

  @SpmdTest
  void reduceToEveryRootLeavesOthersUnchanged(Session s) {
    Communicator c = s.comm();
    for (int root = 0; root < c.size(); root++) {
      for (int n : SIZES) {
        double[] d = doubles(c.rank(), n);
        c.reduce(d, ReduceOp.SUM, root);
        assertArrayEquals(c.rank() == root ? expectedDoubles(ReduceOp.SUM, c.size(), n) : doubles(c.rank(), n), d,
            "double reduce root " + root + " n " + n);
        long[] l = longs(c.rank(), n);
        c.reduce(l, ReduceOp.MAX, root);
        assertArrayEquals(c.rank() == root ? expectedLongs(ReduceOp.MAX, c.size(), n) : longs(c.rank(), n), l,
            "long reduce root " + root + " n " + n);
      }
    }
  }

  @SpmdTest
  void scanAndExScan(Session s) {
    Communicator c = s.comm();
    for (ReduceOp op : ReduceOp.values()) {
      for (int n : SIZES) {
        double[] d = doubles(c.rank(), n);
        c.scan(d, op);
        assertArrayEquals(expectedDoubles(op, c.rank() + 1, n), d, "scan " + op + " n " + n);
        long[] l = longs(c.rank(), n);
        c.exScan(l, op);
        assertArrayEquals(expectedLongs(op, c.rank(), n), l, "exScan " + op + " n " + n);
        double[] e = doubles(c.rank(), n);
        c.exScan(e, op);
        assertArrayEquals(expectedDoubles(op, c.rank(), n), e, "exScan double " + op + " n " + n);
        long[] sl = longs(c.rank(), n);
        c.scan(sl, op);
        assertArrayEquals(expectedLongs(op, c.rank() + 1, n), sl, "scan long " + op + " n " + n);
      }
    }
  }

  /** Reduction over ranks [0, upTo) computed locally; identity when upTo == 0. */
  static double[] expectedDoubles(ReduceOp op, int upTo, int n) {
    double[] acc = new double[n];
    Identities.fill(acc, op);
    for (int r = 0; r < upTo; r++) {
      op.combine(acc, doubles(r, n));
    }
    return acc;
  }

  static long[] expectedLongs(ReduceOp op, int upTo, int n) {
    long[] acc = new long[n];
    Identities.fill(acc, op);
    for (int r = 0; r < upTo; r++) {
      op.combine(acc, longs(r, n));
    }
    return acc;
  }

  /** Rank r contributes 3r + (r odd ? 1 : 0) elements: rank 0 contributes nothing. */
  static int contribution(int rank) {
    return 3 * rank + (rank % 2);
  }

  @SpmdTest
  void gatherVariableLengthsToEveryRoot(Session s) {
    Communicator c = s.comm();
    int me = c.rank();
    for (int root = 0; root < c.size(); root++) {
      double[][] d = c.gather(doubles(me, contribution(me)), root);
      long[][] l = c.gather(longs(me, contribution(me)), root);
      byte[][] b = c.gather(bytes(me, contribution(me)), root);
      if (me != root) {
        assertNull(d);
        assertNull(l);
        assertNull(b);
        continue;
      }
      assertNotNull(d);
      for (int r = 0; r < c.size(); r++) {
        assertArrayEquals(doubles(r, contribution(r)), d[r], "double from rank " + r);
        assertArrayEquals(longs(r, contribution(r)), l[r], "long from rank " + r);
        assertArrayEquals(bytes(r, contribution(r)), b[r], "byte from rank " + r);
      }
    }
  }

  @SpmdTest
  void allGatherVariableLengths(Session s) {
    Communicator c = s.comm();
    int me = c.rank();
    for (int scale : new int[] {1, 10_000}) {
      double[][] d = c.allGather(doubles(me, contribution(me) * scale));
      long[][] l = c.allGather(longs(me, contribution(me) * scale));
      byte[][] b = c.allGather(bytes(me, contribution(me) * scale));
      for (int r = 0; r < c.size(); r++) {
        assertArrayEquals(doubles(r, contribution(r) * scale), d[r], "double from rank " + r);
        assertArrayEquals(longs(r, contribution(r) * scale), l[r], "long from rank " + r);
        assertArrayEquals(bytes(r, contribution(r) * scale), b[r], "byte from rank " + r);
      }
    }
  }

  // ---- allToAllV -----------------------------------------------------------------------------

  static byte pattern(int src, int dst, int i) {
    return (byte) (src * 59 + dst * 13 + i * 7 + (i >>> 8));
  }

  /** Fills a buffer of {@code n} bytes that rank {@code src} sends to {@code dst}. */
  static ByteBuffer message(int src, int dst, int n, boolean direct) {
    ByteBuffer b = direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
    for (int i = 0; i < n; i++) {
      b.put(i, pattern(src, dst, i));
    }
    return b;
  }

  static void checkMessage(ByteBuffer got, int src, int dst, int n) {
    assertEquals(n, got.remaining(), "bytes from rank " + src + " to rank " + dst);
    int p = got.position();
    for (int i = 0; i < n; i++) {
      if (got.get(p + i) != pattern(src, dst, i)) {
        fail("byte " + i + " from rank " + src + " to rank " + dst + ": expected " + pattern(src, dst, i)
            + ", got " + got.get(p + i));
      }
    }
  }

  /** Small, odd and empty messages; rank 0 sends nothing at all. */
  static int smallCount(int src, int dst) {
    return src == 0 ? 0 : (src * 7 + dst * 3) % 11;
  }

  @SpmdTest
  void allToAllVSmallOddAndEmpty(Session s) {
    Communicator c = s.comm();
    int me = c.rank();
    for (boolean direct : new boolean[] {false, true}) {
      ByteBuffer[] send = new ByteBuffer[c.size()];
      for (int d = 0; d < c.size(); d++) {
        send[d] = message(me, d, smallCount(me, d), direct);
      }
      ByteBuffer[] got = c.allToAllV(send);
      assertEquals(c.size(), got.length);
      for (int src = 0; src < c.size(); src++) {
        checkMessage(got[src], src, me, smallCount(src, me));
      }
      for (ByteBuffer b : send) {
        assertEquals(0, b.position(), "send buffers' positions stay unchanged");
      }
    }
  }

  @SpmdTest
  void allToAllVPackedBuffer(Session s) {
    Communicator c = s.comm();
    int me = c.rank();
    for (boolean direct : new boolean[] {false, true}) {
      int[] counts = new int[c.size()];
      int total = 0;
      for (int d = 0; d < c.size(); d++) {
        counts[d] = 1000 * d + smallCount(me, d);
        total += counts[d];
      }
      // Leading garbage: the packed data starts at position 5.
      ByteBuffer packed = direct ? ByteBuffer.allocateDirect(total + 5) : ByteBuffer.allocate(total + 5);
      packed.position(5);
      for (int d = 0; d < c.size(); d++) {
        packed.put(message(me, d, counts[d], false));
      }
      packed.position(5);
      ByteBuffer[] got = c.allToAllV(packed, counts);
      for (int src = 0; src < c.size(); src++) {
        checkMessage(got[src], src, me, 1000 * me + smallCount(src, me));
      }
    }
  }

  @SpmdTest
  void allToAllVAbove64MiB(Session s) {
    Communicator c = s.comm();
    int me = c.rank();
    int perDest = (64 << 20) / c.size() + 4093; // every rank sends more than 64 MiB in total
    ByteBuffer[] send = new ByteBuffer[c.size()];
    for (int d = 0; d < c.size(); d++) {
      send[d] = message(me, d, perDest + d, false);
    }
    long sent = Arrays.stream(send).mapToLong(ByteBuffer::remaining).sum();
    assertTrue(sent > 64L << 20, "sends " + sent + " bytes");
    ByteBuffer[] got = c.allToAllV(send);
    for (int src = 0; src < c.size(); src++) {
      checkMessage(got[src], src, me, perDest + me);
    }
  }

  @SpmdTest
  void consecutiveAllToAllVDoNotMixUp(Session s) {
    Communicator c = s.comm();
    int me = c.rank();
    for (int round = 0; round < 5; round++) {
      ByteBuffer[] send = new ByteBuffer[c.size()];
      int r = round;
      for (int d = 0; d < c.size(); d++) {
        send[d] = message(me + r, d, 3000 * r + smallCount(me, d), true);
      }
      ByteBuffer[] got = c.allToAllV(send);
      for (int src = 0; src < c.size(); src++) {
        checkMessage(got[src], src + r, me, 3000 * r + smallCount(src, me));
      }
    }
  }

  /**
   * Receiving into the caller's memory: {@code into} is asked once for the exact total, the parts
   * are that memory (a write to it shows through them when the backend receives in place), and
   * later calls never touch it: results of earlier calls stay intact.
   */
  @SpmdTest
  void allToAllVIntoCallerMemory(Session s) {
    Communicator c = s.comm();
    int me = c.rank();
    java.util.List<ByteBuffer[]> kept = new java.util.ArrayList<>();
    for (int round = 0; round < 4; round++) {
      int r = round;
      int[] counts = new int[c.size()];
      int total = 0;
      for (int d = 0; d < c.size(); d++) {
        counts[d] = 5000 * r + smallCount(me, d);
        total += counts[d];
      }
      ByteBuffer packed = c.acquireSendBuffer(total);
      for (int d = 0; d < c.size(); d++) {
        packed.put(message(me + r, d, counts[d], false));
      }
      packed.flip();
      int expected = 0;
      for (int src = 0; src < c.size(); src++) {
        expected += 5000 * r + smallCount(src, me);
      }
      ByteBuffer[] memory = new ByteBuffer[1];
      int[] asked = {0, -1};
      ByteBuffer[] got;
      try {
        got = c.allToAllV(packed, counts, n -> {
          asked[0]++;
          asked[1] = n;
          // a pool's size class: were the communicator to pool the caller's memory, it would reuse it
          int cap = (int) DirectBufferPool.sizeClass(n + 3);
          memory[0] = c.receivesInPlace() ? ByteBuffer.allocateDirect(cap) : ByteBuffer.allocate(cap);
          return memory[0];
        });
      } finally {
        c.releaseSendBuffer(packed);
      }
      assertEquals(1, asked[0], "into called once");
      assertEquals(expected, asked[1], "into asked for the total received");
      for (int src = 0; src < c.size(); src++) {
        checkMessage(got[src], src + r, me, 5000 * r + smallCount(src, me));
      }
      if (expected > 0) { // the first part with bytes reads the caller's memory itself
        int src = 0;
        while (got[src].remaining() == 0) {
          src++;
        }
        int at = 0;
        for (int k = 0; k < src; k++) {
          at += got[k].remaining();
        }
        byte before = memory[0].get(at);
        memory[0].put(at, (byte) (before + 1));
        assertEquals((byte) (before + 1), got[src].get(got[src].position()), "part " + src + " is the memory given");
        memory[0].put(at, before);
      }
      kept.add(got);
    }
    for (int r = 0; r < kept.size(); r++) {
      for (int src = 0; src < c.size(); src++) {
        checkMessage(kept.get(r)[src], src + r, me, 5000 * r + smallCount(src, me));
      }
    }
  }

  /** A rank that cannot get memory to receive into fails the call on every rank, naming itself. */
  @SpmdTest
  void allToAllVIntoFailureFailsEveryRank(Session s) {
    Communicator c = s.comm();
    int me = c.rank();
    int[] counts = new int[c.size()];
    Arrays.fill(counts, 16);
    ByteBuffer packed = c.acquireSendBuffer(16L * c.size());
    for (int d = 0; d < c.size(); d++) {
      packed.put(message(me, d, 16, false));
    }
    packed.flip();
    int failing = c.size() - 1;
    try {
      c.allToAllV(packed, counts, n -> {
        if (me == failing) {
          throw new OutOfMemoryError("Cannot reserve " + n + " bytes of direct buffer memory (test)");
        }
        return ByteBuffer.allocateDirect(n);
      });
      fail("rank " + me + ": the exchange went on although rank " + failing + " had no memory");
    } catch (CommException e) {
      assertTrue(e.getMessage().contains("rank " + failing + " could not get memory"), e.getMessage());
    } finally {
      c.releaseSendBuffer(packed);
    }
    // the communicator still works afterwards
    ByteBuffer[] send = new ByteBuffer[c.size()];
    for (int d = 0; d < c.size(); d++) {
      send[d] = message(me, d, smallCount(me, d), false);
    }
    ByteBuffer[] got = c.allToAllV(send);
    for (int src = 0; src < c.size(); src++) {
      checkMessage(got[src], src, me, smallCount(src, me));
    }
  }

  // ---- point to point ------------------------------------------------------------------------

  @SpmdTest
  void sendRecvRing(Session s) {
    Communicator c = s.comm();
    int me = c.rank();
    int next = (me + 1) % c.size();
    int prev = (me + c.size() - 1) % c.size();
    ByteBuffer out = message(me, next, 100 * me + 1, false);
    // Even ranks send first, odd ranks receive first: no cycle of blocked sends.
    ByteBuffer in;
    if (me % 2 == 0) {
      c.send(out, next, 7);
      in = c.recv(prev, 7);
    } else {
      in = c.recv(prev, 7);
      c.send(out, next, 7);
    }
    checkMessage(in, prev, me, 100 * prev + 1);
  }

  @SpmdTest
  void sendRecvLargeAndEmptyAndByTag(Session s) {
    Communicator c = s.comm();
    if (c.size() < 2) {
      return;
    }
    if (c.rank() == 0) {
      c.send(message(0, 1, 3 << 20, true), 1, 1);
      c.send(new byte[0], 1, 2);
      c.send(new byte[] {42}, 1, 3);
      c.send(new byte[] {43}, 1, 4);
    } else if (c.rank() == 1) {
      checkMessage(c.recv(0, 1), 0, 1, 3 << 20);
      assertEquals(0, c.recvBytes(0, 2).length);
      // Matching is by tag, not arrival order.
      assertArrayEquals(new byte[] {43}, c.recvBytes(0, 4));
      assertArrayEquals(new byte[] {42}, c.recvBytes(0, 3));
    }
  }
}
