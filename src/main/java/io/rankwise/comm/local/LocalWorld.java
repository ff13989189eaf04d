package io.rankwise.comm.local;

import io.rankwise.comm.CommException;
import io.rankwise.comm.Communicator;
import io.rankwise.comm.RankAbortedException;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The shared state of N ranks running as threads in one JVM: one rendezvous for collectives, one
 * mailbox per (source, destination, tag) for point-to-point, and the abort flag.
 *
 * <p>Every collective is one rendezvous: each rank deposits its contribution, waits for all, reads
 * what it needs from the others, and waits again before anyone may deposit the next one. Waits poll
 * the abort flag, so a failure on one rank never leaves the others hanging.
 */
public final class LocalWorld {
  private static final long POLL_MILLIS = 50;

  private final int size;
  private final Phaser phaser;
  private final Object[] slots;
  private final ConcurrentHashMap<Long, LinkedBlockingQueue<ByteBuffer>> mailboxes =
      new ConcurrentHashMap<>();
  private volatile Abort abort;

  private record Abort(int rank, int code, String message) {}

  public LocalWorld(int size) {
    if (size < 1) {
      throw new CommException("local world needs at least 1 rank, got " + size);
    }
    this.size = size;
    this.phaser = new Phaser(size);
    this.slots = new Object[size];
  }

  public int size() {
    return size;
  }

  /** The communicator of {@code rank}; call once per rank thread. */
  public Communicator communicator(int rank) {
    if (rank < 0 || rank >= size) {
      throw new CommException("rank " + rank + " out of range(0, " + size + ")");
    }
    return new LocalCommunicator(this, rank);
  }

  /** True once any rank aborted. */
  public boolean aborted() {
    return abort != null;
  }

  /** Exit code given by the first rank that aborted, or 0. */
  public int abortCode() {
    Abort a = abort;
    return a == null ? 0 : a.code;
  }

  void abort(int rank, int code, String message) {
    synchronized (this) {
      if (abort == null) {
        abort = new Abort(rank, code, message);
      }
    }
    phaser.forceTermination();
  }

  void checkAbort() {
    Abort a = abort;
    if (a != null) {
      throw new RankAbortedException(a.rank, a.message, null);
    }
  }

  /**
   * One collective step: deposit {@code mine}, wait for every rank, let {@code readAll} look at
   * every rank's deposit, wait again. Returns what {@code readAll} returned.
   */
  <T> T rendezvous(int rank, Object mine, Function<Object[], T> readAll) {
    checkAbort();
    slots[rank] = mine;
    await();
    T result;
    try {
      result = readAll.apply(slots);
    } finally {
      await();
    }
    return result;
  }

  private void await() {
    int phase = phaser.arrive();
    while (true) {
      try {
        int next = phaser.awaitAdvanceInterruptibly(phase, POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (next < 0) {
          checkAbort();
          throw new CommException("local world terminated");
        }
        return;
      } catch (TimeoutException e) {
        checkAbort();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        checkAbort();
        throw new CommException("interrupted while waiting for the other ranks", e);
      }
    }
  }

  void post(int source, int dest, int tag, ByteBuffer copy) {
    checkAbort();
    mailbox(source, dest, tag).add(copy);
  }

  ByteBuffer take(int source, int dest, int tag) {
    LinkedBlockingQueue<ByteBuffer> box = mailbox(source, dest, tag);
    while (true) {
      checkAbort();
      try {
        ByteBuffer b = box.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (b != null) {
          return b;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        checkAbort();
        throw new CommException("interrupted in recv from rank " + source, e);
      }
    }
  }

  private LinkedBlockingQueue<ByteBuffer> mailbox(int source, int dest, int tag) {
    long key = ((long) source * size + dest) << 32 | (tag & 0xffffffffL);
    return mailboxes.computeIfAbsent(key, k -> new LinkedBlockingQueue<>());
  }
}
