package io.rankwise.examples;

import io.rankwise.array.Chunks;
import io.rankwise.array.DArray;
import io.rankwise.array.Da;
import io.rankwise.runtime.Driver;
import io.rankwise.runtime.Session;
import java.util.Locale;

/**
 * The tutorial's first array: {@code da.random.random((10000, 10000), chunks=(1000, 1000)).mean()}.
 *
 * <pre>
 *   bin/rankwise run -n 2 ArrayMean                 # 10000 x 10000 in 1000 x 1000 blocks
 *   bin/rankwise run -n 4 ArrayMean 30000 2000
 * </pre>
 *
 * Prints {@code mean=<value>}; the value depends on the seed and chunks, never on the rank count.
 */
public final class ArrayMean implements Driver {
  @Override
  public void run(Session s, String[] args) {
    long n = args.length > 0 ? Long.parseLong(args[0]) : 10_000;
    int chunk = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
    DArray x = Da.random(seed).random(new long[] {n, n}, Chunks.of(chunk, chunk));
    DArray y = x.mean();
    s.log().debug(x + " -> " + y);
    s.out().println(String.format(Locale.ROOT, "mean=%.16g", y.compute().item()));
  }
}
