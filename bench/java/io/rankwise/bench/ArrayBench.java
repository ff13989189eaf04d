package io.rankwise.bench;

import io.rankwise.array.Chunks;
import io.rankwise.array.DArray;
import io.rankwise.array.Da;
import io.rankwise.runtime.Driver;
import io.rankwise.runtime.Session;
import java.util.Locale;

/**
 * Array workloads of bench/compare.sh, the same computations as bench/dask/array_bench.py:
 * <pre>
 *   mean N C      da.random.random((N, N), chunks=C).mean()
 *   xxt N C       (x + x.T).std(axis=0).sum()
 *   matmul N C    (x @ x).sum()
 * </pre>
 * Prints {@code result=<value>}; random streams differ from NumPy's, so compare.sh checks
 * statistics, not bits.
 */
public final class ArrayBench implements Driver {
  @Override
  public void run(Session s, String[] args) {
    String what = args[0];
    long n = Long.parseLong(args[1]);
    int c = Integer.parseInt(args[2]);
    DArray x = Da.random(42).random(new long[] {n, n}, Chunks.of(c, c));
    DArray y = switch (what) {
      case "mean" -> x.mean();
      case "xxt" -> x.add(x.T()).std(0).sum();
      case "matmul" -> x.matmul(x).sum();
      default -> throw new IllegalArgumentException("unknown workload '" + what + "': mean, xxt or matmul");
    };
    s.out().println(String.format(Locale.ROOT, "result=%.10g", y.compute().item()));
  }
}
