package io.rankwise.runtime;

import io.rankwise.comm.local.LocalWorld;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The local backend: N ranks as threads of this JVM, each with its own driver instance. Used when
 * no MPI is installed, and by fast tests.
 */
public final class LocalLauncher {
  /** How long ranks get to notice an abort before the launcher gives up on them. */
  static final long ABORT_GRACE_MILLIS = 10_000;

  private LocalLauncher() {}

  public static int run(int ranks, RankConfig config, Class<? extends Driver> driverClass, String[] args,
      PrintStream out, PrintStream err) {
    LocalWorld world = new LocalWorld(ranks);
    RankRunner.installUncaughtHandler(driverClass.getName(), err);
    AtomicIntegerArray codes = new AtomicIntegerArray(ranks);
    Thread[] threads = new Thread[ranks];
    for (int r = 0; r < ranks; r++) {
      int rank = r;
      threads[r] = new Thread(() -> {
        var comm = world.communicator(rank);
        Driver driver;
        try {
          driver = DriverLoader.instantiate(driverClass);
        } catch (RuntimeException | Error e) { // e.g. a static initializer that throws
          RankRunner.fail(comm, ExitCodes.FAILED, RankRunner.failureMessage(comm, driverClass.getName(), e), err);
          codes.set(rank, ExitCodes.FAILED);
          return;
        }
        codes.set(rank, RankRunner.run(comm, config, driverClass.getName(), driver, args, out, err));
      }, "rank-" + r);
      threads[r].setDaemon(true);
      threads[r].start();
    }
    long deadline = Long.MAX_VALUE;
    for (Thread t : threads) {
      try {
        while (t.isAlive()) {
          if (world.aborted() && deadline == Long.MAX_VALUE) {
            deadline = System.currentTimeMillis() + ABORT_GRACE_MILLIS;
            // Wake ranks that sleep or wait outside the communicator.
            for (Thread other : threads) {
              other.interrupt();
            }
          }
          long wait = deadline == Long.MAX_VALUE ? 100 : deadline - System.currentTimeMillis();
          if (wait <= 0) {
            err.println("rankwise: rank thread " + t.getName() + " did not stop within "
                + ABORT_GRACE_MILLIS / 1000 + " s of the abort; leaving it behind");
            break;
          }
          t.join(Math.min(wait, 100));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ExitCodes.FAILED;
      }
    }
    out.flush();
    if (world.aborted()) {
      return world.abortCode() == 0 ? ExitCodes.FAILED : world.abortCode();
    }
    for (int r = 0; r < ranks; r++) {
      if (codes.get(r) != ExitCodes.OK) {
        return codes.get(r);
      }
    }
    return ExitCodes.OK;
  }
}
