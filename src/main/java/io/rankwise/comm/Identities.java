package io.rankwise.comm;

import java.util.Arrays;

/** Identity elements of the reduction operators, for exScan on rank 0 and empty reductions. */
public final class Identities {
  private Identities() {}

  public static void fill(double[] buf, ReduceOp op) {
    Arrays.fill(buf, switch (op) {
      case SUM -> 0.0;
      case PROD -> 1.0;
      case MIN -> Double.POSITIVE_INFINITY;
      case MAX -> Double.NEGATIVE_INFINITY;
    });
  }

  public static void fill(long[] buf, ReduceOp op) {
    Arrays.fill(buf, switch (op) {
      case SUM -> 0L;
      case PROD -> 1L;
      case MIN -> Long.MAX_VALUE;
      case MAX -> Long.MIN_VALUE;
    });
  }
}
