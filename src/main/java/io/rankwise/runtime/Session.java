package io.rankwise.runtime;

import io.rankwise.comm.Communicator;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What a driver sees of the runtime on its rank: the communicator, the configuration, a thread
 * pool of {@code threadsPerRank} workers, and output helpers so that by default only rank 0
 * prints results while logs carry the rank.
 */
public final class Session implements AutoCloseable {
  /** The session of the rank a thread works for; threads a rank starts inherit it. */
  private static final InheritableThreadLocal<Session> CURRENT = new InheritableThreadLocal<>();

  private final Communicator comm;
  private final AtomicLong names = new AtomicLong();
  private final Map<Class<?>, Object> attributes = new ConcurrentHashMap<>();
  private final List<Runnable> closeHooks = new ArrayList<>();
  private final RankConfig config;
  private final RankLog log;
  private final PrintStream out;
  private ExecutorService workers;
  private ExecutorService taskThreads;

  public Session(Communicator comm, RankConfig config, PrintStream stdout, PrintStream stderr) {
    this.comm = comm;
    this.config = config;
    this.log = new RankLog(comm.rank(), comm.size(), stderr);
    this.out = comm.rank() == 0 ? stdout : new PrintStream(OutputStream.nullOutputStream());
    CURRENT.set(this);
  }

  /**
   * The session of the calling rank: lazy collections find their runtime here, so that user code
   * does not pass the session around.
   *
   * @throws IllegalStateException outside a driver (no rank is running on this thread)
   */
  public static Session current() {
    Session s = CURRENT.get();
    if (s == null) {
      throw new IllegalStateException("no Rankwise session on thread " + Thread.currentThread().getName()
          + ": collections are built inside a Driver's run(Session, String[]), started by bin/rankwise");
    }
    return s;
  }

  /**
   * A name for a new collection, {@code prefix-N}. Every rank builds the same collections in the
   * same order (SPMD), so every rank gets the same names, which keys the same tasks everywhere.
   */
  public String nextName(String prefix) {
    return prefix + "-" + names.incrementAndGet();
  }

  /** A per-session object of {@code type}, created on first request. */
  public <T> T attribute(Class<T> type, Supplier<T> create) {
    return type.cast(attributes.computeIfAbsent(type, k -> create.get()));
  }

  /**
   * Runs {@code hook} when the driver returns normally, before output is flushed. Hooks may make
   * collective calls: every rank runs the same hooks in the same order.
   */
  public synchronized void onClose(Runnable hook) {
    closeHooks.add(hook);
  }

  /** Runs the close hooks (collective); called by the runtime after the driver returned. */
  public void finish() {
    List<Runnable> hooks;
    synchronized (this) {
      hooks = new ArrayList<>(closeHooks);
      closeHooks.clear();
    }
    for (Runnable h : hooks) {
      h.run();
    }
  }

  /**
   * Collective: after a step that may fail on some ranks (a file written in turns, say), every
   * rank learns whether any rank failed, so that all fail together instead of some waiting in the
   * next collective. The failing rank throws its own error, the others {@code elsewhere}'s.
   */
  public void agreeOnFailure(RuntimeException mine, java.util.function.Supplier<RuntimeException> elsewhere) {
    long[] failed = {mine == null ? 0 : 1};
    comm().allReduce(failed, io.rankwise.comm.ReduceOp.SUM);
    if (mine != null) {
      throw mine;
    }
    if (failed[0] > 0) {
      throw elsewhere.get();
    }
  }

  public Communicator comm() {
    return comm;
  }

  public int rank() {
    return comm.rank();
  }

  public int size() {
    return comm.size();
  }

  public boolean isRoot() {
    return comm.rank() == 0;
  }

  public RankConfig config() {
    return config;
  }

  public RankLog log() {
    return log;
  }

  /** Standard output on rank 0; a sink on the other ranks. */
  public PrintStream out() {
    return out;
  }

  /**
   * Collective: every rank contributes one line (or several, newline-separated) and rank 0 prints
   * them in rank order, so output does not depend on process scheduling.
   */
  public void printOrdered(String text) {
    byte[][] all = comm.gather(text.getBytes(StandardCharsets.UTF_8), 0);
    if (all != null) {
      for (byte[] line : all) {
        out.println(new String(line, StandardCharsets.UTF_8));
      }
      out.flush();
    }
  }

  /** A worker pool for the driver's own use ({@code threadsPerRank} daemon threads), created on first use. */
  public synchronized ExecutorService workers() {
    if (workers == null) {
      workers = pool("w");
    }
    return workers;
  }

  /** The threads the task executor runs on; separate from {@link #workers()} so drivers cannot starve it. */
  public synchronized ExecutorService taskThreads() {
    if (taskThreads == null) {
      taskThreads = pool("t");
    }
    return taskThreads;
  }

  private ExecutorService pool(String kind) {
    AtomicInteger n = new AtomicInteger();
    int rank = comm.rank();
    ThreadFactory tf = r -> {
      Thread t = new Thread(r, "rankwise-r" + rank + "-" + kind + n.getAndIncrement());
      t.setDaemon(true);
      return t;
    };
    return Executors.newFixedThreadPool(config.threadsPerRank(), tf);
  }

  @Override
  public synchronized void close() {
    if (CURRENT.get() == this) {
      CURRENT.remove();
    }
    out.flush();
    if (workers != null) {
      workers.shutdownNow();
    }
    if (taskThreads != null) {
      taskThreads.shutdownNow();
    }
  }
}
