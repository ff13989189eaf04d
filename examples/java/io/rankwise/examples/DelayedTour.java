package io.rankwise.examples;

import io.rankwise.delayed.Delayed;
import io.rankwise.runtime.Driver;
import io.rankwise.runtime.Session;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tutorial's dask.delayed example, done right: build the whole graph first (20 × inc, dec,
 * add with random sleeps), compute it once, and compare with running the same calls serially.
 *
 * <pre>
 *   bin/rankwise run -n 2 -t 4 DelayedTour            # 2 ranks × 4 threads
 *   bin/rankwise run -n 2 -t 4 DelayedTour 20 0.2     # items, mean sleep in seconds
 *   bin/rankwise run -n 2 DelayedTour 20 0.5 graph.svg   # also draw the graph
 * </pre>
 *
 * The tutorial's version calls {@code inc(i)} eagerly and computes each item separately, so
 * nothing runs in parallel. Here every call only adds a task; one {@code computeAll} runs all 60
 * tasks over ranks × threads. Sleeps are pseudo-random but derived from the arguments, so every
 * run (and every rank count) does the same work and gives the same results.
 */
public final class DelayedTour implements Driver {
  /** Mean sleep in seconds; the tutorial sleeps random.random() s, i.e. 0.5 s on average. */
  public static volatile double meanSleep = 0.5;

  static int inc(int x) throws InterruptedException {
    nap("inc", x);
    return x + 1;
  }

  static int dec(int x) throws InterruptedException {
    nap("dec", x);
    return x - 1;
  }

  static int add(int x, int y) throws InterruptedException {
    nap("add", x * 31 + y);
    return x + y;
  }

  /** Sleep in [0, 2·mean) s, a fixed function of (operation, argument). */
  public static double sleepSeconds(String op, int arg) {
    long h = (op.hashCode() * 0x9E3779B97F4A7C15L) ^ (arg * 0xC2B2AE3D27D4EB4FL);
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    h ^= h >>> 32;
    return (h >>> 11) / (double) (1L << 53) * 2 * meanSleep;
  }

  static void nap(String op, int arg) throws InterruptedException {
    Thread.sleep(Math.round(sleepSeconds(op, arg) * 1000));
  }

  @Override
  public void run(Session s, String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    meanSleep = args.length > 1 ? Double.parseDouble(args[1]) : 0.5;

    var dInc = Delayed.delayed(DelayedTour::inc);
    var dDec = Delayed.delayed(DelayedTour::dec);
    var dAdd = Delayed.delayed(DelayedTour::add);
    boolean hints = !Boolean.getBoolean("tour.noCostHints");
    List<Delayed<Integer>> zs = new ArrayList<>();
    double serial = 0;
    for (int i = 0; i < n; i++) {
      // Cost hints (the sleeps are known here) let the planner balance ranks, which cannot steal
      // work from each other; -Dtour.noCostHints=true shows the run without them.
      Delayed<Integer> x = (hints ? dInc.withCost(sleepSeconds("inc", i)) : dInc).apply(i);
      Delayed<Integer> y = (hints ? dDec.withCost(sleepSeconds("dec", i + 1)) : dDec).apply(x);
      zs.add((hints ? dAdd.withCost(sleepSeconds("add", (i + 1) * 31 + i)) : dAdd).apply(x, y));
      // What the same calls cost one after another (the sleeps are known in advance).
      serial += sleepSeconds("inc", i) + sleepSeconds("dec", i + 1) + sleepSeconds("add", (i + 1) * 31 + i);
    }
    if (args.length > 2) {
      Path pic = zs.get(0).visualize(Path.of(args[2]), true);
      s.out().println("graph of item 0 written to " + pic);
    }

    long t0 = System.nanoTime();
    List<Integer> results = Delayed.computeAll(zs);
    double wall = (System.nanoTime() - t0) / 1e9;

    s.out().println(results);
    int workers = s.size() * s.config().threadsPerRank();
    s.out().printf(Locale.ROOT, "%d tasks on %d ranks x %d threads: %.2f s; serially %.2f s of sleep "
        + "(speed-up %.1fx; ideal %.2f s, %.0f%% of ideal)%n", 3 * n, s.size(), s.config().threadsPerRank(),
        wall, serial, serial / wall, serial / workers, 100 * (serial / workers) / wall);
  }
}
