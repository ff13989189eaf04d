package io.rankwise.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.comm.ReduceOp;
import io.rankwise.delayed.Delayed;
import io.rankwise.runtime.Session;
import io.rankwise.testing.SpmdRanks;
import io.rankwise.testing.SpmdTest;
import io.rankwise.testing.SpmdTestCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor on real ranks: results equal a plain sequential evaluation of the same graph,
 * bit for bit, for every rank count 1-5 (so placement and threads never change an answer);
 * shared work runs once; persisted values are reused; more ranks than tasks is fine.
 */
@SpmdRanks(mpi = {1, 2, 3, 4, 5}, local = {1, 2, 3, 4, 5})
class GraphSpmdTest extends SpmdTestCase {

  static int inc(int x) {
    return x + 1;
  }

  static int dec(int x) {
    return x - 1;
  }

  static int add(int x, int y) {
    return x + y;
  }

  @SpmdTest
  void delayedIncDecAddOnEveryRank(Session s) {
    var dInc = Delayed.delayed(GraphSpmdTest::inc);
    var dDec = Delayed.delayed(GraphSpmdTest::dec);
    var dAdd = Delayed.delayed(GraphSpmdTest::add);
    List<Delayed<Integer>> zs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Delayed<Integer> x = dInc.apply(i);
      zs.add(dAdd.apply(x, dDec.apply(x)));
    }
    List<Integer> got = Delayed.computeAll(zs);
    for (int i = 0; i < 20; i++) {
      assertEquals(2 * i + 1, got.get(i), "item " + i + " on rank " + s.rank());
    }
  }

  @SpmdTest
  void sharedInputsRunOnceWhenComputedTogether(Session s) {
    AtomicInteger runs = new AtomicInteger();
    Delayed<Integer> shared = Delayed.call("shared", () -> {
      runs.incrementAndGet();
      return 20;
    });
    Delayed<Integer> a = shared.map(v -> v + 1);
    Delayed<Integer> b = shared.map(v -> v * 2);
    Object[] r = Delayed.compute(a, b);
    assertEquals(21, r[0]);
    assertEquals(40, r[1]);
    long[] total = {runs.get()};
    s.comm().allReduce(total, ReduceOp.SUM);
    assertEquals(1, total[0], "the shared task ran exactly once over all ranks");
  }

  /**
   * A superstep runs depth first: a block's consumers run before the next block is made, so the
   * blocks of a wide level are not all alive at once (at most one per worker thread here).
   */
  @SpmdTest
  void wideLevelsRunDepthFirst(Session s) {
    AtomicInteger alive = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    int n = 40;
    List<Delayed<Integer>> outs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = i;
      AtomicInteger uses = new AtomicInteger(2);
      Delayed<Integer> block = Delayed.call("block", () -> {
        peak.accumulateAndGet(alive.incrementAndGet(), Math::max);
        return k;
      });
      Runnable used = () -> {
        if (uses.decrementAndGet() == 0) {
          alive.decrementAndGet();
        }
      };
      outs.add(block.map(v -> {
        used.run();
        return v * 2;
      }));
      outs.add(block.map(v -> {
        used.run();
        return v + 1;
      }));
    }
    List<Integer> got = Delayed.computeAll(outs);
    for (int i = 0; i < n; i++) {
      assertEquals(2 * i, got.get(2 * i));
      assertEquals(i + 1, got.get(2 * i + 1));
    }
    int threads = s.config().threadsPerRank();
    assertTrue(peak.get() <= threads, "at most " + threads + " blocks alive at once on rank " + s.rank() + ", saw "
        + peak.get());
  }

  /** Values spanning many magnitudes: any change of summation order changes the bits. */
  static double[] awkwardValues(int n, long seed) {
    Random r = new Random(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(16) - 8);
    }
    return v;
  }

  /** The same tree, evaluated sequentially. */
  static double treeSum(double[] v, int arity) {
    double[] level = v;
    do {
      double[] next = new double[(level.length + arity - 1) / arity];
      for (int g = 0; g < next.length; g++) {
        double acc = level[g * arity];
        for (int i = g * arity + 1; i < Math.min(level.length, (g + 1) * arity); i++) {
          acc = acc + level[i];
        }
        next[g] = acc;
      }
      level = next;
    } while (level.length > 1);
    return level[0];
  }

  @SpmdTest
  void treeReductionIsBitwiseIdenticalToSequentialTree(Session s) {
    double[] v = awkwardValues(1000, 42);
    for (int arity : new int[] {2, 3, 8}) {
      List<Delayed<Double>> items = new ArrayList<>();
      for (double x : v) {
        items.add(Delayed.value(x));
      }
      double got = Delayed.reduce(items, Double::sum, arity).compute();
      assertEquals(Double.doubleToRawLongBits(treeSum(v, arity)), Double.doubleToRawLongBits(got), "arity " + arity);
    }
  }

  /** Random DAGs of order-sensitive double arithmetic against a sequential evaluation. */
  @SpmdTest
  void randomGraphsMatchSequentialEvaluationBitForBit(Session s) {
    for (long seed = 1; seed <= 12; seed++) {
      Random rnd = new Random(seed);
      int n = 20 + rnd.nextInt(200);
      List<Task> tasks = new ArrayList<>();
      double[] expected = new double[n];
      List<TaskKey> keys = new ArrayList<>();
      String name = s.nextName("random");
      for (int i = 0; i < n; i++) {
        int nd = i == 0 ? 0 : rnd.nextInt(Math.min(i, 4));
        int[] deps = new int[nd];
        List<TaskKey> dk = new ArrayList<>();
        for (int j = 0; j < nd; j++) {
          deps[j] = rnd.nextInt(i);
          dk.add(keys.get(deps[j]));
        }
        double c = rnd.nextDouble() * 1e-3 + (rnd.nextBoolean() ? 1e8 : 1e-8);
        TaskFn fn = in -> {
          double acc = c;
          for (Object o : in) {
            acc = acc * 1.0000001 + (Double) o;
          }
          return acc;
        };
        double acc = c;
        for (int d : deps) {
          acc = acc * 1.0000001 + expected[d];
        }
        expected[i] = acc;
        TaskKey k = new TaskKey(name, i);
        keys.add(k);
        tasks.add(new Task(k, dk, fn, "mix", 0.5 + rnd.nextDouble(), -1));
      }
      Layer layer = new Layer(name, tasks, List.of());
      List<TaskKey> outs = new ArrayList<>();
      for (int i = 0; i < n; i += 1 + rnd.nextInt(7)) {
        outs.add(keys.get(i));
      }
      for (boolean optimize : new boolean[] {false, true}) {
        Object[] got = Scheduler.compute(List.of(new Keys(layer, outs)), ComputeOptions.DEFAULT.withOptimize(optimize));
        Object[] values = (Object[]) got[0];
        for (int k = 0; k < outs.size(); k++) {
          int i = outs.get(k).index(0);
          assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits((Double) values[k]),
              "seed " + seed + " task " + i + " optimize " + optimize);
        }
      }
    }
  }

  /** A lazy collection over explicit keys of one layer, for tests. */
  record Keys(Layer layer, List<TaskKey> outputKeys) implements Lazy<Object[]> {
    @Override
    public Object[] assemble(Object[] outputs) {
      return outputs;
    }
  }

  @SpmdTest
  void largeBlocksMoveBetweenRanks(Session s) {
    int blocks = 7;
    int len = 1 << 17; // 1 MiB of doubles per block
    String name = s.nextName("block");
    List<Task> ts = new ArrayList<>();
    List<TaskKey> keys = new ArrayList<>();
    for (int b = 0; b < blocks; b++) {
      int bb = b;
      TaskKey k = new TaskKey(name, b);
      keys.add(k);
      ts.add(Task.of(k, "make", in -> {
        double[] a = new double[len];
        for (int i = 0; i < len; i++) {
          a[i] = bb * 1000.0 + i;
        }
        return a;
      }));
    }
    Layer src = new Layer(name, ts, List.of());
    Layer tree = TreeReduce.build(name + "-sum", "add", keys, List.of(src), 2, parts -> {
      double[] acc = ((double[]) parts[0]).clone();
      for (int p = 1; p < parts.length; p++) {
        double[] x = (double[]) parts[p];
        for (int i = 0; i < len; i++) {
          acc[i] += x[i];
        }
      }
      return acc;
    });
    TaskKey root = TreeReduce.rootKey(name + "-sum", blocks, 2);
    double[] sum = (double[]) ((Object[]) Scheduler.compute(List.of(new Keys(tree, List.of(root))),
        ComputeOptions.DEFAULT)[0])[0];
    for (int i = 0; i < len; i += 997) {
      assertEquals(21_000.0 + 7.0 * i, sum[i], "element " + i);
    }
  }

  @SpmdTest
  void rootOnlyDeliveryLeavesOtherRanksEmptyHanded(Session s) {
    Delayed<int[]> v = Delayed.call("arr", () -> new int[] {1, 2, 3});
    int[] got = v.compute(ComputeOptions.rootOnly());
    if (s.isRoot()) {
      assertArrayEquals(new int[] {1, 2, 3}, got);
    } else {
      assertNull(got);
    }
  }

  @SpmdTest
  void persistedValuesAreReusedNotRecomputed(Session s) {
    AtomicInteger runs = new AtomicInteger();
    Delayed<Integer> expensive = Delayed.call("expensive", () -> {
      runs.incrementAndGet();
      return 7;
    });
    Delayed<Integer> kept = expensive.persist();
    assertEquals(8, kept.map(v -> v + 1).compute());
    assertEquals(14, kept.map(v -> v * 2).compute());
    long[] total = {runs.get()};
    s.comm().allReduce(total, ReduceOp.SUM);
    assertEquals(1, total[0]);
  }

  @SpmdTest
  void moreRanksThanTasksAndDeepChains(Session s) {
    Delayed<Integer> one = Delayed.value(1);
    assertEquals(1, one.compute());
    Delayed<Integer> x = Delayed.value(0);
    for (int i = 0; i < 3000; i++) {
      x = x.map(v -> v + 1);
    }
    assertEquals(3000, x.compute());
    assertEquals(3000, x.compute(ComputeOptions.DEFAULT.withOptimize(false)));
  }

  @SpmdTest
  void visualizeDrawsSvgWithFewerNodesWhenOptimized(Session s) throws Exception {
    var dInc = Delayed.delayed(GraphSpmdTest::inc);
    Delayed<Integer> x = dInc.apply(dInc.apply(dInc.apply(1)));
    Path dir = Files.createTempDirectory("rankwise-viz");
    Path raw = x.visualize(dir.resolve("raw.svg"), false);
    Path opt = x.visualize(dir.resolve("opt.svg"), true);
    if (s.isRoot()) {
      String a = Files.readString(raw);
      String b = Files.readString(opt);
      assertTrue(a.contains("<svg"), a);
      assertEquals(3, a.split("class=\"node\"").length - 1, "3 inc");
      assertEquals(1, b.split("class=\"node\"").length - 1, "one fused task");
      assertTrue(b.contains("inc"), b);
    }
  }
}
