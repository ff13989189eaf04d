package io.rankwise.graph;

import io.rankwise.comm.Communicator;
import io.rankwise.comm.ReduceOp;
import io.rankwise.runtime.Session;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

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
      long[] bytes = new long[2];
      if (p.levelHasTransfer[last]) {
        agree(failure);
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
      stats.steps.add(new ExecutionStats.Step(level, last, step.length, c1 - c0, c2 - c1, bytes[0], bytes[1]));
      stats.peakHeapBytes = Math.max(stats.peakHeapBytes, usedHeap());
      if (progress != null) {
        progress.stepDone(last + 1, p.levels);
      }
      level = last + 1;
    }
    agree(pending);
    stats.totalNanos = System.nanoTime() - t0;
    Object[] out = new Object[p.outputs.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = delivered[p.outputs[k]] ? values.get(p.outputs[k]) : null;
    }
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
   * Runs {@code step} (this rank's tasks of the superstep, in level order). One thread: in order.
   * Several: a task is handed out once all its inputs from this superstep are done.
   */
  private void runLocal(int[] step, int lastLevel) {
    int threads = Math.min(session.config().threadsPerRank(), Math.max(1, step.length));
    if (threads == 1) {
      for (int id : step) {
        runTask(id, 0);
      }
      return;
    }
    int firstLevel = step.length == 0 ? 0 : p.level[step[0]];
    AtomicIntegerArray pending = new AtomicIntegerArray(p.tasks.length);
    AtomicIntegerArray ready = new AtomicIntegerArray(step.length);
    AtomicInteger tail = new AtomicInteger();
    for (int k = 0; k < step.length; k++) {
      ready.set(k, -1);
    }
    List<Integer> initial = new ArrayList<>();
    for (int id : step) {
      int n = 0;
      for (int d : p.deps[id]) {
        if (p.owner[d] == rank && p.level[d] >= firstLevel) {
          n++;
        }
      }
      pending.set(id, n);
      if (n == 0) {
        initial.add(id);
      }
    }
    // Longest chains first: the heaviest work starts early, the short tasks fill the gaps.
    initial.sort((a, b) -> Double.compare(p.weight[b], p.weight[a]));
    for (int id : initial) {
      ready.set(tail.getAndIncrement(), id);
    }
    AtomicInteger head = new AtomicInteger();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(threads - 1);
    for (int w = 1; w < threads; w++) {
      int slot = w;
      session.taskThreads().execute(() -> {
        try {
          work(step.length, slot, ready, head, tail, pending, lastLevel, failure);
        } finally {
          done.countDown();
        }
      });
    }
    work(step.length, 0, ready, head, tail, pending, lastLevel, failure);
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GraphException("interrupted while waiting for worker threads", e);
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  /** Takes tickets in order; ticket k runs the k-th task to become ready. */
  private void work(int total, int slot, AtomicIntegerArray ready, AtomicInteger head, AtomicInteger tail,
      AtomicIntegerArray pending, int lastLevel, AtomicReference<RuntimeException> failure) {
    while (failure.get() == null) {
      int ticket = head.getAndIncrement();
      if (ticket >= total) {
        return;
      }
      int id;
      int spins = 0;
      while ((id = ready.get(ticket)) < 0) {
        if (failure.get() != null) {
          return;
        }
        if (Thread.currentThread().isInterrupted()) {
          failure.compareAndSet(null, new GraphException("interrupted while waiting for tasks"));
          return;
        }
        if (++spins < 200) {
          Thread.onSpinWait();
        } else {
          LockSupport.parkNanos(20_000);
        }
      }
      try {
        runTask(id, slot);
      } catch (RuntimeException e) {
        failure.compareAndSet(null, e);
        return;
      } catch (Throwable e) { // an Error (OOM, say): fail the compute instead of losing the ticket
        failure.compareAndSet(null, new TaskFailedException(p.tasks[id].key(), p.tasks[id].label(), rank,
            comm.size(), e));
        return;
      }
      for (int c : p.consumers[id]) {
        if (p.owner[c] == rank && p.level[c] <= lastLevel && pending.decrementAndGet(c) == 0) {
          ready.set(tail.getAndIncrement(), c);
        }
      }
    }
  }

  private void runTask(int id, int slot) {
    Task t = p.tasks[id];
    int[] ds = p.deps[id];
    Object[] in = new Object[ds.length];
    for (int j = 0; j < ds.length; j++) {
      in[j] = values.get(ds[j]);
    }
    long s = recordEvents ? System.nanoTime() : 0;
    Object v;
    try {
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
      values.set(id, null);
    }
  }

  // ---- exchange --------------------------------------------------------------------------------

  /** Sends this rank's outputs of {@code level} to the ranks that need them; returns bytes out/in. */
  private long[] exchange(int[] mineAtLevel) {
    int size = comm.size();
    ValueCodec codec = new ValueCodec();
    ValueCodec.Message[] msgs = new ValueCodec.Message[size];
    for (int d = 0; d < size; d++) {
      msgs[d] = new ValueCodec.Message();
    }
    RuntimeException encodeFailure = null;
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
      encodeFailure = e;
    } catch (Error e) { // e.g. OOM materializing a large value: still agreed on, never a hang
      encodeFailure = new GraphException("rank " + rank + " could not encode its outputs: " + e, e);
    }
    agree(encodeFailure);
    ByteBuffer[] send = new ByteBuffer[size];
    long out = 0;
    for (int d = 0; d < size; d++) {
      send[d] = msgs[d].finish();
      out += send[d].remaining();
    }
    ByteBuffer[] recv = comm.allToAllV(send);
    long in = 0;
    List<int[]> received = new ArrayList<>();
    try {
      for (int src = 0; src < size; src++) {
        in += recv[src].remaining();
        int source = src;
        ValueCodec.entries(recv[src], (id, bytes) -> {
          values.set(id, codec.decode(bytes, p.tasks[id], source, rank));
          received.add(new int[] {id});
        });
      }
    } catch (RuntimeException e) {
      pending = e; // shared with the other ranks at the next agreement
    } catch (Error e) {
      pending = new GraphException("rank " + rank + " could not decode received outputs: " + e, e);
    }
    for (int[] r : received) {
      if (uses.get(r[0]) == 0) {
        values.set(r[0], null); // nothing here needs it after all
      }
    }
    return new long[] {out, in};
  }

  /**
   * Collective: every rank learns whether any rank failed. The lowest failing rank's message is
   * broadcast; it rethrows its own exception, the others throw {@link RemoteFailureException}.
   */
  private void agree(RuntimeException local) {
    if (comm.size() == 1) {
      if (local != null) {
        throw local;
      }
      return;
    }
    long[] first = {local == null ? Long.MAX_VALUE : rank};
    comm.allReduce(first, ReduceOp.MIN);
    if (first[0] == Long.MAX_VALUE) {
      return;
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
