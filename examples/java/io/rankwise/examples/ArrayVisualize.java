package io.rankwise.examples;

import io.rankwise.array.Chunks;
import io.rankwise.array.DArray;
import io.rankwise.array.Da;
import io.rankwise.runtime.Driver;
import io.rankwise.runtime.Session;
import java.nio.file.Path;

/**
 * The tutorial's visualize example: {@code x = da.random.random((100, 100), chunks=(10, 100));
 * y = x.mean(); y.visualize(filename="da_mean.svg", optimize_graph=True)}.
 *
 * <pre>  bin/rankwise run -n 2 ArrayVisualize [file=da_mean.svg] [optimize=true]</pre>
 */
public final class ArrayVisualize implements Driver {
  @Override
  public void run(Session s, String[] args) {
    Path file = Path.of(args.length > 0 ? args[0] : "da_mean.svg");
    boolean optimize = args.length <= 1 || Boolean.parseBoolean(args[1]);
    DArray x = Da.random(42).random(new long[] {100, 100}, Chunks.of(10, 100));
    DArray y = x.mean();
    Path written = y.visualize(file, optimize);
    s.out().println(y);
    s.out().println("graph written to " + written + " (colours: owner rank)");
    s.out().println("mean=" + y.compute().item());
  }
}
