package io.rankwise.graph;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A progress display on rank 0: a bar redrawn in place on a terminal, a plain line every
 * {@value #BATCH_INTERVAL_SECONDS} s in a batch log. Levels are global (ranks finish levels
 * together); task counts are rank 0's own share, which is exact and cheap to know.
 */
final class Progress implements AutoCloseable {
  static final int BATCH_INTERVAL_SECONDS = 10;

  private final PrintStream out;
  private final boolean terminal;
  private final int myTasks;
  private final AtomicInteger done = new AtomicInteger();
  private volatile int levelsDone;
  private volatile int levels;
  private final long start = System.nanoTime();
  private final Thread painter;
  private volatile boolean running = true;

  Progress(PrintStream out, boolean terminal, int myTasks, int levels) {
    this.out = out;
    this.terminal = terminal;
    this.myTasks = myTasks;
    this.levels = levels;
    long periodMillis = terminal ? 250 : BATCH_INTERVAL_SECONDS * 1000L;
    painter = new Thread(() -> {
      while (running) {
        try {
          Thread.sleep(periodMillis);
        } catch (InterruptedException e) {
          return;
        }
        if (running) {
          paint(false);
        }
      }
    }, "rankwise-progress");
    painter.setDaemon(true);
    painter.start();
  }

  void taskDone() {
    done.incrementAndGet();
  }

  void stepDone(int levelsDone, int levels) {
    this.levelsDone = levelsDone;
    this.levels = levels;
  }

  String line() {
    double frac = myTasks == 0 ? (levels == 0 ? 1 : (double) levelsDone / levels) : (double) done.get() / myTasks;
    double elapsed = (System.nanoTime() - start) / 1e9;
    int width = 30;
    int filled = (int) Math.round(frac * width);
    String eta = frac > 0.02 && frac < 1 ? String.format(Locale.ROOT, " ETA %.1fs", elapsed / frac - elapsed) : "";
    return String.format(Locale.ROOT, "[%s%s] %3.0f%% | level %d/%d | rank 0 tasks %d/%d | %.1fs%s",
        "#".repeat(filled), " ".repeat(width - filled), frac * 100, levelsDone, levels, done.get(), myTasks,
        elapsed, eta);
  }

  private synchronized void paint(boolean last) {
    if (terminal) {
      out.print("\r" + line() + (last ? "\n" : ""));
    } else {
      out.println("rankwise progress: " + line());
    }
    out.flush();
  }

  @Override
  public void close() {
    running = false;
    painter.interrupt();
    paint(true);
  }
}
