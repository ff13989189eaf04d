package io.rankwise.comm;

import java.nio.ByteBuffer;

/**
 * The group of ranks a Rankwise program runs on, and every way they talk to each other.
 *
 * <p>All collective calls must be made by every rank, in the same order, from one thread per rank
 * (the driver thread). Data is primitive arrays and {@link ByteBuffer}s, never boxed collections.
 * ByteBuffer arguments are read from {@code position()} to {@code limit()} and their position is
 * not changed; returned buffers have Java's default (big-endian) byte order.
 *
 * <p>Semantics are those of MPI, with these definitions where MPI leaves room:
 *
 * <ul>
 *   <li>gather/allGather are the "v" variants: every rank may contribute a different length,
 *       including zero;
 *   <li>{@code exScan} leaves the identity of the operator on rank 0 (MPI leaves it undefined);
 *   <li>a failure on any rank surfaces on the others as {@link RankAbortedException} (local
 *       backend) or ends their process (MPI backend); no call hangs on a dead peer.
 * </ul>
 */
public interface Communicator extends AutoCloseable {

  /** This rank, in {@code [0, size())}. */
  int rank();

  /** Number of ranks. */
  int size();

  /** "mpi" or "local". */
  String backend();

  void barrier();

  // ---- broadcast ---------------------------------------------------------------------------

  /** Copies root's {@code buf} into {@code buf} on every rank; all ranks pass the same length. */
  void broadcast(double[] buf, int root);

  void broadcast(long[] buf, int root);

  void broadcast(byte[] buf, int root);

  /**
   * Broadcasts bytes whose length only the root knows. Non-roots pass {@code null}.
   *
   * @return root's bytes, on every rank (the root gets its own array back)
   */
  byte[] broadcastBytes(byte[] rootData, int root);

  // ---- reductions --------------------------------------------------------------------------

  /** Element-wise reduction of {@code buf} over all ranks, result in {@code buf} on every rank. */
  void allReduce(double[] buf, ReduceOp op);

  void allReduce(long[] buf, ReduceOp op);

  /** Like {@link #allReduce(double[], ReduceOp)}, but only root's {@code buf} receives the result. */
  void reduce(double[] buf, ReduceOp op, int root);

  void reduce(long[] buf, ReduceOp op, int root);

  /** Inclusive prefix reduction over ranks 0..rank(), in place. */
  void scan(double[] buf, ReduceOp op);

  void scan(long[] buf, ReduceOp op);

  /** Exclusive prefix reduction over ranks 0..rank()-1, in place; identity of {@code op} on rank 0. */
  void exScan(double[] buf, ReduceOp op);

  void exScan(long[] buf, ReduceOp op);

  // ---- gather (variable length) ------------------------------------------------------------

  /** @return on root, the contribution of every rank indexed by rank; {@code null} elsewhere */
  double[][] gather(double[] mine, int root);

  long[][] gather(long[] mine, int root);

  byte[][] gather(byte[] mine, int root);

  /** @return the contribution of every rank, indexed by rank, on every rank */
  double[][] allGather(double[] mine);

  long[][] allGather(long[] mine);

  byte[][] allGather(byte[] mine);

  // ---- personalized all-to-all -------------------------------------------------------------

  /**
   * Sends {@code send[d]} to rank {@code d} and receives what every rank sent here. Any buffer may
   * be empty; a rank may send nothing at all. The total this rank receives must stay under 2 GiB
   * (split larger exchanges into rounds).
   *
   * @param send one buffer per destination rank ({@code send.length == size()})
   * @return one read-only buffer per source rank. They may share pooled memory that the next
   *     {@code allToAllV} call on this communicator reuses: consume or copy them before that.
   */
  ByteBuffer[] allToAllV(ByteBuffer[] send);

  /**
   * Same as {@link #allToAllV(ByteBuffer[])} with the outgoing data already packed in one buffer:
   * {@code sendCounts[d]} bytes for rank {@code d}, in rank order, from {@code send.position()}.
   * A direct buffer is sent without a copy.
   */
  ByteBuffer[] allToAllV(ByteBuffer send, int[] sendCounts);

  /**
   * {@link #allToAllV(ByteBuffer, int[])} receiving into memory the caller keeps: {@code into}
   * is called once, with the total this rank receives, and returns a buffer with at least that
   * many bytes from position 0 (direct when {@link #receivesInPlace} says so, or the call fails);
   * the parts returned are read-only slices of it, and this communicator never touches it again,
   * so received values may stay in it, undecoded, for as long as the caller wants. A failure to
   * get the memory (out of direct memory) fails the call on every rank, never a hang.
   */
  ByteBuffer[] allToAllV(ByteBuffer send, int[] sendCounts, java.util.function.IntFunction<ByteBuffer> into);

  /**
   * Whether {@link #allToAllV(ByteBuffer, int[], java.util.function.IntFunction)} receives
   * straight into the caller's memory, which must then be direct (MPI); else it copies into it,
   * and a heap buffer serves as well.
   */
  default boolean receivesInPlace() {
    return false;
  }

  /**
   * A buffer of {@code bytes} (limit) to pack a {@link #allToAllV(ByteBuffer, int[])} send into:
   * direct and reused where that saves copies (MPI), else a heap buffer. Its byte order is
   * unspecified: set the one you write. Give it back with {@link #releaseSendBuffer} after the
   * exchange.
   */
  default ByteBuffer acquireSendBuffer(long bytes) {
    if (bytes < 0 || bytes > Integer.MAX_VALUE - 8) {
      throw new CommException("send buffer of " + bytes + " bytes requested; range is [0, 2 GiB)");
    }
    return ByteBuffer.allocate((int) bytes);
  }

  /** Returns a buffer from {@link #acquireSendBuffer} once its exchange is done. */
  default void releaseSendBuffer(ByteBuffer b) {}

  // ---- point to point ----------------------------------------------------------------------

  /** Sends {@code data} (position to limit) to {@code dest}; blocks until the buffer is reusable. */
  void send(ByteBuffer data, int dest, int tag);

  /** Receives one message of any length from {@code source} with {@code tag}. */
  ByteBuffer recv(int source, int tag);

  default void send(byte[] data, int dest, int tag) {
    send(ByteBuffer.wrap(data), dest, tag);
  }

  default byte[] recvBytes(int source, int tag) {
    ByteBuffer b = recv(source, tag);
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  // ---- failure -----------------------------------------------------------------------------

  /**
   * Ends every rank of the job with {@code errorCode}. On the MPI backend this does not return; on
   * the local backend it wakes every rank blocked in a call with {@link RankAbortedException}.
   */
  void abort(int errorCode, String message);

  /**
   * True once another rank aborted the job and this rank is only waiting to be stopped (local
   * backend; under MPI an abort ends the process instead).
   */
  default boolean aborted() {
    return false;
  }

  /** Releases backend resources. Does not finalize MPI: the runtime does that once. */
  @Override
  void close();
}
