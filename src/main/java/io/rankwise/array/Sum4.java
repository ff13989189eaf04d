package io.rankwise.array;

/**
 * A sum with four accumulators: element k of the sequence goes to accumulator k mod 4, which lets
 * the CPU overlap the additions. The grouping depends only on positions, so summing an array at
 * once or in tiles whose lengths are multiples of 4 gives identical bits.
 */
final class Sum4 {
  private double s0;
  private double s1;
  private double s2;
  private double s3;
  private long count;

  void add(double[] t, int len) {
    assert count % 4 == 0 : "only the last call may have a length that is not a multiple of 4";
    int i = 0;
    for (; i + 3 < len; i += 4) {
      s0 += t[i];
      s1 += t[i + 1];
      s2 += t[i + 2];
      s3 += t[i + 3];
    }
    addTail(t, i, len, false, 0);
    count += len;
  }

  /** Adds (t[i] - mean)² for every element, grouped the same way. */
  void addSquaredDeviations(double[] t, int len, double mean) {
    int i = 0;
    for (; i + 3 < len; i += 4) {
      double d0 = t[i] - mean;
      double d1 = t[i + 1] - mean;
      double d2 = t[i + 2] - mean;
      double d3 = t[i + 3] - mean;
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    addTail(t, i, len, true, mean);
    count += len;
  }

  private void addTail(double[] t, int from, int len, boolean squares, double mean) {
    for (int i = from; i < len; i++) {
      double v = squares ? (t[i] - mean) * (t[i] - mean) : t[i];
      switch (i & 3) {
        case 0 -> s0 += v;
        case 1 -> s1 += v;
        case 2 -> s2 += v;
        default -> s3 += v;
      }
    }
  }

  double total() {
    return (s0 + s1) + (s2 + s3);
  }
}
