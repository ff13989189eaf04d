package io.rankwise.array;

import io.rankwise.comm.ReduceOp;
import io.rankwise.runtime.Driver;
import io.rankwise.runtime.Session;
import java.util.Arrays;
import java.util.Locale;

/**
 * Block kernels against the machine's memory bandwidth, measured side by side in one run (the
 * benchmark issue's microbenchmarks): STREAM's four kernels (copy, scale, add, triad) measure what
 * streaming through memory can reach here, and each array kernel is reported as a share of the
 * best of them (the physical limit). Ordered floating-point reductions (Sum8 keeps 8 lanes in a
 * fixed order, for results that do not depend on ranks) are bound by add latency, not memory. Every rank runs the same loops at the same time
 * (barrier-separated), as ranks share a node's memory in a real job.
 *
 * <pre>  bin/rankwise run -n 2 io.rankwise.array.KernelBench [MiB per array] [repetitions]</pre>
 *
 * Kept in the array package (bench source tree) to reach the package-private kernels. Each
 * figure is the median over the repetitions after two warm-up rounds; GB/s counts the bytes a
 * kernel must read plus write, summed over ranks.
 */
public final class KernelBench implements Driver {
  private Session s;
  private int reps;

  @FunctionalInterface
  interface Kernel {
    double run();
  }

  @Override
  public void run(Session session, String[] args) {
    s = session;
    int mib = args.length > 0 ? Integer.parseInt(args[0]) : 128;
    reps = args.length > 1 ? Integer.parseInt(args[1]) : 9;
    int n = mib * 131072; // doubles
    double[] a = new double[n];
    double[] b = new double[n];
    double[] c = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = (i % 1000) * 1e-3;
      b[i] = ((i * 7) % 1000) * 1e-3;
    }
    long bytes = 8L * n;
    double copy = measure(() -> {
      System.arraycopy(a, 0, c, 0, n);
      return c[n / 2];
    }, 2 * bytes);
    double scale = measure(() -> {
      for (int i = 0; i < n; i++) {
        c[i] = 3.0 * a[i];
      }
      return c[n / 2];
    }, 2 * bytes);
    double add2 = measure(() -> {
      for (int i = 0; i < n; i++) {
        c[i] = a[i] + b[i];
      }
      return c[n / 2];
    }, 3 * bytes);
    double triad = measure(() -> {
      for (int i = 0; i < n; i++) {
        c[i] = a[i] + 3.0 * b[i];
      }
      return c[n / 2];
    }, 3 * bytes);
    double stream = Math.max(Math.max(copy, scale), Math.max(add2, triad));
    double sum8 = measure(() -> {
      Sum8 acc = new Sum8();
      acc.add(a, n);
      return acc.total();
    }, bytes);
    double dev = measure(() -> {
      Sum8 acc = new Sum8();
      acc.addSquaredDeviations(a, n, 0.5);
      return acc.total();
    }, bytes);
    NdArray x = NdArray.of(a, new int[] {n});
    NdArray y = NdArray.of(b, new int[] {n});
    double add = measure(() -> ((double[]) BlockOps.binary(BlockOps.Bin.ADD, x, y).data())[n / 2], 3 * bytes);
    int side = (int) Math.sqrt(n);
    NdArray sq = NdArray.of(Arrays.copyOf(a, side * side), new int[] {side, side});
    double transpose = measure(() -> ((double[]) BlockOps.transpose(sq, new int[] {1, 0}).data())[side], 16L * side * side);

    if (s.isRoot()) {
      s.out().printf(Locale.ROOT, "Block kernels vs memory bandwidth: %d ranks at once, %d MiB per array, median of %d%n%n",
          s.size(), mib, reps);
      s.out().println("| kernel | moves | GB/s (all ranks) | share of the best STREAM kernel |");
      s.out().println("|---|---|---:|---:|");
      row("STREAM copy (System.arraycopy)", "read + write", copy, stream);
      row("STREAM scale b = 3a", "read + write", scale, stream);
      row("STREAM add c = a + b", "2 reads + write", add2, stream);
      row("STREAM triad c = a + 3b", "2 reads + write", triad, stream);
      row("Sum8.add (block sum, 8 ordered lanes)", "read", sum8, stream);
      row("Sum8.addSquaredDeviations (std pass 2)", "read", dev, stream);
      row("BlockOps.binary ADD (x + y, new block)", "2 reads + write", add, stream);
      row("BlockOps.transpose (2-d block)", "read + write", transpose, stream);
    }
  }

  private void row(String name, String moves, double gbs, double bound) {
    s.out().printf(Locale.ROOT, "| %s | %s | %.2f | %.0f%% |%n", name, moves, gbs, 100 * gbs / bound);
  }

  /** GB/s over all ranks: every rank runs the kernel at once, the slowest rank's time counts. */
  private double measure(Kernel k, long bytesPerRank) {
    double sink = 0;
    double[] t = new double[reps];
    for (int r = -2; r < reps; r++) {
      s.comm().barrier();
      long t0 = System.nanoTime();
      sink += k.run();
      long[] dt = {System.nanoTime() - t0};
      s.comm().allReduce(dt, ReduceOp.MAX);
      if (r >= 0) {
        t[r] = dt[0];
      }
    }
    if (sink == 42.4242) {
      s.out().println(); // keeps the results alive
    }
    Arrays.sort(t);
    return (double) bytesPerRank * s.size() / t[reps / 2];
  }
}
