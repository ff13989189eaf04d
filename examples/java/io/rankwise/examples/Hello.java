package io.rankwise.examples;

import io.rankwise.comm.ReduceOp;
import io.rankwise.runtime.Driver;
import io.rankwise.runtime.Session;
import java.net.InetAddress;

/**
 * The first Rankwise program: every rank says hello (printed by rank 0, in rank order), then the
 * ranks agree on the sum of their rank numbers with an allReduce.
 *
 * <pre>
 *   bin/rankwise run -n 4 Hello
 *   bin/rankwise run -n 4 --backend local Hello
 * </pre>
 */
public final class Hello implements Driver {
  @Override
  public void run(Session s, String[] args) throws Exception {
    String host = InetAddress.getLocalHost().getHostName();
    s.printOrdered("Hello from rank " + s.rank() + " of " + s.size() + " on " + host);

    long[] sum = {s.rank()};
    s.comm().allReduce(sum, ReduceOp.SUM);
    s.out().println("allReduce(SUM) of ranks 0.." + (s.size() - 1) + " = " + sum[0]
        + " (expected " + (long) s.size() * (s.size() - 1) / 2 + ")");
    s.log().debug("backend " + s.comm().backend() + ", " + s.config().threadsPerRank() + " threads per rank");
  }
}
