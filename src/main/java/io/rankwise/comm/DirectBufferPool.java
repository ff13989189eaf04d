package io.rankwise.comm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;

/**
 * Reusable direct buffers in power-of-two size classes. MPI reads and writes direct buffers in
 * place (heap arrays are copied by the bindings), and allocating a fresh direct buffer zeroes it:
 * for large messages both costs are worth avoiding. Buffers are native-ordered. The idle buffers
 * are bounded (by default a quarter of the JVM's maximum heap, which is also the default limit of
 * direct memory): a buffer released beyond the bound is left to the GC, so one large shuffle does
 * not keep its buffers for the rest of the job. Not thread-safe: one pool per communicator, used
 * from the communicating thread.
 */
public final class DirectBufferPool {
  private static final int MIN_CLASS = 12; // 4 KiB
  private static final int MAX_CLASS = 30; // 1 GiB; larger requests get an exact, unpooled buffer

  @SuppressWarnings("unchecked")
  private final ArrayDeque<ByteBuffer>[] free = new ArrayDeque[MAX_CLASS + 1];
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

  /** A cleared buffer with at least {@code minBytes} of capacity and limit {@code minBytes}. */
  public ByteBuffer acquire(long minBytes) {
    if (minBytes < 0 || minBytes > Integer.MAX_VALUE - 8) {
      throw new CommException("direct buffer of " + minBytes + " bytes requested; range is [0, 2 GiB)");
    }
    int cls = sizeClass(minBytes);
    ByteBuffer b = null;
    if (cls <= MAX_CLASS && free[cls] != null) {
      b = free[cls].poll();
      if (b != null) {
        pooledBytes -= b.capacity();
      }
    }
    if (b == null) {
      int cap = cls <= MAX_CLASS ? 1 << cls : (int) minBytes;
      b = ByteBuffer.allocateDirect(cap).order(ByteOrder.nativeOrder());
    }
    b.clear().limit((int) minBytes);
    return b;
  }

  /** Returns a buffer from {@link #acquire}; unpooled sizes, and buffers beyond the bound, are left to the GC. */
  public void release(ByteBuffer b) {
    int cls = Integer.numberOfTrailingZeros(b.capacity());
    if (b.capacity() != 1 << cls || cls < MIN_CLASS || cls > MAX_CLASS
        || pooledBytes + b.capacity() > maxPooledBytes) {
      return;
    }
    if (free[cls] == null) {
      free[cls] = new ArrayDeque<>();
    }
    free[cls].push(b);
    pooledBytes += b.capacity();
  }

  /** Bytes currently held idle by the pool. */
  public long pooledBytes() {
    return pooledBytes;
  }

  private static int sizeClass(long n) {
    if (n <= 1L << MIN_CLASS) {
      return MIN_CLASS;
    }
    return 64 - Long.numberOfLeadingZeros(n - 1);
  }
}
