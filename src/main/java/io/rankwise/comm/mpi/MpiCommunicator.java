package io.rankwise.comm.mpi;

import io.rankwise.comm.CommException;
import io.rankwise.comm.Communicator;
import io.rankwise.comm.DirectBufferPool;
import io.rankwise.comm.Identities;
import io.rankwise.comm.ReduceOp;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.util.function.IntFunction;
import mpi.Datatype;
import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;
import mpi.Op;
import mpi.Status;

/**
 * {@link Communicator} over Open MPI's Java bindings ({@code mpi.jar}).
 *
 * <p>Small arrays go to MPI as Java arrays (the bindings copy them, which is cheaper than staging
 * for a few bytes). Large reductions and every all-to-all go through pooled direct buffers, which
 * MPI reads and writes in place. The received buffers of an all-to-all are views of one pooled
 * buffer that the next all-to-all reuses.
 */
public final class MpiCommunicator implements Communicator {
  /** Arrays larger than this are staged through direct buffers instead of copied by the bindings. */
  private static final int DIRECT_THRESHOLD_BYTES = 64 * 1024;

  private final Intracomm comm;
  private final int rank;
  private final int size;
  private final DirectBufferPool pool = new DirectBufferPool();
  private ByteBuffer lastAllToAllReceive;

  public MpiCommunicator(Intracomm comm) {
    this.comm = comm;
    try {
      this.rank = comm.getRank();
      this.size = comm.getSize();
    } catch (MPIException e) {
      throw fail("query rank/size", e);
    }
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
    return "mpi";
  }

  /** The underlying communicator, for code that calls {@code mpi.jar} directly. */
  public Intracomm raw() {
    return comm;
  }

  @Override
  public void barrier() {
    try {
      comm.barrier();
    } catch (MPIException e) {
      throw fail("barrier", e);
    }
  }

  // ---- broadcast ---------------------------------------------------------------------------

  @Override
  public void broadcast(double[] buf, int root) {
    bcast(buf, buf.length, MPI.DOUBLE, root);
  }

  @Override
  public void broadcast(long[] buf, int root) {
    bcast(buf, buf.length, MPI.LONG, root);
  }

  @Override
  public void broadcast(byte[] buf, int root) {
    bcast(buf, buf.length, MPI.BYTE, root);
  }

  private void bcast(Object buf, int count, Datatype type, int root) {
    try {
      comm.bcast(buf, count, type, root);
    } catch (MPIException e) {
      throw fail("broadcast", e);
    }
  }

  @Override
  public byte[] broadcastBytes(byte[] rootData, int root) {
    long[] len = {rank == root ? rootData.length : 0};
    broadcast(len, root);
    byte[] data = rank == root ? rootData : new byte[(int) len[0]];
    broadcast(data, root);
    return data;
  }

  // ---- reductions --------------------------------------------------------------------------

  private enum Kind { ALL_REDUCE, SCAN, EXSCAN }

  @Override
  public void allReduce(double[] buf, ReduceOp op) {
    reduction(Kind.ALL_REDUCE, buf, buf.length, 8, MPI.DOUBLE, op);
  }

  @Override
  public void allReduce(long[] buf, ReduceOp op) {
    reduction(Kind.ALL_REDUCE, buf, buf.length, 8, MPI.LONG, op);
  }

  @Override
  public void scan(double[] buf, ReduceOp op) {
    reduction(Kind.SCAN, buf, buf.length, 8, MPI.DOUBLE, op);
  }

  @Override
  public void scan(long[] buf, ReduceOp op) {
    reduction(Kind.SCAN, buf, buf.length, 8, MPI.LONG, op);
  }

  @Override
  public void exScan(double[] buf, ReduceOp op) {
    reduction(Kind.EXSCAN, buf, buf.length, 8, MPI.DOUBLE, op);
    if (rank == 0) {
      Identities.fill(buf, op);
    }
  }

  @Override
  public void exScan(long[] buf, ReduceOp op) {
    reduction(Kind.EXSCAN, buf, buf.length, 8, MPI.LONG, op);
    if (rank == 0) {
      Identities.fill(buf, op);
    }
  }

  @Override
  public void reduce(double[] buf, ReduceOp op, int root) {
    reduceTo(buf, buf.length, MPI.DOUBLE, op, root);
  }

  @Override
  public void reduce(long[] buf, ReduceOp op, int root) {
    reduceTo(buf, buf.length, MPI.LONG, op, root);
  }

  /** In-place allReduce/scan/exScan; large arrays are staged through a pooled direct buffer. */
  private void reduction(Kind kind, Object buf, int count, int elemBytes, Datatype type, ReduceOp op) {
    long bytes = (long) count * elemBytes;
    try {
      if (bytes <= DIRECT_THRESHOLD_BYTES) {
        callReduction(kind, buf, count, type, op);
        return;
      }
      ByteBuffer d = pool.acquire(bytes);
      try {
        put(d, buf);
        callReduction(kind, d, count, type, op);
        get(d, buf, 0);
      } finally {
        pool.release(d);
      }
    } catch (MPIException e) {
      throw fail(kind.name().toLowerCase(), e);
    }
  }

  private void callReduction(Kind kind, Object buf, int count, Datatype type, ReduceOp op)
      throws MPIException {
    switch (kind) {
      case ALL_REDUCE -> comm.allReduce(buf, count, type, mpiOp(op));
      case SCAN -> comm.scan(buf, count, type, mpiOp(op));
      case EXSCAN -> comm.exScan(buf, count, type, mpiOp(op));
    }
  }

  private void reduceTo(Object buf, int count, Datatype type, ReduceOp op, int root) {
    try {
      // MPI_IN_PLACE on the root only; other ranks must keep their buffer unchanged.
      if (rank == root) {
        comm.reduce(buf, count, type, mpiOp(op), root);
      } else {
        Object scratch = Array.newInstance(buf.getClass().getComponentType(), count);
        comm.reduce(buf, scratch, count, type, mpiOp(op), root);
      }
    } catch (MPIException e) {
      throw fail("reduce", e);
    }
  }

  private static Op mpiOp(ReduceOp op) {
    return switch (op) {
      case SUM -> MPI.SUM;
      case PROD -> MPI.PROD;
      case MIN -> MPI.MIN;
      case MAX -> MPI.MAX;
    };
  }

  /** Copies a double[]/long[]/byte[] into {@code d} from its start. */
  private static void put(ByteBuffer d, Object buf) {
    d.clear();
    if (buf instanceof double[] a) {
      d.asDoubleBuffer().put(a);
    } else if (buf instanceof long[] a) {
      d.asLongBuffer().put(a);
    } else {
      d.put((byte[]) buf);
    }
  }

  /** Fills a double[]/long[]/byte[] from {@code d}, starting at element {@code offset}. */
  private static void get(ByteBuffer d, Object buf, int offset) {
    d.clear();
    if (buf instanceof double[] a) {
      d.asDoubleBuffer().get(offset, a);
    } else if (buf instanceof long[] a) {
      d.asLongBuffer().get(offset, a);
    } else {
      d.get(offset, (byte[]) buf);
    }
  }

  // ---- gather ------------------------------------------------------------------------------

  @Override
  public double[][] gather(double[] mine, int root) {
    return (double[][]) gatherv(mine, MPI.DOUBLE, root, false);
  }

  @Override
  public long[][] gather(long[] mine, int root) {
    return (long[][]) gatherv(mine, MPI.LONG, root, false);
  }

  @Override
  public byte[][] gather(byte[] mine, int root) {
    return (byte[][]) gatherv(mine, MPI.BYTE, root, false);
  }

  @Override
  public double[][] allGather(double[] mine) {
    return (double[][]) gatherv(mine, MPI.DOUBLE, 0, true);
  }

  @Override
  public long[][] allGather(long[] mine) {
    return (long[][]) gatherv(mine, MPI.LONG, 0, true);
  }

  @Override
  public byte[][] allGather(byte[] mine) {
    return (byte[][]) gatherv(mine, MPI.BYTE, 0, true);
  }

  /**
   * Gathers counts, then the data in one gatherv, then splits it per rank. Data always travels in
   * direct buffers: Open MPI 4.1's bindings size the temporary copy of a heap array in
   * v-collectives as displs[i] * counts[i] instead of displs[i] + counts[i] (mpi_MPI.c,
   * getCountv), which overruns native memory and crashes the JVM.
   */
  private Object[] gatherv(Object mine, Datatype type, int root, boolean all) {
    Class<?> elem = mine.getClass().getComponentType();
    int width = elem == byte.class ? 1 : 8;
    int n = Array.getLength(mine);
    try {
      int[] counts = new int[size];
      int[] one = {n};
      if (all) {
        comm.allGather(one, 1, MPI.INT, counts, 1, MPI.INT);
      } else {
        comm.gather(one, 1, MPI.INT, counts, 1, MPI.INT, root);
      }
      boolean receives = all || rank == root;
      int[] displs = displacements(counts);
      long total = receives ? (long) displs[size - 1] + counts[size - 1] : 0;
      if (total * width > Integer.MAX_VALUE - 8) {
        throw new CommException("gather: " + total + " elements in total exceed one call's limit of 2 GiB");
      }
      ByteBuffer send = pool.acquire((long) n * width);
      ByteBuffer recv = pool.acquire(total * width);
      try {
        put(send, mine);
        if (all) {
          comm.allGatherv(send, n, type, recv, counts, displs, type);
        } else if (rank == root) {
          comm.gatherv(send, n, type, recv, counts, displs, type, root);
        } else {
          comm.gatherv(send, n, type, root);
        }
        if (!receives) {
          return null;
        }
        Object[] out = (Object[]) Array.newInstance(mine.getClass(), size);
        for (int r = 0; r < size; r++) {
          Object part = Array.newInstance(elem, counts[r]);
          get(recv, part, displs[r]);
          out[r] = part;
        }
        return out;
      } finally {
        pool.release(send);
        pool.release(recv);
      }
    } catch (MPIException e) {
      throw fail(all ? "allGather" : "gather", e);
    }
  }

  // ---- all-to-all --------------------------------------------------------------------------

  @Override
  public ByteBuffer[] allToAllV(ByteBuffer[] send) {
    if (send.length != size) {
      throw new CommException("allToAllV: rank " + rank + " passed " + send.length
          + " send buffers, expected one per rank (" + size + ")");
    }
    long total = 0;
    int[] counts = new int[size];
    for (int d = 0; d < size; d++) {
      counts[d] = send[d].remaining();
      total += counts[d];
    }
    checkTotal("send", total);
    ByteBuffer packed = pool.acquire(total);
    try {
      for (ByteBuffer b : send) {
        packed.put(b.duplicate());
      }
      packed.flip();
      return exchange(packed, counts, null);
    } finally {
      pool.release(packed);
    }
  }

  @Override
  public ByteBuffer[] allToAllV(ByteBuffer send, int[] sendCounts) {
    return allToAllV(send, sendCounts, null);
  }

  @Override
  public boolean receivesInPlace() {
    return true;
  }

  @Override
  public ByteBuffer[] allToAllV(ByteBuffer send, int[] sendCounts, IntFunction<ByteBuffer> into) {
    if (sendCounts.length != size) {
      throw new CommException("allToAllV: rank " + rank + " passed " + sendCounts.length
          + " send counts, expected one per rank (" + size + ")");
    }
    long total = 0;
    for (int c : sendCounts) {
      total += c;
    }
    if (total > send.remaining()) {
      throw new CommException("allToAllV: send counts add up to " + total + " bytes but the buffer has "
          + send.remaining());
    }
    if (send.isDirect()) {
      // The bindings take a direct buffer's base address: slice so that it starts at position.
      return exchange(send.slice(), sendCounts, into);
    }
    ByteBuffer staged = pool.acquire(total);
    try {
      staged.put(send.duplicate().limit(send.position() + (int) total)).flip();
      return exchange(staged, sendCounts, into);
    } finally {
      pool.release(staged);
    }
  }

  @Override
  public ByteBuffer acquireSendBuffer(long bytes) {
    return pool.acquire(bytes); // sent in place: no staging copy, no fresh zeroed buffer
  }

  @Override
  public void releaseSendBuffer(ByteBuffer b) {
    pool.release(b);
  }

  /**
   * {@code directSend} starts at its base address; counts are per destination, in rank order.
   * Receives into {@code into}'s memory when given (the caller's from then on), else into a pooled
   * buffer kept until the next call.
   */
  private ByteBuffer[] exchange(ByteBuffer directSend, int[] sendCounts, IntFunction<ByteBuffer> into) {
    try {
      int[] recvCounts = new int[size];
      comm.allToAll(sendCounts, 1, MPI.INT, recvCounts, 1, MPI.INT);
      long recvTotal = 0;
      for (int c : recvCounts) {
        recvTotal += c;
      }
      // The receive memory is got before the ranks agree, and every rank learns whether one would
      // receive more than a buffer holds (int displacements) or could not get its memory: all
      // fail together instead of one failing while the others wait in the exchange.
      ByteBuffer recv = null;
      String noMemory = null; // why this rank has nothing to receive into
      if (recvTotal <= Integer.MAX_VALUE - 8) {
        try {
          // a fresh buffer: the send data may be a view of the previous call's receive buffer
          recv = into == null ? pool.acquire(recvTotal) : into.apply((int) recvTotal);
          if (into != null && (recv == null || !recv.isDirect() || recv.capacity() < recvTotal)) {
            noMemory = "the receive buffer given is " + (recv == null ? "null" : recv.isDirect() ? "too small ("
                + recv.capacity() + " bytes for " + recvTotal + ")" : "not direct") + " (a caller's bug)";
            recv = null;
          }
        } catch (OutOfMemoryError | RuntimeException e) {
          noMemory = e + " (raise -XX:MaxDirectMemorySize or the JVM heap with rankwise run -J..., or use more "
              + "ranks)";
        }
      }
      long[] most = {recvTotal, noMemory == null ? -1 : rank};
      allReduce(most, ReduceOp.MAX);
      if (most[0] > Integer.MAX_VALUE - 8 || most[1] >= 0) {
        if (recv != null && into == null) {
          pool.release(recv);
        }
        if (most[0] > Integer.MAX_VALUE - 8) {
          throw new CommException("allToAllV: " + (recvTotal == most[0] ? "rank " + rank : "another rank")
              + " would receive " + most[0] + " bytes in one call; the limit is 2 GiB: use more partitions or more "
              + "ranks");
        }
        throw new CommException("allToAllV: rank " + most[1] + " could not get memory to receive into"
            + (most[1] == rank ? ": " + noMemory : ""));
      }
      int[] sdispls = displacements(sendCounts);
      int[] rdispls = displacements(recvCounts);
      recv.clear();
      try {
        comm.allToAllv(directSend, sendCounts, sdispls, MPI.BYTE, recv, recvCounts, rdispls, MPI.BYTE);
      } catch (MPIException | RuntimeException e) {
        if (into == null) {
          pool.release(recv);
        }
        throw e;
      }
      if (into == null) {
        if (lastAllToAllReceive != null) {
          pool.release(lastAllToAllReceive);
        }
        lastAllToAllReceive = recv;
      }
      ByteBuffer[] out = new ByteBuffer[size];
      for (int s = 0; s < size; s++) {
        out[s] = recv.duplicate().position(rdispls[s]).limit(rdispls[s] + recvCounts[s])
            .slice().asReadOnlyBuffer();
      }
      return out;
    } catch (MPIException e) {
      throw fail("allToAllV", e);
    }
  }

  private static int[] displacements(int[] counts) {
    int[] d = new int[counts.length];
    long acc = 0;
    for (int i = 0; i < counts.length; i++) {
      d[i] = (int) acc;
      acc += counts[i];
    }
    return d;
  }

  private void checkTotal(String what, long total) {
    if (total > Integer.MAX_VALUE - 8) {
      throw new CommException("allToAllV: rank " + rank + " would " + what + " " + total
          + " bytes in one call; the limit is 2 GiB, split the exchange");
    }
  }

  // ---- point to point ----------------------------------------------------------------------

  @Override
  public void send(ByteBuffer data, int dest, int tag) {
    int n = data.remaining();
    try {
      if (data.isDirect()) {
        comm.send(data.slice(), n, MPI.BYTE, dest, tag);
        return;
      }
      ByteBuffer staged = pool.acquire(n);
      try {
        staged.put(data.duplicate()).flip();
        comm.send(staged, n, MPI.BYTE, dest, tag);
      } finally {
        pool.release(staged);
      }
    } catch (MPIException e) {
      throw fail("send to rank " + dest, e);
    }
  }

  @Override
  public ByteBuffer recv(int source, int tag) {
    try {
      Status st = comm.probe(source, tag);
      int n = st.getCount(MPI.BYTE);
      byte[] data = new byte[n];
      comm.recv(data, n, MPI.BYTE, source, tag);
      return ByteBuffer.wrap(data);
    } catch (MPIException e) {
      throw fail("recv from rank " + source, e);
    }
  }

  // ---- failure -----------------------------------------------------------------------------

  @Override
  public void abort(int errorCode, String message) {
    try {
      comm.abort(errorCode);
    } catch (MPIException e) {
      throw fail("abort (" + message + ")", e);
    }
  }

  @Override
  public void close() {
    if (lastAllToAllReceive != null) {
      pool.release(lastAllToAllReceive);
      lastAllToAllReceive = null;
    }
  }

  private CommException fail(String what, MPIException e) {
    return new CommException("MPI " + what + " failed on rank " + rank + " of " + size + ": "
        + e.getMessage() + " (MPI error class " + e.getErrorClass() + ")", e);
  }
}
