package io.rankwise.runtime;

import java.util.List;

/** Drivers that misbehave on purpose, started through bin/rankwise by the failure tests. */
public final class TestDrivers {
  private TestDrivers() {}

  /** Rank 1 throws while every other rank waits in a barrier. */
  /** Prints how many rank JVMs stop at the fast JIT (run --jit quick), of how many. */
  public static final class JitMode implements Driver {
    @Override
    public void run(Session s, String[] args) {
      boolean quick = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
          .contains("-XX:TieredStopAtLevel=1");
      long[] count = {quick ? 1 : 0};
      s.comm().allReduce(count, io.rankwise.comm.ReduceOp.SUM);
      s.out().println("quick-jit ranks " + count[0] + " of " + s.size());
    }
  }

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

  /** One task of a 20-task graph throws. */
  public static final class TaskThrows implements Driver {
    @Override
    public void run(Session s, String[] args) {
      List<io.rankwise.delayed.Delayed<Integer>> xs = new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) {
        int ii = i;
        xs.add(io.rankwise.delayed.Delayed.call("boom", () -> {
          if (ii == 13) {
            throw new IllegalArgumentException("bad input 13 on purpose");
          }
          return ii;
        }));
      }
      io.rankwise.delayed.Delayed.computeAll(xs);
    }
  }

  /** A value holding a lambda (code, not data) must travel to the other rank. */
  public static final class UnserializableValue implements Driver {
    /** Kryo cannot rebuild the lambda on the receiving side (its class has no name there). */
    public static final class HoldsCode {
      final java.util.function.IntUnaryOperator f;

      public HoldsCode(java.util.function.IntUnaryOperator f) {
        this.f = f;
      }
    }

    @Override
    public void run(Session s, String[] args) {
      int k = args.length + 3;
      io.rankwise.delayed.Delayed.call("opaque", () -> new HoldsCode(x -> x + k)).compute();
    }
  }

  /**
   * A value whose bulk codec writes more than it announces, travelling after other values in an
   * exchange of several rounds (run with -Drankwise.exchangeRoundBytes=1024): packing a later
   * round fails on one rank while the others wait in that round.
   */
  public static final class BulkLiarInALaterRound implements Driver {
    /** Announces 16 bytes, writes 24. */
    public static final class Liar {
      static {
        io.rankwise.graph.BulkCodec.register(Liar.class, new io.rankwise.graph.BulkCodec<Liar>() {
          @Override
          public boolean accepts(Liar value) {
            return true;
          }

          @Override
          public int size(Liar value) {
            return 16;
          }

          @Override
          public void write(Liar value, java.nio.ByteBuffer out) {
            out.putLong(1).putLong(2).putLong(3);
          }

          @Override
          public Liar read(java.nio.ByteBuffer in) {
            return new Liar();
          }
        });
      }
    }

    @Override
    public void run(Session s, String[] args) {
      java.util.List<io.rankwise.delayed.Delayed<Object>> all = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        int n = 600 + i;
        all.add(io.rankwise.delayed.Delayed.call("big", () -> (Object) new byte[n]));
      }
      all.add(io.rankwise.delayed.Delayed.call("liar", () -> (Object) new Liar()));
      io.rankwise.delayed.Delayed.computeAll(all);
    }
  }

  /**
   * Large values whose bulk codec cannot read them back: they stay undecoded in the received
   * memory until a task (or the caller) needs them, and the failure then still ends every rank.
   */
  public static final class BulkUnreadable implements Driver {
    public static final class Unreadable {
      final int n;

      Unreadable(int n) {
        this.n = n;
      }

      static {
        io.rankwise.graph.BulkCodec.register(Unreadable.class, new io.rankwise.graph.BulkCodec<Unreadable>() {
          @Override
          public boolean accepts(Unreadable value) {
            return true;
          }

          @Override
          public int size(Unreadable value) {
            return value.n;
          }

          @Override
          public void write(Unreadable value, java.nio.ByteBuffer out) {
            out.position(out.position() + value.n);
          }

          @Override
          public Unreadable read(java.nio.ByteBuffer in) {
            throw new IllegalArgumentException("unreadable on purpose");
          }
        });
      }
    }

    @Override
    public void run(Session s, String[] args) {
      java.util.List<io.rankwise.delayed.Delayed<Unreadable>> us = new java.util.ArrayList<>();
      for (int i = 0; i < 6; i++) {
        int n = 100_000 + i;
        us.add(io.rankwise.delayed.Delayed.call("unreadable", () -> new Unreadable(n)));
      }
      io.rankwise.delayed.Delayed.Fn2<Unreadable, Unreadable, Integer> both =
          io.rankwise.delayed.Delayed.delayed((Unreadable a, Unreadable b) -> a.n + b.n);
      java.util.List<io.rankwise.delayed.Delayed<Integer>> all = new java.util.ArrayList<>();
      for (int i = 0; i < 6; i++) { // pairs of values made on different ranks
        all.add(both.apply(us.get(i), us.get((i + 1) % 6)));
      }
      io.rankwise.delayed.Delayed.computeAll(all);
    }
  }

  /**
   * Large values that rank 1 cannot read back (rank 0 can), and every rank catches the failure and
   * goes on: {@code output} delivers them to every rank as outputs (the codec throws); {@code error}
   * has their codec throw an OutOfMemoryError inside the tasks that need them. Run with one thread
   * per rank (decoding then happens on the driver's thread, which knows its rank). Prints what each
   * rank caught, then a collective proves the ranks are still in step.
   */
  public static final class DeferredFailureCaught implements Driver {
    public static final class Picky {
      final int n;

      Picky(int n) {
        this.n = n;
      }

      static {
        io.rankwise.graph.BulkCodec.register(Picky.class, new io.rankwise.graph.BulkCodec<Picky>() {
          @Override
          public boolean accepts(Picky value) {
            return true;
          }

          @Override
          public int size(Picky value) {
            return value.n;
          }

          @Override
          public void write(Picky value, java.nio.ByteBuffer out) {
            out.position(out.position() + value.n);
          }

          @Override
          public Picky read(java.nio.ByteBuffer in) {
            if (Session.current().rank() == 1) {
              if (MODE.get().equals("error")) {
                throw new OutOfMemoryError("exploding on purpose");
              }
              throw new IllegalArgumentException("unreadable on purpose");
            }
            return new Picky(in.remaining());
          }
        });
      }
    }

    static final java.util.concurrent.atomic.AtomicReference<String> MODE =
        new java.util.concurrent.atomic.AtomicReference<>("output");

    @Override
    public void run(Session s, String[] args) {
      MODE.set(args.length == 0 ? "output" : args[0]);
      try {
        java.util.List<io.rankwise.delayed.Delayed<Picky>> ps = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
          int n = 100_000 + i;
          ps.add(io.rankwise.delayed.Delayed.call("picky", () -> new Picky(n)));
        }
        if (MODE.get().equals("output")) {
          io.rankwise.delayed.Delayed.computeAll(ps); // every value delivered to every rank
        } else {
          io.rankwise.delayed.Delayed.Fn2<Picky, Picky, Integer> both =
              io.rankwise.delayed.Delayed.delayed((Picky a, Picky b) -> a.n + b.n);
          java.util.List<io.rankwise.delayed.Delayed<Integer>> all = new java.util.ArrayList<>();
          for (int i = 0; i < 6; i++) { // pairs of values made on different ranks
            all.add(both.apply(ps.get(i), ps.get((i + 1) % 6)));
          }
          io.rankwise.delayed.Delayed.computeAll(all);
        }
        System.out.println("rank " + s.rank() + " caught nothing");
      } catch (RuntimeException e) {
        String m = String.valueOf(e.getMessage()).replace('\n', ' ');
        System.out.println("rank " + s.rank() + " caught " + e.getClass().getSimpleName() + ": "
            + m.substring(0, Math.min(m.length(), 300)));
      }
      long[] one = {1};
      s.comm().allReduce(one, io.rankwise.comm.ReduceOp.SUM);
      System.out.println("rank " + s.rank() + " done " + one[0]);
    }
  }

  /** Rank 1 builds a different graph than the others. */
  public static final class DifferentGraphs implements Driver {
    @Override
    public void run(Session s, String[] args) {
      io.rankwise.delayed.Delayed<Integer> x = io.rankwise.delayed.Delayed.value(1);
      if (s.rank() == 1) {
        x = x.map(v -> v + 1);
      }
      x.compute();
    }
  }

  /** Runs a small graph with --report/--progress. */
  public static final class SmallGraph implements Driver {
    @Override
    public void run(Session s, String[] args) {
      List<io.rankwise.delayed.Delayed<Integer>> xs = new java.util.ArrayList<>();
      for (int i = 0; i < 16; i++) {
        xs.add(io.rankwise.delayed.Delayed.value(i).map(v -> v * v));
      }
      s.out().println("sum=" + io.rankwise.delayed.Delayed.reduce(xs, Integer::sum, 4).compute());
    }
  }

  /** Its static initializer throws, so every rank fails while loading it. */
  public static final class BrokenStaticInit implements Driver {
    static final int VALUE = Integer.parseInt("not a number");

    @Override
    public void run(Session s, String[] args) {
      s.out().println("unreachable " + VALUE);
    }
  }

  /** {@code write FILE} or {@code check FILE}: a seeded array to HDF5, or compared with it. */
  public static final class Hdf5RoundTrip implements Driver {
    @Override
    public void run(Session s, String[] args) {
      java.nio.file.Path file = java.nio.file.Path.of(args[1]);
      io.rankwise.array.DArray x = io.rankwise.array.Da.random(9)
          .normal(0, 1, new long[] {301, 77}, io.rankwise.array.Chunks.of(50, 30));
      if (args[0].equals("write")) {
        io.rankwise.io.Hdf5.write(x, file, "/x");
        s.out().println("written by " + s.size() + " ranks");
        return;
      }
      io.rankwise.array.DArray y = io.rankwise.io.Hdf5.read(file, "/x", io.rankwise.array.Chunks.of(100, 77));
      double[] a = x.compute().toDoubles();
      double[] b = y.compute().toDoubles();
      s.out().println(java.util.Arrays.equals(a, b) ? "identical, read by " + s.size() + " ranks" : "DIFFERENT");
    }
  }

  /** Not a driver. */
  public static final class NotADriver {}
}
