package io.rankwise.runtime;

/** Drivers that misbehave on purpose, started through bin/rankwise by the failure tests. */
public final class TestDrivers {
  private TestDrivers() {}

  /** Rank 1 throws while every other rank waits in a barrier. */
  public static final class ThrowOnRank1 implements Driver {
    @Override
    public void run(Session s, String[] args) throws Exception {
      if (s.rank() == 1) {
        Thread.sleep(300);
        throw new IllegalStateException("boom on purpose (rank 1)");
      }
      s.comm().barrier();
      s.out().println("unreachable: the barrier completed");
    }
  }

  /** Rank 0 never reaches the barrier; --timeout must end the job. */
  public static final class HangOnRank0 implements Driver {
    @Override
    public void run(Session s, String[] args) throws Exception {
      if (s.rank() == 0) {
        Thread.sleep(600_000);
      }
      s.comm().barrier();
    }
  }

  /** A worker thread of the last rank dies with an uncaught exception while rank 0 waits. */
  public static final class WorkerThreadDies implements Driver {
    @Override
    public void run(Session s, String[] args) throws Exception {
      if (s.rank() == s.size() - 1) {
        Thread t = new Thread(() -> {
          throw new ArithmeticException("worker failure on purpose");
        }, "my-worker");
        t.start();
        t.join();
        Thread.sleep(20_000);
      }
      s.comm().barrier();
    }
  }

  /** Prints its arguments: shows that options after the driver class reach the driver. */
  public static final class EchoArgs implements Driver {
    @Override
    public void run(Session s, String[] args) {
      s.out().println("args=" + String.join("|", args) + " threads=" + s.config().threadsPerRank());
    }
  }

  /** Not a driver. */
  public static final class NotADriver {}
}
