package io.rankwise.frame;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Mergeable per-group statistics of k value columns: for each (group, column) the count of
 * non-NaN values, their mean and M2 (merged with Chan et al.'s formula, not sums of squares), sum,
 * min and max. A partition's partial is one of these; partials merge in a fixed tree order, so
 * results do not depend on the number of ranks.
 */
final class GroupStats {
  static final int N = 0;
  static final int MEAN = 1;
  static final int M2 = 2;
  static final int SUM = 3;
  static final int MIN = 4;
  static final int MAX = 5;
  static final int WIDTH = 6;

  int columns;
  HashMap<Object, double[]> groups; // key -> WIDTH * columns values

  private GroupStats() {} // for the serializer

  GroupStats(int columns) {
    this.columns = columns;
    this.groups = new HashMap<>();
  }

  double[] slot(Object key) {
    return groups.computeIfAbsent(key, k -> {
      double[] s = new double[WIDTH * columns];
      for (int c = 0; c < columns; c++) {
        s[c * WIDTH + MIN] = Double.POSITIVE_INFINITY;
        s[c * WIDTH + MAX] = Double.NEGATIVE_INFINITY;
      }
      return s;
    });
  }

  /** Welford's update with one value of column c (NaN values are skipped, as pandas does). */
  static void add(double[] s, int c, double v) {
    if (Double.isNaN(v)) {
      return;
    }
    int o = c * WIDTH;
    double n = ++s[o + N];
    double d = v - s[o + MEAN];
    s[o + MEAN] += d / n;
    s[o + M2] += d * (v - s[o + MEAN]);
    s[o + SUM] += v;
    s[o + MIN] = Math.min(s[o + MIN], v);
    s[o + MAX] = Math.max(s[o + MAX], v);
  }

  /** Merges b into a (both WIDTH * columns long). */
  static void merge(double[] a, double[] b, int columns) {
    for (int c = 0; c < columns; c++) {
      int o = c * WIDTH;
      double na = a[o + N];
      double nb = b[o + N];
      if (nb == 0) {
        continue;
      }
      double n = na + nb;
      double delta = b[o + MEAN] - a[o + MEAN];
      a[o + MEAN] += delta * nb / n;
      a[o + M2] += b[o + M2] + delta * delta * na * nb / n;
      a[o + N] = n;
      a[o + SUM] += b[o + SUM];
      a[o + MIN] = Math.min(a[o + MIN], b[o + MIN]);
      a[o + MAX] = Math.max(a[o + MAX], b[o + MAX]);
    }
  }

  /** Merges partials in the given order into a new one. */
  static GroupStats combine(Object[] parts) {
    GroupStats first = (GroupStats) parts[0];
    GroupStats acc = new GroupStats(first.columns);
    for (Object o : parts) {
      GroupStats p = (GroupStats) o;
      // Each key's result depends only on the order of the parts, not on the map's order.
      for (Map.Entry<Object, double[]> e : p.groups.entrySet()) {
        merge(acc.slot(e.getKey()), e.getValue(), acc.columns);
      }
    }
    return acc;
  }

  /** This partial's groups split by key hash into {@code buckets} partials (deterministic across JVMs). */
  GroupStats[] split(int buckets) {
    GroupStats[] out = new GroupStats[buckets];
    for (int b = 0; b < buckets; b++) {
      out[b] = new GroupStats(columns);
    }
    for (Map.Entry<Object, double[]> e : groups.entrySet()) {
      out[Math.floorMod(e.getKey().hashCode() * 0x9E3779B9, buckets)].groups.put(e.getKey(), e.getValue());
    }
    return out;
  }

  /** Partials with disjoint keys, put together. */
  static GroupStats union(Object[] parts) {
    GroupStats acc = new GroupStats(((GroupStats) parts[0]).columns);
    for (Object o : parts) {
      acc.groups.putAll(((GroupStats) o).groups);
    }
    return acc;
  }

  /** The value of aggregation {@code agg} for column c of a group's slot. */
  static double value(double[] s, int c, String agg, int ddof) {
    int o = c * WIDTH;
    double n = s[o + N];
    return switch (agg) {
      case "count" -> n;
      case "sum" -> s[o + SUM];
      case "mean" -> n == 0 ? Double.NaN : s[o + MEAN];
      case "var" -> n - ddof <= 0 ? Double.NaN : s[o + M2] / (n - ddof);
      case "std" -> n - ddof <= 0 ? Double.NaN : Math.sqrt(s[o + M2] / (n - ddof));
      case "min" -> n == 0 ? Double.NaN : s[o + MIN];
      case "max" -> n == 0 ? Double.NaN : s[o + MAX];
      default -> throw new FrameException("unknown aggregation '" + agg
          + "'; supported: sum, mean, std, var, count, min, max");
    };
  }

  static boolean knownAggregation(String agg) {
    return List.of("count", "sum", "mean", "var", "std", "min", "max").contains(agg);
  }

  /** Keys sort like pandas' groupby: numbers numerically, strings lexicographically, lists by component. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compareKeys(Object a, Object b) {
    if (a instanceof List<?> la && b instanceof List<?> lb) {
      for (int i = 0; i < Math.min(la.size(), lb.size()); i++) {
        int c = compareKeys(la.get(i), lb.get(i));
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(la.size(), lb.size());
    }
    return ((Comparable) a).compareTo(b);
  }

  Map<Object, double[]> groups() {
    return groups;
  }
}
