package io.rankwise.comm.local;

import io.rankwise.comm.CommException;
import io.rankwise.comm.Communicator;
import io.rankwise.comm.Identities;
import io.rankwise.comm.ReduceOp;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;

/**
 * One rank of a {@link LocalWorld}. Reductions combine contributions in rank order, so results are
 * deterministic. Argument mismatches between ranks (different lengths, different roots) are
 * detected and reported with the values, which MPI cannot always do.
 */
final class LocalCommunicator implements Communicator {
  private final LocalWorld world;
  private final int rank;
  private final int size;

  LocalCommunicator(LocalWorld world, int rank) {
    this.world = world;
    this.rank = rank;
    this.size = world.size();
  }

  @Override
  public int rank() {
    return rank;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public String backend() {
    return "local";
  }

  @Override
  public void barrier() {
    world.rendezvous(rank, null, all -> null);
  }

  // ---- broadcast ---------------------------------------------------------------------------

  @Override
  public void broadcast(double[] buf, int root) {
    broadcastArray(buf, root);
  }

  @Override
  public void broadcast(long[] buf, int root) {
    broadcastArray(buf, root);
  }

  @Override
  public void broadcast(byte[] buf, int root) {
    broadcastArray(buf, root);
  }

  /** Broadcast of any primitive array: non-roots copy root's deposit while it is stable. */
  private void broadcastArray(Object buf, int root) {
    checkRoot(root, "broadcast");
    int len = Array.getLength(buf);
    world.rendezvous(rank, buf, all -> {
      checkSameLength("broadcast", Array.getLength(all[root]), len, root);
      if (rank != root) {
        System.arraycopy(all[root], 0, buf, 0, len);
      }
      return null;
    });
  }

  @Override
  public byte[] broadcastBytes(byte[] rootData, int root) {
    checkRoot(root, "broadcastBytes");
    if (rank == root && rootData == null) {
      throw new CommException("broadcastBytes: root " + root + " passed null data");
    }
    return world.rendezvous(rank, rootData, all -> rank == root ? rootData : ((byte[]) all[root]).clone());
  }

  // ---- reductions --------------------------------------------------------------------------

  @Override
  public void allReduce(double[] buf, ReduceOp op) {
    double[] acc = world.rendezvous(rank, buf, all -> reduceDoubles(all, size, buf.length, op, "allReduce"));
    System.arraycopy(acc, 0, buf, 0, buf.length);
  }

  @Override
  public void allReduce(long[] buf, ReduceOp op) {
    long[] acc = world.rendezvous(rank, buf, all -> reduceLongs(all, size, buf.length, op, "allReduce"));
    System.arraycopy(acc, 0, buf, 0, buf.length);
  }

  @Override
  public void reduce(double[] buf, ReduceOp op, int root) {
    checkRoot(root, "reduce");
    double[] acc = world.rendezvous(rank, buf,
        all -> rank == root ? reduceDoubles(all, size, buf.length, op, "reduce") : null);
    if (acc != null) {
      System.arraycopy(acc, 0, buf, 0, buf.length);
    }
  }

  @Override
  public void reduce(long[] buf, ReduceOp op, int root) {
    checkRoot(root, "reduce");
    long[] acc = world.rendezvous(rank, buf,
        all -> rank == root ? reduceLongs(all, size, buf.length, op, "reduce") : null);
    if (acc != null) {
      System.arraycopy(acc, 0, buf, 0, buf.length);
    }
  }

  @Override
  public void scan(double[] buf, ReduceOp op) {
    double[] acc = world.rendezvous(rank, buf, all -> reduceDoubles(all, rank + 1, buf.length, op, "scan"));
    System.arraycopy(acc, 0, buf, 0, buf.length);
  }

  @Override
  public void scan(long[] buf, ReduceOp op) {
    long[] acc = world.rendezvous(rank, buf, all -> reduceLongs(all, rank + 1, buf.length, op, "scan"));
    System.arraycopy(acc, 0, buf, 0, buf.length);
  }

  @Override
  public void exScan(double[] buf, ReduceOp op) {
    double[] acc = world.rendezvous(rank, buf, all -> reduceDoubles(all, rank, buf.length, op, "exScan"));
    System.arraycopy(acc, 0, buf, 0, buf.length);
  }

  @Override
  public void exScan(long[] buf, ReduceOp op) {
    long[] acc = world.rendezvous(rank, buf, all -> reduceLongs(all, rank, buf.length, op, "exScan"));
    System.arraycopy(acc, 0, buf, 0, buf.length);
  }

  /** Reduces the deposits of ranks {@code [0, upTo)} in rank order; identity when upTo is 0. */
  private double[] reduceDoubles(Object[] all, int upTo, int n, ReduceOp op, String what) {
    double[] acc = new double[n];
    Identities.fill(acc, op);
    for (int r = 0; r < size; r++) {
      double[] d = (double[]) all[r];
      checkSameLength(what, d.length, n, r);
      if (r < upTo) {
        op.combine(acc, d);
      }
    }
    return acc;
  }

  private long[] reduceLongs(Object[] all, int upTo, int n, ReduceOp op, String what) {
    long[] acc = new long[n];
    Identities.fill(acc, op);
    for (int r = 0; r < size; r++) {
      long[] d = (long[]) all[r];
      checkSameLength(what, d.length, n, r);
      if (r < upTo) {
        op.combine(acc, d);
      }
    }
    return acc;
  }

  // ---- gather ------------------------------------------------------------------------------

  @Override
  public double[][] gather(double[] mine, int root) {
    checkRoot(root, "gather");
    return world.rendezvous(rank, mine, all -> rank == root ? copyAll(all, new double[size][]) : null);
  }

  @Override
  public long[][] gather(long[] mine, int root) {
    checkRoot(root, "gather");
    return world.rendezvous(rank, mine, all -> rank == root ? copyAll(all, new long[size][]) : null);
  }

  @Override
  public byte[][] gather(byte[] mine, int root) {
    checkRoot(root, "gather");
    return world.rendezvous(rank, mine, all -> rank == root ? copyAll(all, new byte[size][]) : null);
  }

  @Override
  public double[][] allGather(double[] mine) {
    return world.rendezvous(rank, mine, all -> copyAll(all, new double[size][]));
  }

  @Override
  public long[][] allGather(long[] mine) {
    return world.rendezvous(rank, mine, all -> copyAll(all, new long[size][]));
  }

  @Override
  public byte[][] allGather(byte[] mine) {
    return world.rendezvous(rank, mine, all -> copyAll(all, new byte[size][]));
  }

  /** Copies every rank's primitive array deposit into {@code out} (arrays are cloned). */
  private static <A> A[] copyAll(Object[] all, A[] out) {
    for (int r = 0; r < out.length; r++) {
      Object a = all[r];
      int len = Array.getLength(a);
      Object copy = Array.newInstance(a.getClass().getComponentType(), len);
      System.arraycopy(a, 0, copy, 0, len);
      @SuppressWarnings("unchecked")
      A typed = (A) copy;
      out[r] = typed;
    }
    return out;
  }

  // ---- all-to-all --------------------------------------------------------------------------

  @Override
  public ByteBuffer[] allToAllV(ByteBuffer[] send) {
    if (send.length != size) {
      throw new CommException("allToAllV: rank " + rank + " passed " + send.length
          + " send buffers, expected one per rank (" + size + ")");
    }
    return world.rendezvous(rank, send, all -> {
      ByteBuffer[] in = new ByteBuffer[size];
      long total = 0;
      for (int s = 0; s < size; s++) {
        ByteBuffer from = ((ByteBuffer[]) all[s])[rank];
        total += from.remaining();
        if (total > Integer.MAX_VALUE - 8) {
          throw new CommException("allToAllV: rank " + rank + " would receive " + total
              + " bytes or more in one call; the limit is 2 GiB, split the exchange");
        }
        ByteBuffer copy = ByteBuffer.allocate(from.remaining());
        copy.put(from.duplicate()).flip();
        in[s] = copy.asReadOnlyBuffer();
      }
      return in;
    });
  }

  @Override
  public ByteBuffer[] allToAllV(ByteBuffer send, int[] sendCounts) {
    return allToAllV(split(send, sendCounts));
  }

  /**
   * Copies what each rank sent here straight into one buffer from {@code into}; a rank that could
   * not get that memory fails the call on every rank (a second rendezvous shares the outcome).
   */
  @Override
  public ByteBuffer[] allToAllV(ByteBuffer send, int[] sendCounts, java.util.function.IntFunction<ByteBuffer> into) {
    Object got = world.rendezvous(rank, split(send, sendCounts), all -> {
      long total = 0;
      for (int s = 0; s < size; s++) {
        total += ((ByteBuffer[]) all[s])[rank].remaining();
      }
      if (total > Integer.MAX_VALUE - 8) {
        return "rank " + rank + " would receive " + total + " bytes in one call; the limit is 2 GiB, split the "
            + "exchange";
      }
      ByteBuffer memory;
      try {
        memory = into.apply((int) total);
      } catch (OutOfMemoryError | RuntimeException e) {
        return "rank " + rank + " could not get memory to receive into: " + e;
      }
      try { // every failure here is shared at the second rendezvous: no rank leaves the others waiting
        ByteBuffer[] in = new ByteBuffer[size];
        int at = 0;
        for (int s = 0; s < size; s++) {
          ByteBuffer from = ((ByteBuffer[]) all[s])[rank];
          int n = from.remaining();
          memory.put(at, from, from.position(), n);
          in[s] = memory.slice(at, n).asReadOnlyBuffer();
          at += n;
        }
        return in;
      } catch (RuntimeException | Error e) {
        return "rank " + rank + " could not receive into the memory given (" + (memory == null ? "none"
            : memory.capacity() + " bytes") + " for " + total + "): " + e;
      }
    });
    String failed = world.rendezvous(rank, got instanceof String f ? f : null, all -> {
      for (Object f : all) {
        if (f != null) {
          return (String) f;
        }
      }
      return null;
    });
    if (failed != null) {
      throw new CommException("allToAllV: " + failed);
    }
    return (ByteBuffer[]) got;
  }

  private ByteBuffer[] split(ByteBuffer send, int[] sendCounts) {
    if (sendCounts.length != size) {
      throw new CommException("allToAllV: rank " + rank + " passed " + sendCounts.length
          + " send counts, expected one per rank (" + size + ")");
    }
    ByteBuffer[] parts = new ByteBuffer[size];
    int pos = send.position();
    for (int d = 0; d < size; d++) {
      if (sendCounts[d] < 0 || pos + sendCounts[d] > send.limit()) {
        throw new CommException("allToAllV: send count " + sendCounts[d] + " for rank " + d
            + " runs past the buffer (position " + pos + ", limit " + send.limit() + ")");
      }
      parts[d] = send.duplicate().position(pos).limit(pos + sendCounts[d]);
      pos += sendCounts[d];
    }
    return parts;
  }

  // ---- point to point ----------------------------------------------------------------------

  @Override
  public void send(ByteBuffer data, int dest, int tag) {
    checkPeer(dest, "send");
    ByteBuffer copy = ByteBuffer.allocate(data.remaining());
    copy.put(data.duplicate()).flip();
    world.post(rank, dest, tag, copy);
  }

  @Override
  public ByteBuffer recv(int source, int tag) {
    checkPeer(source, "recv");
    return world.take(source, rank, tag);
  }

  // ---- failure -----------------------------------------------------------------------------

  @Override
  public void abort(int errorCode, String message) {
    world.abort(rank, errorCode, message);
  }

  @Override
  public boolean aborted() {
    return world.aborted();
  }

  @Override
  public void close() {}

  private void checkRoot(int root, String what) {
    if (root < 0 || root >= size) {
      throw new CommException(what + ": root " + root + " out of range(0, " + size + ")");
    }
  }

  private void checkPeer(int peer, String what) {
    if (peer < 0 || peer >= size) {
      throw new CommException(what + ": rank " + peer + " out of range(0, " + size + ")");
    }
  }

  private void checkSameLength(String what, int theirs, int mine, int otherRank) {
    if (theirs != mine) {
      throw new CommException(what + ": rank " + rank + " passed " + mine + " elements but rank "
          + otherRank + " passed " + theirs + "; every rank must pass the same length");
    }
  }
}
