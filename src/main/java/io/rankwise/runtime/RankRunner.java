package io.rankwise.runtime;

import io.rankwise.comm.Communicator;
import io.rankwise.comm.RankAbortedException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Timer;
import java.util.TimerTask;

/**
 * Runs a driver on one rank, the same way on every backend: session set-up, the optional timeout
 * watchdog, and the failure path. A failure is reported once, by the rank where it happened, with
 * the rank, the driver and the cause; then the whole job is aborted so no rank waits forever.
 */
public final class RankRunner {
  /** The communicator of the rank a thread works for; threads a rank starts inherit it. */
  private static final InheritableThreadLocal<Communicator> RANK = new InheritableThreadLocal<>();

  private RankRunner() {}

  /**
   * Makes an uncaught exception in any thread of a rank (a worker the driver started, say) fail
   * the job like an exception of the driver itself, instead of dying silently.
   */
  public static void installUncaughtHandler(String driverName, PrintStream err) {
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
      Communicator c = RANK.get();
      if (c == null) {
        err.println("rankwise: uncaught exception in thread " + t.getName() + " outside any rank: " + e);
        return;
      }
      fail(c, ExitCodes.FAILED, failureMessage(c, driverName + " (thread " + t.getName() + ")", e), err);
    });
  }

  /**
   * @return {@link ExitCodes#OK}, or the exit code of the failure (on the MPI backend a failure
   *     does not return: MPI_Abort ends the process)
   */
  public static int run(Communicator comm, RankConfig config, String driverName, Driver driver,
      String[] args, PrintStream out, PrintStream err) {
    RANK.set(comm);
    Timer watchdog = startWatchdog(comm, config, driverName, err);
    try (Session session = new Session(comm, config, out, err)) {
      driver.run(session, args);
      session.finish();
      return ExitCodes.OK;
    } catch (Throwable t) {
      if (comm.aborted() && isCollateral(t) || isRemote(t)) {
        // Another rank failed first and said so; this rank is collateral (the local backend
        // interrupts rank threads after an abort).
        return ExitCodes.FAILED;
      }
      fail(comm, ExitCodes.FAILED, failureMessage(comm, driverName, t), err);
      return ExitCodes.FAILED;
    } finally {
      if (watchdog != null) {
        watchdog.cancel();
      }
    }
  }

  /**
   * True when {@code t} only reflects another rank's abort: a RankAbortedException, or an
   * interrupt (the local backend interrupts rank threads after an abort), anywhere in the chain.
   */
  static boolean isCollateral(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof RankAbortedException || c instanceof InterruptedException) {
        return true;
      }
    }
    return false;
  }

  /** A failure that started on another rank, which reports it and aborts the job. */
  static boolean isRemote(Throwable t) {
    return t instanceof io.rankwise.RankwiseException r && r.reportedElsewhere();
  }

  /** Reports {@code message} on stderr and aborts every rank with {@code code}. */
  public static void fail(Communicator comm, int code, String message, PrintStream err) {
    err.println(message);
    err.flush();
    comm.abort(code, firstLine(message));
  }

  /** "rankwise: rank 1 of 4 failed in driver X: cause", then the stack trace. */
  public static String failureMessage(Communicator comm, String driverName, Throwable t) {
    StringWriter sw = new StringWriter();
    t.printStackTrace(new PrintWriter(sw));
    return "rankwise: rank " + comm.rank() + " of " + comm.size() + " failed in driver " + driverName
        + ": " + t + "\n" + sw.toString().stripTrailing()
        + "\nrankwise: aborting all " + comm.size() + " ranks (failure on rank " + comm.rank() + ")";
  }

  private static Timer startWatchdog(Communicator comm, RankConfig config, String driverName, PrintStream err) {
    if (config.timeoutSeconds() <= 0) {
      return null;
    }
    Timer t = new Timer("rankwise-watchdog", true);
    t.schedule(new TimerTask() {
      @Override
      public void run() {
        fail(comm, ExitCodes.TIMEOUT, "rankwise: rank " + comm.rank() + " of " + comm.size() + ": driver "
            + driverName + " ran past the --timeout of " + config.timeoutSeconds() + " s; aborting all ranks", err);
      }
    }, config.timeoutSeconds() * 1000);
    return t;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
