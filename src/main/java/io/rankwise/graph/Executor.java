package io.rankwise.graph;

import io.rankwise.comm.Communicator;
import io.rankwise.comm.ReduceOp;
import io.rankwise.runtime.Session;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Runs a {@link Plan} on one rank, bulk-synchronously: the levels between two exchanges form a
 * superstep; in a superstep each rank runs the tasks it owns on its worker threads, a task
 * starting as soon as its inputs are ready; then one {@code allToAllV} moves exactly the outputs
 * that consumers on other ranks need (every rank knows the plan, so levels without transfers end
 * without any communication). An output is freed after its last local consumer ran.
 */
final class Executor {
  private final Session session;
  private final Communicator comm;
  private final Plan p;
  private final int rank;
  private final AtomicReferenceArray<Object> values;
  /** Remaining local uses of each value held here; freed at zero. */
  private final AtomicIntegerArray uses;
  private final boolean[] delivered;
  private final ExecutionStats stats;
  private final boolean recordEvents;
  private final Progress progress;
  private long t0;
  /** A failure on this rank not yet shared with the others (they learn at the next agreement). */
  private RuntimeException pending;

  Executor(Session session, Plan plan, ExecutionStats stats, boolean recordEvents, Progress progress) {
    this.session = session;
    this.comm = session.comm();
    this.p = plan;
    this.rank = comm.rank();
    this.stats = stats;
    this.recordEvents = recordEvents;
    this.progress = progress;
    int n = plan.tasks.length;
    this.values = new AtomicReferenceArray<>(n);
    this.uses = new AtomicIntegerArray(n);
    this.delivered = new boolean[n];
    for (int o : plan.outputs) {
      delivered[o] = switch (plan.delivery) {
        case ALL_RANKS -> true;
        case ROOT_ONLY -> rank == 0;
        case OWNER_ONLY -> plan.owner[o] == rank;
      };
    }
    for (int i = 0; i < n; i++) {
      int u = delivered[i] ? 1 : 0;
      for (int c : plan.consumers[i]) {
        if (plan.owner[c] == rank) {
          u++;
        }
      }
      uses.set(i, u);
    }
  }

  /** @return the requested outputs, in request order; null where not delivered to this rank */
  Object[] run() {
    try {
      return steps();
    } catch (RuntimeException | Error e) {
      // received values still in their bytes give their memory back to the pool now
      for (int i = 0; i < values.length(); i++) {
        drop(values.getAndSet(i, null));
      }
      throw e;
    }
  }

  private Object[] steps() {
    t0 = System.nanoTime();
    int[][] mineByLevel = mineByLevel();
    int level = 0;
    while (level < p.levels) {
      int last = level;
      while (last < p.levels - 1 && !p.levelHasTransfer[last]) {
        last++;
      }
      long c0 = System.nanoTime();
      int[] step = concat(mineByLevel, level, last);
      RuntimeException failure = pending;
      pending = null;
      if (failure == null) {
        try {
          runLocal(step, last);
        } catch (RuntimeException e) {
          failure = e;
        }
      }
      long c1 = System.nanoTime();
      long[] bytes = new long[6];
      bytes[2] = 1;
      long wait = 0;
      if (p.levelHasTransfer[last]) {
        agree(failure);
        wait = System.nanoTime() - c1;
        bytes = exchange(mineByLevel[last]);
      } else if (failure != null) {
        pending = failure; // reported at the next exchange or at the end
      }
      long c2 = System.nanoTime();
      for (int id : step) {
        if (p.sendTo[id].length > 0) {
          release(id); // the hold that kept it for the exchange
        }
      }
      stats.steps.add(new ExecutionStats.Step(level, last, step.length, c1 - c0, c2 - c1, bytes[0], bytes[1], wait,
          (int) bytes[2], bytes[3], bytes[4], bytes[5]));
      stats.peakHeapBytes = Math.max(stats.peakHeapBytes, usedHeap());
      if (progress != null) {
        progress.stepDone(last + 1, p.levels);
      }
      level = last + 1;
    }
    // outputs received from other ranks are decoded before the ranks agree: a value that cannot
    // be read fails every rank, not only the one it was delivered to
    Object[] out = new Object[p.outputs.length];
    if (pending == null) {
      try {
        for (int k = 0; k < out.length; k++) {
          out[k] = delivered[p.outputs[k]] ? resolve(values.get(p.outputs[k])) : null;
        }
      } catch (RuntimeException e) {
        pending = e;
      } catch (Error e) {
        pending = new GraphException("rank " + rank + " could not decode the outputs it was sent: " + e, e);
      }
    }
    agree(pending);
    stats.totalNanos = System.nanoTime() - t0;
    return out;
  }

  private int[][] mineByLevel() {
    int[] count = new int[p.levels];
    for (int i = 0; i < p.tasks.length; i++) {
      if (p.owner[i] == rank) {
        count[p.level[i]]++;
      }
    }
    int[][] out = new int[p.levels][];
    for (int l = 0; l < p.levels; l++) {
      out[l] = new int[count[l]];
      count[l] = 0;
    }
    for (int i = 0; i < p.tasks.length; i++) {
      if (p.owner[i] == rank) {
        out[p.level[i]][count[p.level[i]]++] = i;
      }
    }
    return out;
  }

  private static int[] concat(int[][] byLevel, int from, int to) {
    int n = 0;
    for (int l = from; l <= to; l++) {
      n += byLevel[l].length;
    }
    int[] out = new int[n];
    int k = 0;
    for (int l = from; l <= to; l++) {
      System.arraycopy(byLevel[l], 0, out, k, byLevel[l].length);
      k += byLevel[l].length;
    }
    return out;
  }

  // ---- local execution -------------------------------------------------------------------------

  /**
   * Runs {@code step} (this rank's tasks of the superstep, in level order), depth first: a task
   * whose inputs are done runs before tasks not started yet, so a chain (generate a block, take
   * its columns, reduce them) finishes and frees its block before the next block is made; the
   * memory of a superstep is that of the chains in flight, not of its widest level (400 blocks
   * of 40 MB would otherwise all exist before the first is reduced). Roots start heaviest chain
   * first. With several threads, a worker takes the next ready task; newly ready consumers go
   * to the front.
   */
  private void runLocal(int[] step, int lastLevel) {
    if (step.length == 0) {
      return;
    }
    int threads = Math.min(session.config().threadsPerRank(), step.length);
    int firstLevel = p.level[step[0]];
    Ready ready = new Ready(step.length);
    List<Integer> roots = new ArrayList<>();
    for (int id : step) {
      int n = 0;
      for (int d : p.deps[id]) {
        if (p.owner[d] == rank && p.level[d] >= firstLevel) {
          n++;
        }
      }
      ready.pending.put(id, n);
      if (n == 0) {
        roots.add(id);
      }
    }
    roots.sort((a, b) -> Double.compare(p.weight[b], p.weight[a]));
    ready.queue.addAll(roots);
    if (threads == 1) {
      while (!ready.queue.isEmpty()) {
        int id = ready.queue.pollFirst();
        runTask(id, 0);
        ready.done(id, lastLevel);
      }
      return;
    }
    CountDownLatch done = new CountDownLatch(threads - 1);
    for (int w = 1; w < threads; w++) {
      int slot = w;
      session.taskThreads().execute(() -> {
        try {
          work(slot, ready, lastLevel);
        } finally {
          done.countDown();
        }
      });
    }
    work(0, ready, lastLevel);
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GraphException("interrupted while waiting for worker threads", e);
    }
    if (ready.failure != null) {
      throw ready.failure;
    }
  }

  /** The tasks of a superstep that may run (front first), what each still waits for; guarded by itself. */
  private final class Ready {
    final java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
    final java.util.HashMap<Integer, Integer> pending = new java.util.HashMap<>();
    int unfinished;
    RuntimeException failure;

    Ready(int tasks) {
      unfinished = tasks;
    }

    /** After task id ran: its consumers of this superstep whose inputs are all done go to the front. */
    void done(int id, int lastLevel) {
      unfinished--;
      int[] cs = p.consumers[id];
      for (int k = cs.length - 1; k >= 0; k--) { // the first consumer ends up first
        int c = cs[k];
        if (p.owner[c] == rank && p.level[c] <= lastLevel && pending.merge(c, -1, Integer::sum) == 0) {
          queue.addFirst(c);
        }
      }
    }
  }

  /** A worker: takes the front task until the superstep is done or a task failed. */
  private void work(int slot, Ready r, int lastLevel) {
    while (true) {
      int id;
      synchronized (r) {
        while (r.queue.isEmpty() && r.unfinished > 0 && r.failure == null) {
          try {
            r.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.failure = new GraphException("interrupted while waiting for tasks");
            r.notifyAll();
            return;
          }
        }
        if (r.failure != null || r.queue.isEmpty()) {
          return;
        }
        id = r.queue.pollFirst();
      }
      RuntimeException failed = null;
      try {
        runTask(id, slot);
      } catch (RuntimeException e) {
        failed = e;
      } catch (Throwable e) { // an Error (OOM, say): fail the compute instead of waiting forever
        failed = new TaskFailedException(p.tasks[id].key(), p.tasks[id].label(), rank, comm.size(), e);
      }
      synchronized (r) {
        if (failed != null) {
          if (r.failure == null) {
            r.failure = failed;
          }
        } else {
          r.done(id, lastLevel);
        }
        r.notifyAll();
        if (failed != null) {
          return;
        }
      }
    }
  }

  private void runTask(int id, int slot) {
    Task t = p.tasks[id];
    int[] ds = p.deps[id];
    Object[] in = new Object[ds.length];
    long s = recordEvents ? System.nanoTime() : 0;
    Object v;
    try {
      for (int j = 0; j < ds.length; j++) {
        in[j] = resolve(values.get(ds[j])); // a failure to decode an input fails this task, named
      }
      v = t.fn().apply(in);
    } catch (RuntimeException | Error e) {
      if (e instanceof TaskFailedException || e instanceof io.rankwise.comm.RankAbortedException) {
        throw (RuntimeException) e;
      }
      throw new TaskFailedException(t.key(), t.label(), rank, comm.size(), e);
    } catch (Exception e) {
      throw new TaskFailedException(t.key(), t.label(), rank, comm.size(), e);
    }
    values.set(id, v);
    if (p.sendTo[id].length > 0) {
      uses.incrementAndGet(id); // keep it for the exchange at the end of the superstep
    } else if (uses.get(id) == 0) {
      values.set(id, null); // nobody here needs it (its consumers run elsewhere and got it otherwise)
    }
    for (int d : ds) {
      release(d);
    }
    if (recordEvents) {
      long e = System.nanoTime();
      synchronized (stats.events) {
        stats.events.add(new ExecutionStats.TaskEvent(t.label(), slot, s - t0, e - t0));
      }
    }
    if (progress != null) {
      progress.taskDone();
    }
  }

  private void release(int id) {
    if (uses.decrementAndGet(id) == 0) {
      drop(values.getAndSet(id, null));
    }
  }

  /** A value as tasks see it: a received one still in its bytes is decoded now (once). */
  private static Object resolve(Object v) {
    return v instanceof ValueCodec.Deferred d ? d.get() : v;
  }

  private static void drop(Object v) {
    if (v instanceof ValueCodec.Deferred d) {
      d.drop();
    }
  }

  /**
   * Bytes of received values left undecoded per exchange (a quarter of the maximum heap, which is
   * also the default limit of direct memory): beyond it, values are decoded as they arrive and their
   * round's memory is reused by the next round, so a shuffle larger than direct memory still runs.
   */
  static final long DEFER_BUDGET = Runtime.getRuntime().maxMemory() / 4;

  /** Bytes left undecoded by the current exchange. */
  private long deferred;

  /**
   * Memory received values stay in until tasks decode them (direct, reused from exchange to
   * exchange, under MPI; fresh heap buffers for the thread backend, which copies anyway). It keeps
   * at most a sixteenth of the maximum heap idle (a shuffle of 100 M rows on 2 ranks receives
   * 14 rounds of 16 MiB per rank): the next shuffle starts from warm memory, and one very large
   * shuffle does not hold its whole volume for the rest of the job.
   */
  static final io.rankwise.comm.DirectBufferPool RECEIVED =
      new io.rankwise.comm.DirectBufferPool(Runtime.getRuntime().maxMemory() / 16);

  // ---- exchange --------------------------------------------------------------------------------

  /** Bytes a rank sends in one round of an exchange (its buffers are reused from round to round). */
  static final long DEFAULT_ROUND_BYTES = 32L << 20;

  /** {@code -Drankwise.exchangeRoundBytes}: the round size, from 1 KiB to 1 GiB (default 32 MiB). */
  static long roundBytes() {
    return Math.min(1L << 30, Math.max(1024, Long.getLong("rankwise.exchangeRoundBytes", DEFAULT_ROUND_BYTES)));
  }

  /**
   * Sends this rank's outputs of {@code level} to the ranks that need them; returns bytes out/in,
   * the number of rounds, and the nanoseconds spent encoding and packing, in the all-to-alls, and
   * decoding.
   * Large exchanges go in rounds of about {@link #roundBytes} per rank (whole values, at least one
   * per destination per round): the send buffer of one round is reused by the next. Each round is
   * received into memory kept from {@link #RECEIVED}; large bulk values stay in it until a task
   * decodes them (up to {@link #DEFER_BUDGET} bytes per exchange, beyond which they are decoded
   * at once), and it goes back to the pool when the last of them is done.
   */
  private long[] exchange(int[] mineAtLevel) {
    deferred = 0;
    long t = System.nanoTime();
    long packing = 0;
    long transfer = 0;
    long decoding = 0;
    int size = comm.size();
    ValueCodec codec = new ValueCodec();
    ValueCodec.Message[] msgs = new ValueCodec.Message[size];
    for (int d = 0; d < size; d++) {
      msgs[d] = new ValueCodec.Message();
    }
    RuntimeException failure = null;
    try {
      for (int id : mineAtLevel) {
        if (p.sendTo[id].length == 0) {
          continue;
        }
        Object enc = codec.encode(values.get(id), p.tasks[id], rank);
        for (int dest : p.sendTo[id]) {
          msgs[dest].add(id, enc);
        }
      }
    } catch (RuntimeException e) {
      failure = e;
    } catch (Error e) { // e.g. OOM materializing a large value: still agreed on, never a hang
      failure = new GraphException("rank " + rank + " could not encode its outputs: " + e, e);
    }
    int[][] cuts = new int[size][];
    int rounds = 1;
    if (failure == null) {
      long perDest = Math.max(1, roundBytes() / size);
      for (int d = 0; d < size; d++) {
        cuts[d] = msgs[d].rounds(perDest);
        rounds = Math.max(rounds, cuts[d].length - 1);
      }
    }
    // the first round packed straight into one send buffer (direct and reused under MPI: no
    // copies) before the ranks agree: a failure here (a round too large for one buffer, out of
    // direct memory, a bulk codec that writes more than it announced) is agreed on like an
    // encoding failure, never a rank missing the exchange
    int[] counts = new int[size];
    ByteBuffer packed = null;
    if (failure == null) {
      try {
        packed = pack(msgs, cuts, 0, counts);
      } catch (RuntimeException e) {
        failure = e;
      } catch (Error e) {
        failure = new GraphException("rank " + rank + " could not pack its outputs: " + e, e);
      }
    }
    long[] bytes = new long[6];
    RuntimeException packFailure = null;
    packing += System.nanoTime() - t;
    boolean direct = comm.receivesInPlace();
    try {
      rounds = (int) agree(failure, rounds);
      for (int r = 0; r < rounds; r++) {
        t = System.nanoTime();
        if (r > 0) {
          if (packFailure == null) {
            try {
              packed = pack(msgs, cuts, r, counts);
            } catch (RuntimeException | Error e) {
              packFailure = new GraphException("rank " + rank + " could not pack round " + (r + 1) + " of " + rounds
                  + " of an exchange: " + (e instanceof GraphException ? e.getMessage() : e.toString()), e);
            }
          }
          if (packFailure != null) { // the others still wait for this rank's part of every round
            java.util.Arrays.fill(counts, 0);
            packed = comm.acquireSendBuffer(0);
          }
        }
        ByteBuffer[] recv;
        ByteBuffer[] memory = new ByteBuffer[1];
        long t1 = System.nanoTime();
        packing += t1 - t;
        try {
          recv = comm.allToAllV(packed, counts, n -> memory[0] = direct ? RECEIVED.acquire(n) : ByteBuffer.allocate(n));
        } catch (RuntimeException | Error e) {
          if (direct && memory[0] != null) {
            RECEIVED.release(memory[0]); // nothing was read from it
          }
          throw e;
        } finally {
          comm.releaseSendBuffer(packed);
          packed = null;
        }
        long t2 = System.nanoTime();
        transfer += t2 - t1;
        for (int c : counts) {
          bytes[0] += c;
        }
        ValueCodec.Kept kept = new ValueCodec.Kept(memory[0], direct ? RECEIVED : null);
        try {
          bytes[1] += decode(codec, recv, kept);
        } finally {
          kept.release(); // this exchange's hold: the memory is reused once its deferred values are done too
        }
        decoding += System.nanoTime() - t2;
      }
    } finally {
      if (packed != null) {
        comm.releaseSendBuffer(packed);
      }
    }
    if (rounds > 1) {
      agree(packFailure, 1); // a rank that could not pack a later round says so before anyone goes on
    }
    bytes[2] = rounds;
    bytes[3] = packing;
    bytes[4] = transfer;
    bytes[5] = decoding;
    return bytes;
  }

  /**
   * Round {@code r}'s entries for every destination packed into one send buffer, with their byte
   * counts in {@code counts}.
   */
  private ByteBuffer pack(ValueCodec.Message[] msgs, int[][] cuts, int r, int[] counts) {
    long total = 0;
    for (int d = 0; d < msgs.length; d++) {
      int[] c = cuts[d];
      counts[d] = 0;
      if (r + 1 < c.length) {
        long b = msgs[d].bytes(c[r], c[r + 1]);
        if (b > Integer.MAX_VALUE - 64) {
          throw new GraphException("rank " + rank + " would send one value of " + b + " bytes, more than one "
              + "buffer holds (2 GiB): use more partitions or more ranks");
        }
        counts[d] = (int) b;
        total += b;
      }
    }
    if (total > Integer.MAX_VALUE - 64) {
      throw new GraphException("rank " + rank + " would send " + total + " bytes in one round of an exchange, "
          + "more than one buffer holds (2 GiB): use more partitions or more ranks");
    }
    ByteBuffer packed = comm.acquireSendBuffer(total).order(java.nio.ByteOrder.BIG_ENDIAN);
    try {
      for (int d = 0; d < msgs.length; d++) {
        int[] c = cuts[d];
        if (r + 1 < c.length) {
          msgs[d].writeTo(packed, c[r], c[r + 1]);
        }
      }
      packed.flip();
      return packed;
    } catch (RuntimeException | Error e) {
      comm.releaseSendBuffer(packed);
      throw e;
    }
  }

  /**
   * Decodes one round's received entries into {@link #values}, large bulk values deferred to the
   * tasks that use them; returns the bytes received.
   */
  private long decode(ValueCodec codec, ByteBuffer[] recv, ValueCodec.Kept kept) {
    long in = 0;
    List<int[]> received = new ArrayList<>();
    try {
      for (int src = 0; src < recv.length; src++) {
        in += recv[src].remaining();
        int source = src;
        ValueCodec.entries(recv[src], (id, bytes) -> {
          boolean defer = deferred + bytes.remaining() <= DEFER_BUDGET;
          Object v = codec.decodeOrDefer(bytes, p.tasks[id], source, rank, defer ? kept : null);
          if (v instanceof ValueCodec.Deferred) {
            deferred += bytes.remaining();
          }
          values.set(id, v);
          received.add(new int[] {id});
        });
      }
    } catch (RuntimeException e) {
      if (pending == null) {
        pending = e; // shared with the other ranks at the next agreement
      }
    } catch (Error e) {
      if (pending == null) {
        pending = new GraphException("rank " + rank + " could not decode received outputs: " + e, e);
      }
    }
    for (int[] r : received) {
      if (uses.get(r[0]) == 0) {
        drop(values.getAndSet(r[0], null)); // nothing here needs it after all
      }
    }
    return in;
  }

  /**
   * Collective: every rank learns whether any rank failed. The lowest failing rank's message is
   * broadcast; it rethrows its own exception, the others throw {@link RemoteFailureException}.
   */
  private void agree(RuntimeException local) {
    agree(local, 0);
  }

  /**
   * {@link #agree(RuntimeException)} that also returns the largest {@code value} (&ge; 0) of all
   * ranks, in the same collective.
   */
  private long agree(RuntimeException local, long value) {
    if (comm.size() == 1) {
      if (local != null) {
        throw local;
      }
      return value;
    }
    long[] first = {local == null ? Long.MAX_VALUE : rank, -value};
    comm.allReduce(first, ReduceOp.MIN);
    if (first[0] == Long.MAX_VALUE) {
      return -first[1];
    }
    int src = (int) first[0];
    byte[] msg = comm.broadcastBytes(src == rank ? String.valueOf(local.getMessage())
        .getBytes(java.nio.charset.StandardCharsets.UTF_8) : null, src);
    if (local != null) {
      throw local;
    }
    throw new RemoteFailureException(src, new String(msg, java.nio.charset.StandardCharsets.UTF_8));
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  /** Checks that every rank planned the same graph, so a mismatch fails loudly instead of hanging. */
  static void checkSamePlan(Communicator comm, Plan plan) {
    if (comm.size() == 1) {
      return;
    }
    long[] f = {plan.fingerprint, -plan.fingerprint, plan.tasks.length, -plan.tasks.length};
    comm.allReduce(f, ReduceOp.MAX);
    if (f[0] != plan.fingerprint || f[1] != -plan.fingerprint || f[2] != plan.tasks.length) {
      throw new GraphException("ranks built different task graphs (rank " + comm.rank() + " has " + plan.tasks.length
          + " tasks, the largest graph has " + f[2] + "): every rank must create the same collections in the "
          + "same order (SPMD); do not build graphs inside 'if (rank == ...)'");
    }
  }
}
