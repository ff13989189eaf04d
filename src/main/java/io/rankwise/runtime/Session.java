package io.rankwise.runtime;

import io.rankwise.comm.Communicator;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a driver sees of the runtime on its rank: the communicator, the configuration, a thread
 * pool of {@code threadsPerRank} workers, and output helpers so that by default only rank 0
 * prints results while logs carry the rank.
 */
public final class Session implements AutoCloseable {
  private final Communicator comm;
  private final RankConfig config;
  private final RankLog log;
  private final PrintStream out;
  private ExecutorService workers;

  public Session(Communicator comm, RankConfig config, PrintStream stdout, PrintStream stderr) {
    this.comm = comm;
    this.config = config;
    this.log = new RankLog(comm.rank(), comm.size(), stderr);
    this.out = comm.rank() == 0 ? stdout : new PrintStream(OutputStream.nullOutputStream());
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

  /** This rank's worker pool ({@code threadsPerRank} daemon threads), created on first use. */
  public synchronized ExecutorService workers() {
    if (workers == null) {
      AtomicInteger n = new AtomicInteger();
      int rank = comm.rank();
      ThreadFactory tf = r -> {
        Thread t = new Thread(r, "rankwise-r" + rank + "-w" + n.getAndIncrement());
        t.setDaemon(true);
        return t;
      };
      workers = Executors.newFixedThreadPool(config.threadsPerRank(), tf);
    }
    return workers;
  }

  @Override
  public synchronized void close() {
    out.flush();
    if (workers != null) {
      workers.shutdownNow();
    }
  }
}
