package io.rankwise.bench;

import io.rankwise.comm.Communicator;
import io.rankwise.comm.ReduceOp;
import io.rankwise.comm.mpi.MpiCommunicator;
import io.rankwise.runtime.Driver;
import io.rankwise.runtime.Session;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;

/**
 * Overhead of {@link Communicator} over raw {@code mpi.jar} calls, measured side by side in one
 * run: blocks of the two variants alternate (A B A B ...) so that drift of the machine hits both.
 *
 * <pre>  bin/rankwise run -n 2 io.rankwise.bench.CommBench [rounds] [allToAllVMiB]</pre>
 *
 * Prints a markdown table on rank 0: median time per operation and the ratio Rankwise / raw
 * (1.00 = no overhead).
 */
public final class CommBench implements Driver {
  private Communicator comm;
  private Intracomm raw;

  @Override
  public void run(Session s, String[] args) throws Exception {
    if (!(s.comm() instanceof MpiCommunicator mpi)) {
      throw new IllegalArgumentException("CommBench compares against raw mpi.jar: run it with --backend mpi");
    }
    comm = mpi;
    raw = mpi.raw();
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int mib = args.length > 1 ? Integer.parseInt(args[1]) : 64;

    s.out().printf("Communicator vs raw mpi.jar, %d ranks, %d alternating rounds (median)%n%n", s.size(), rounds);
    s.out().println("| operation | raw mpi.jar | Rankwise | Rankwise / raw |");
    s.out().println("|---|---:|---:|---:|");

    int iters = 20_000;
    row(s, "allReduce 8 B (long SUM), per call", rounds, iters, this::rawAllReduce8, this::rwAllReduce8, "us");

    long total = (long) mib << 20;
    int perDest = (int) (total / s.size());
    ByteBuffer rawSend = ByteBuffer.allocateDirect(perDest * s.size()).order(ByteOrder.nativeOrder());
    ByteBuffer rawRecv = ByteBuffer.allocateDirect(perDest * s.size()).order(ByteOrder.nativeOrder());
    for (int i = 0; i < rawSend.capacity(); i++) {
      rawSend.put(i, (byte) i);
    }
    int[] counts = new int[s.size()];
    Arrays.fill(counts, perDest);
    ByteBuffer[] heapParts = new ByteBuffer[s.size()];
    for (int d = 0; d < s.size(); d++) {
      heapParts[d] = ByteBuffer.allocate(perDest);
    }
    String what = "allToAllV " + mib + " MiB per rank";
    row(s, what + " (packed direct buffer), per call", rounds, 3,
        () -> rawAllToAllV(rawSend, rawRecv, counts), () -> comm.allToAllV(rawSend, counts), "ms");
    row(s, what + " (one heap buffer per rank), per call", rounds, 3,
        () -> rawAllToAllVFromHeap(heapParts, rawSend, rawRecv, counts), () -> comm.allToAllV(heapParts), "ms");
    s.out().println();
    s.out().println("In the heap-buffer row both sides pack the per-rank heap buffers into one direct"
        + " buffer before the exchange (what any mpi.jar program working from heap data must do).");
  }

  interface Op {
    void run() throws Exception;
  }

  private void rawAllReduce8() throws MPIException {
    long[] x = {1};
    raw.allReduce(x, 1, MPI.LONG, MPI.SUM);
  }

  private void rwAllReduce8() {
    long[] x = {1};
    comm.allReduce(x, ReduceOp.SUM);
  }

  /** What a careful raw mpi.jar program does: exchange counts, then one allToAllv on direct buffers. */
  private void rawAllToAllV(ByteBuffer send, ByteBuffer recv, int[] counts) throws MPIException {
    int n = counts.length;
    int[] rcounts = new int[n];
    raw.allToAll(counts, 1, MPI.INT, rcounts, 1, MPI.INT);
    int[] sd = new int[n];
    int[] rd = new int[n];
    for (int i = 1; i < n; i++) {
      sd[i] = sd[i - 1] + counts[i - 1];
      rd[i] = rd[i - 1] + rcounts[i - 1];
    }
    raw.allToAllv(send, counts, sd, MPI.BYTE, recv, rcounts, rd, MPI.BYTE);
  }

  /** The same from heap data: pack the per-rank buffers into the direct send buffer first. */
  private void rawAllToAllVFromHeap(ByteBuffer[] parts, ByteBuffer send, ByteBuffer recv, int[] counts)
      throws MPIException {
    send.clear();
    for (ByteBuffer p : parts) {
      send.put(p.duplicate());
    }
    send.clear();
    rawAllToAllV(send, recv, counts);
  }

  private void row(Session s, String name, int rounds, int iters, Op rawOp, Op rwOp, String unit) throws Exception {
    // Warm-up: JIT, pools, MPI connections.
    time(rawOp, Math.max(1, iters / 10));
    time(rwOp, Math.max(1, iters / 10));
    double[] a = new double[rounds];
    double[] b = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      a[r] = time(rawOp, iters);
      b[r] = time(rwOp, iters);
    }
    double ma = median(a);
    double mb = median(b);
    double scale = unit.equals("us") ? 1e-3 : 1e-6;
    s.out().printf("| %s | %.3f %s | %.3f %s | %.3f |%n", name, ma * scale, unit, mb * scale, unit, mb / ma);
  }

  /** Nanoseconds per operation, the slowest rank's view (every rank must finish the block). */
  private double time(Op op, int iters) throws Exception {
    comm.barrier();
    long t0 = System.nanoTime();
    for (int i = 0; i < iters; i++) {
      op.run();
    }
    double[] t = {(System.nanoTime() - t0) / (double) iters};
    comm.allReduce(t, ReduceOp.MAX);
    return t[0];
  }

  private static double median(double[] x) {
    double[] c = x.clone();
    Arrays.sort(c);
    return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
  }
}
