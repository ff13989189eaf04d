package io.rankwise.array;

/**
 * A sum with eight lanes: element k of the sequence goes to lane k mod 8, which lets the CPU
 * overlap the additions (the JIT keeps the lanes in one vector register). The grouping depends
 * only on positions, so summing an array at once, in tiles whose lengths are multiples of 8, or
 * straight from a generator ({@link GeneratedBlock#sumInto}) gives identical bits.
 */
final class Sum8 {
  static final int LANES = 8;

  /** The lanes, in order; generators add into them directly. */
  final double[] acc = new double[LANES];
  private long count;

  void add(double[] t, int len) {
    assert count % LANES == 0 : "only the last call may have a length that is not a multiple of 8";
    double[] s = acc;
    int i = 0;
    for (; i + LANES <= len; i += LANES) {
      s[0] += t[i];
      s[1] += t[i + 1];
      s[2] += t[i + 2];
      s[3] += t[i + 3];
      s[4] += t[i + 4];
      s[5] += t[i + 5];
      s[6] += t[i + 6];
      s[7] += t[i + 7];
    }
    for (; i < len; i++) {
      s[i & 7] += t[i];
    }
    count += len;
  }

  /** Adds (t[i] - mean)² for every element, grouped the same way. */
  void addSquaredDeviations(double[] t, int len, double mean) {
    double[] s = acc;
    int i = 0;
    for (; i + LANES <= len; i += LANES) {
      for (int k = 0; k < LANES; k++) {
        double d = t[i + k] - mean;
        s[k] += d * d;
      }
    }
    for (; i < len; i++) {
      double d = t[i] - mean;
      s[i & 7] += d * d;
    }
    count += len;
  }

  /** Records that a generator added {@code len} values into the lanes itself. */
  void added(long len) {
    count += len;
  }

  double total() {
    double[] s = acc;
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
  }
}
