package io.rankwise.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class DirectBufferPoolTest {
  @Test
  void buffersAreDirectNativeOrderedAndSizedByQuarterPowerOfTwoClasses() {
    DirectBufferPool p = new DirectBufferPool();
    ByteBuffer b = p.acquire(5000);
    assertTrue(b.isDirect());
    assertEquals(ByteOrder.nativeOrder(), b.order());
    assertEquals(5120, b.capacity());
    assertEquals(5000, b.limit());
    assertEquals(4096, p.acquire(0).capacity());
    long[][] classes = {{4097, 5120}, {5120, 5120}, {5121, 6144}, {7168, 7168}, {7169, 8192}, {8192, 8192},
        {8193, 10240}, {270_000_000, 335_544_320}, {1L << 30, 1L << 30}};
    for (long[] c : classes) {
      assertEquals(c[1], DirectBufferPool.sizeClass(c[0]), "class of " + c[0]);
    }
    for (long n = 1; n < 1L << 31; n = n * 3 / 2 + 1) { // never smaller, at most 25% larger (past 4 KiB)
      long cap = DirectBufferPool.sizeClass(n);
      assertTrue(cap >= n && (n <= 4096 || cap <= n * 5 / 4 + 1), n + " -> " + cap);
      assertEquals(cap, DirectBufferPool.sizeClass(cap), "a class is its own class");
    }
  }

  @Test
  void releasedBuffersAreReusedForTheSameClass() {
    DirectBufferPool p = new DirectBufferPool();
    ByteBuffer b = p.acquire(100_000);
    p.release(b);
    assertEquals(114688, p.pooledBytes());
    ByteBuffer again = p.acquire(99_000);
    assertSame(b, again);
    assertEquals(99_000, again.limit());
    assertEquals(0, again.position());
    assertNotSame(again, p.acquire(99_000));
    p.release(again);
    assertNotSame(again, p.acquire(70_000), "70,000 bytes: another class");
  }

  @Test
  void aReusedBufferIsNativeOrderedWhateverItsLastUserSet() {
    DirectBufferPool p = new DirectBufferPool();
    ByteBuffer b = p.acquire(10_000);
    b.order(ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    p.release(b);
    ByteBuffer again = p.acquire(10_000);
    assertSame(b, again);
    assertEquals(ByteOrder.nativeOrder(), again.order()); // collectives read doubles in native order
  }

  @Test
  void idleBuffersAreBounded() {
    DirectBufferPool p = new DirectBufferPool(200_000);
    ByteBuffer a = p.acquire(100_000); // 114688
    ByteBuffer b = p.acquire(100_000);
    p.release(a);
    p.release(b); // would hold 229376 > 200000: left to the GC
    assertEquals(114688, p.pooledBytes());
    assertSame(a, p.acquire(100_000));
    assertNotSame(b, p.acquire(100_000));
    assertTrue(new DirectBufferPool().acquire(1) != null);
  }

  @Test
  void negativeAndHugeRequestsSayWhatIsAllowed() {
    DirectBufferPool p = new DirectBufferPool();
    CommException e = assertThrows(CommException.class, () -> p.acquire(-1));
    assertTrue(e.getMessage().contains("-1 bytes"), e.getMessage());
    assertThrows(CommException.class, () -> p.acquire(3L << 30));
  }
}
