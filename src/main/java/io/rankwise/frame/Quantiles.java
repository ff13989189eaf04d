package io.rankwise.frame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exact quantiles of numeric columns without moving or sorting the data: a radix selection. Each
 * value maps to a 64-bit key in the values' order; four passes over the frame each count, per
 * wanted rank, the values under the key prefix found so far by their next 16 bits (sparse
 * histograms merged over a fixed tree). After the fourth pass every wanted order statistic is
 * known exactly, and quantiles interpolate between neighbours as numpy/pandas do (linear). NaN
 * values are skipped. Memory per task: one 65,536-bin histogram per column in the first pass; later
 * passes count only the values under a wanted prefix, sparsely.
 */
final class Quantiles {
  static final int DIGIT = 16;
  static final int PASSES = 64 / DIGIT;
  static final int BINS = 1 << DIGIT;

  private Quantiles() {}

  /** Order-preserving 64-bit key of a double (compared unsigned); -0.0 as 0.0. */
  static long key(double v) {
    long b = Double.doubleToLongBits(v == 0 ? 0.0 : v);
    return b ^ ((b >> 63) | Long.MIN_VALUE);
  }

  static double value(long key) {
    long b = key < 0 ? key ^ Long.MIN_VALUE : ~key;
    return Double.longBitsToDouble(b);
  }

  /** Sparse counts of the values under each prefix: for prefix t, bins[t] and counts[t] (nonzero only). */
  record Histograms(int[][] bins, long[][] counts) {
    static Histograms of(long[][] dense) {
      int[][] bins = new int[dense.length][];
      long[][] counts = new long[dense.length][];
      for (int t = 0; t < dense.length; t++) {
        int nz = 0;
        for (long c : dense[t]) {
          nz += c != 0 ? 1 : 0;
        }
        bins[t] = new int[nz];
        counts[t] = new long[nz];
        for (int b = 0, k = 0; b < BINS; b++) {
          if (dense[t][b] != 0) {
            bins[t][k] = b;
            counts[t][k++] = dense[t][b];
          }
        }
      }
      return new Histograms(bins, counts);
    }

    /** Adds up partials group by group, sparse in and out (bins ascending). */
    static Object merge(Object[] parts) {
      Histograms first = (Histograms) parts[0];
      int groups = first.bins.length;
      int[][] bins = new int[groups][];
      long[][] counts = new long[groups][];
      long[] scratch = new long[BINS];
      for (int g = 0; g < groups; g++) {
        int total = 0;
        for (Object o : parts) {
          total += ((Histograms) o).bins[g].length;
        }
        int[] touched = new int[total];
        int k = 0;
        for (Object o : parts) {
          Histograms h = (Histograms) o;
          for (int i = 0; i < h.bins[g].length; i++) {
            if (scratch[h.bins[g][i]] == 0) {
              touched[k++] = h.bins[g][i];
            }
            scratch[h.bins[g][i]] += h.counts[g][i];
          }
        }
        int[] b = Arrays.copyOf(touched, k);
        Arrays.sort(b);
        long[] c = new long[k];
        for (int i = 0; i < k; i++) {
          c[i] = scratch[b[i]];
          scratch[b[i]] = 0;
        }
        bins[g] = b;
        counts[g] = c;
      }
      return new Histograms(bins, counts);
    }
  }

  /**
   * The order statistics of the given 0-based ranks among the non-NaN values of each column:
   * {@code ranks[c]} for column c (each within [0, count)).
   */
  static double[][] orderStatistics(DFrame f, String[] cols, long[][] ranks) {
    // the targets: (column, rank) pairs, each with the key prefix known so far
    List<int[]> targets = new ArrayList<>(); // {column, index into ranks[c]}
    for (int c = 0; c < cols.length; c++) {
      for (int r = 0; r < ranks[c].length; r++) {
        targets.add(new int[] {c, r});
      }
    }
    int nt = targets.size();
    long[] prefix = new long[nt];
    long[] remaining = new long[nt];
    for (int t = 0; t < nt; t++) {
      remaining[t] = ranks[targets.get(t)[0]][targets.get(t)[1]];
    }
    for (int pass = 0; pass < PASSES; pass++) {
      int shift = 64 - DIGIT * (pass + 1);
      // targets of one column under one prefix share a histogram
      int[] groupOf = new int[nt];
      List<int[]> groups = new ArrayList<>(); // {column}
      List<Long> groupPrefix = new ArrayList<>();
      for (int t = 0; t < nt; t++) {
        int c = targets.get(t)[0];
        int g = -1;
        for (int x = 0; x < groups.size(); x++) {
          if (groups.get(x)[0] == c && groupPrefix.get(x) == prefix[t]) {
            g = x;
          }
        }
        if (g < 0) {
          g = groups.size();
          groups.add(new int[] {c});
          groupPrefix.add(prefix[t]);
        }
        groupOf[t] = g;
      }
      int[] colOf = groups.stream().mapToInt(x -> x[0]).toArray();
      long[] pre = groupPrefix.stream().mapToLong(Long::longValue).toArray();
      int level = pass;
      Histograms h = (Histograms) f.reduce("quantile-pass-" + pass, t -> count(t, cols, colOf, pre, level, shift),
          Histograms::merge, new java.util.HashSet<>(java.util.Arrays.asList(cols)));
      for (int t = 0; t < nt; t++) {
        int[] hb = h.bins[groupOf[t]];
        long[] hc = h.counts[groupOf[t]];
        long seen = 0;
        int i = 0;
        while (i < hb.length - 1 && seen + hc[i] <= remaining[t]) {
          seen += hc[i++];
        }
        remaining[t] -= seen;
        prefix[t] = (prefix[t] << DIGIT) | (hb.length == 0 ? 0 : hb[i]);
      }
    }
    double[][] out = new double[cols.length][];
    for (int c = 0; c < cols.length; c++) {
      out[c] = new double[ranks[c].length];
    }
    for (int t = 0; t < nt; t++) {
      out[targets.get(t)[0]][targets.get(t)[1]] = value(prefix[t]);
    }
    return out;
  }

  /** One partition's histograms: target t counts the values of its column whose key starts with its prefix. */
  private static Histograms count(Table t, String[] cols, int[] colOf, long[] prefix, int level, int shift) {
    // the first pass counts every value (dense, one histogram per column); later passes only the
    // values under a target's prefix, usually few: their bins are collected and counted sparsely,
    // so wide frames do not need 65,536 counters per column and wanted rank
    int[][] bins = new int[prefix.length][];
    long[][] counts = new long[prefix.length][];
    for (int c = 0; c < cols.length; c++) {
      int cc = c;
      int[] mine = java.util.stream.IntStream.range(0, colOf.length).filter(x -> colOf[x] == cc).toArray();
      if (mine.length == 0) {
        continue;
      }
      double[] v = t.column(cols[c]).asDoubles();
      if (level == 0) {
        long[] dense = new long[BINS];
        for (double x : v) {
          if (x == x) {
            dense[(int) ((key(x) >>> shift) & (BINS - 1))]++;
          }
        }
        Histograms h = Histograms.of(new long[][] {dense});
        for (int x : mine) {
          bins[x] = h.bins[0];
          counts[x] = h.counts[0];
        }
        continue;
      }
      int[][] found = new int[mine.length][16];
      int[] n = new int[mine.length];
      for (double x : v) {
        if (x != x) {
          continue;
        }
        long k = key(x);
        long p = k >>> (64 - DIGIT * level);
        for (int m = 0; m < mine.length; m++) {
          if (prefix[mine[m]] == p) {
            if (n[m] == found[m].length) {
              found[m] = Arrays.copyOf(found[m], n[m] * 2);
            }
            found[m][n[m]++] = (int) ((k >>> shift) & (BINS - 1));
          }
        }
      }
      for (int m = 0; m < mine.length; m++) {
        int[] b = Arrays.copyOf(found[m], n[m]);
        Arrays.sort(b);
        int distinct = 0;
        for (int i = 0; i < b.length; i++) {
          distinct += i == 0 || b[i] != b[i - 1] ? 1 : 0;
        }
        int[] ub = new int[distinct];
        long[] uc = new long[distinct];
        for (int i = 0, u = -1; i < b.length; i++) {
          if (i == 0 || b[i] != b[i - 1]) {
            ub[++u] = b[i];
          }
          uc[u]++;
        }
        bins[mine[m]] = ub;
        counts[mine[m]] = uc;
      }
    }
    for (int x = 0; x < prefix.length; x++) {
      if (bins[x] == null) {
        bins[x] = new int[0];
        counts[x] = new long[0];
      }
    }
    return new Histograms(bins, counts);
  }

  /** numpy's linear interpolation between neighbours a and b at fraction t. */
  static double lerp(double a, double b, double t) {
    double d = b - a;
    return t >= 0.5 ? b - d * (1 - t) : a + d * t;
  }

  /** Quantiles qs of each column among n[c] non-NaN values (NaN where a column has none). */
  static double[][] quantiles(DFrame f, String[] cols, long[] n, double[] qs) {
    for (double q : qs) {
      if (!(q >= 0 && q <= 1)) {
        throw new FrameException("quantile: q must be within [0, 1], got " + q);
      }
    }
    long[][] ranks = new long[cols.length][];
    for (int c = 0; c < cols.length; c++) {
      long[] r = new long[2 * qs.length];
      for (int k = 0; k < qs.length; k++) {
        double pos = qs[k] * Math.max(0, n[c] - 1);
        r[2 * k] = (long) Math.floor(pos);
        r[2 * k + 1] = (long) Math.ceil(pos);
      }
      ranks[c] = n[c] == 0 ? new long[0] : Arrays.stream(r).distinct().sorted().toArray();
    }
    double[][] stats = orderStatistics(f, cols, ranks);
    double[][] out = new double[cols.length][qs.length];
    for (int c = 0; c < cols.length; c++) {
      for (int k = 0; k < qs.length; k++) {
        if (n[c] == 0) {
          out[c][k] = Double.NaN;
          continue;
        }
        double pos = qs[k] * (n[c] - 1);
        long lo = (long) Math.floor(pos);
        long hi = (long) Math.ceil(pos);
        double a = stats[c][Arrays.binarySearch(ranks[c], lo)];
        double b = stats[c][Arrays.binarySearch(ranks[c], hi)];
        out[c][k] = lerp(a, b, pos - lo);
      }
    }
    return out;
  }
}
