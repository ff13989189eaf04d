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
  void buffersAreDirectNativeOrderedAndSizedByPowerOfTwoClasses() {
    DirectBufferPool p = new DirectBufferPool();
    ByteBuffer b = p.acquire(5000);
    assertTrue(b.isDirect());
    assertEquals(ByteOrder.nativeOrder(), b.order());
    assertEquals(8192, b.capacity());
    assertEquals(5000, b.limit());
    assertEquals(4096, p.acquire(0).capacity());
  }

  @Test
  void releasedBuffersAreReusedForTheSameClass() {
    DirectBufferPool p = new DirectBufferPool();
    ByteBuffer b = p.acquire(100_000);
    p.release(b);
    assertEquals(131072, p.pooledBytes());
    ByteBuffer again = p.acquire(70_000);
    assertSame(b, again);
    assertEquals(70_000, again.limit());
    assertEquals(0, again.position());
    assertNotSame(again, p.acquire(70_000));
  }

  @Test
  void idleBuffersAreBounded() {
    DirectBufferPool p = new DirectBufferPool(200_000);
    ByteBuffer a = p.acquire(100_000); // 131072
    ByteBuffer b = p.acquire(100_000);
    p.release(a);
    p.release(b); // would hold 262144 > 200000: left to the GC
    assertEquals(131072, p.pooledBytes());
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
