package io.rankwise.bench;

import io.rankwise.bag.Bag;
import io.rankwise.bag.Bags;
import io.rankwise.runtime.Driver;
import io.rankwise.runtime.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The bag workload of bench/compare.sh (same as bench/dask/bag_bench.py): JSON lines read as text
 * and parsed, then the over-30 count and the total count.
 * <pre>  BagBench GLOB            prints result=<over30>,<total>
 *  BagBench --make DIR FILES PER_FILE   writes the people files (once, outside the timing)</pre>
 */
public final class BagBench implements Driver {
  @Override
  public void run(Session s, String[] args) throws Exception {
    if (args[0].equals("--make")) {
      Path dir = Path.of(args[1]);
      if (s.isRoot() && !Files.isDirectory(dir)) {
        Bags.makePeople(dir, Integer.parseInt(args[2]), Integer.parseInt(args[3]), 1);
      }
      s.comm().barrier();
      return;
    }
    Bag<Map<String, Object>> b = Bags.readJson(args[0], Bags.OnError.FAIL);
    long over30 = b.filter(r -> ((Number) r.get("age")).intValue() > 30).count();
    long total = b.count();
    s.out().println("result=" + over30 + "," + total);
  }
}
