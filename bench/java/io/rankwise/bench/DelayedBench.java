package io.rankwise.bench;

import io.rankwise.delayed.Delayed;
import io.rankwise.examples.DelayedTour;
import io.rankwise.runtime.Driver;
import io.rankwise.runtime.Session;
import java.util.ArrayList;
import java.util.List;

/**
 * The tutorial's delayed example for bench/compare.sh: {@code ITEMS MEAN_SLEEP}; the same sleeps
 * as bench/dask/delayed_bench.py, no cost hints (Dask gets none either). Prints {@code result=[...]}.
 */
public final class DelayedBench implements Driver {
  static int inc(int x) throws InterruptedException {
    Thread.sleep(Math.round(DelayedTour.sleepSeconds("inc", x) * 1000));
    return x + 1;
  }

  static int dec(int x) throws InterruptedException {
    Thread.sleep(Math.round(DelayedTour.sleepSeconds("dec", x) * 1000));
    return x - 1;
  }

  static int add(int x, int y) throws InterruptedException {
    Thread.sleep(Math.round(DelayedTour.sleepSeconds("add", x * 31 + y) * 1000));
    return x + y;
  }

  @Override
  public void run(Session s, String[] args) {
    int n = Integer.parseInt(args[0]);
    DelayedTour.meanSleep = Double.parseDouble(args[1]);
    var dInc = Delayed.delayed(DelayedBench::inc);
    var dDec = Delayed.delayed(DelayedBench::dec);
    var dAdd = Delayed.delayed(DelayedBench::add);
    List<Delayed<Integer>> zs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Delayed<Integer> x = dInc.apply(i);
      zs.add(dAdd.apply(x, dDec.apply(x)));
    }
    s.out().println("result=" + Delayed.computeAll(zs).toString().replace(" ", ""));
  }
}
