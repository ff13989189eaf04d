package io.rankwise.comm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;

/**
 * Reusable direct buffers in size classes a quarter of a power of two apart (4, 5, 6, 7, 8 KiB,
 * 10, 12, 14, 16 KiB, ...: a buffer is at most 25% larger than asked for). MPI reads and writes
 * direct buffers in place (heap arrays are copied by the bindings), and allocating a fresh direct
 * buffer zeroes every byte of it: for large messages both costs are worth avoiding, and the fine
 * classes keep a fresh buffer's zeroing close to the bytes used. Buffers are native-ordered. The
 * idle buffers are bounded (by default a quarter of the JVM's maximum heap, which is also the
 * default limit of direct memory): a buffer released beyond the bound is left to the GC, so one
 * large shuffle does not keep its buffers for the rest of the job. Thread-safe (the executor's
 * received values give their memory back from the worker thread that decoded the last of them).
 */
public final class DirectBufferPool {
  private static final int MIN_BYTES = 1 << 12; // 4 KiB
  private static final int MAX_POOLED = 1 << 30; // 1 GiB; larger requests get an exact, unpooled buffer

  private final java.util.HashMap<Integer, ArrayDeque<ByteBuffer>> free = new java.util.HashMap<>();
  private long pooledBytes;
  private final long maxPooledBytes;

  /** A pool that keeps at most a quarter of the maximum heap in idle buffers. */
  public DirectBufferPool() {
    this(Runtime.getRuntime().maxMemory() / 4);
  }

  /** A pool that keeps at most {@code maxPooledBytes} in idle buffers. */
  public DirectBufferPool(long maxPooledBytes) {
    this.maxPooledBytes = maxPooledBytes;
  }

  /** A cleared, native-ordered buffer with at least {@code minBytes} of capacity and limit {@code minBytes}. */
  public synchronized ByteBuffer acquire(long minBytes) {
    if (minBytes < 0 || minBytes > Integer.MAX_VALUE - 8) {
      throw new CommException("direct buffer of " + minBytes + " bytes requested; range is [0, 2 GiB)");
    }
    long cap = sizeClass(minBytes);
    ByteBuffer b = null;
    ArrayDeque<ByteBuffer> q = cap <= MAX_POOLED ? free.get((int) cap) : null;
    if (q != null) {
      b = q.poll();
      if (b != null) {
        pooledBytes -= b.capacity();
      }
    }
    if (b == null) {
      b = ByteBuffer.allocateDirect(cap <= MAX_POOLED ? (int) cap : (int) minBytes).order(ByteOrder.nativeOrder());
    }
    b.clear().limit((int) minBytes);
    return b.order(ByteOrder.nativeOrder()); // whatever order its last user set
  }

  /** Returns a buffer from {@link #acquire}; unpooled sizes, and buffers beyond the bound, are left to the GC. */
  public synchronized void release(ByteBuffer b) {
    int cap = b.capacity();
    if (!b.isDirect() || cap > MAX_POOLED || sizeClass(cap) != cap || pooledBytes + cap > maxPooledBytes) {
      return;
    }
    free.computeIfAbsent(cap, k -> new ArrayDeque<>()).push(b);
    pooledBytes += cap;
  }

  /** Bytes currently held idle by the pool. */
  public synchronized long pooledBytes() {
    return pooledBytes;
  }

  /** The smallest class at least n: 4 KiB, then 2^e times 5/4, 6/4, 7/4 or 2. */
  static long sizeClass(long n) {
    if (n <= MIN_BYTES) {
      return MIN_BYTES;
    }
    int e = 63 - Long.numberOfLeadingZeros(n - 1); // 2^e < n <= 2^(e+1)
    long quarter = 1L << (e - 2);
    return (1L << e) + quarter * ((n - (1L << e) + quarter - 1) / quarter);
  }
}
