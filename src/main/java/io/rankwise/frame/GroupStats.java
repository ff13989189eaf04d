package io.rankwise.frame;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Mergeable per-group statistics of k value columns: for each (group, column) the count of
 * non-NaN values, their mean and M2 (merged with Chan et al.'s formula, not sums of squares), sum,
 * min, max, and the first and last non-NaN values; and for nunique columns the set of distinct
 * non-null values. A partition's partial is one of these; partials merge in partition order (a
 * fixed tree, or a bucket's pieces in order), so results do not depend on the number of ranks.
 */
final class GroupStats implements com.esotericsoftware.kryo.KryoSerializable {
  static final int N = 0;
  static final int MEAN = 1;
  static final int M2 = 2;
  static final int SUM = 3;
  static final int MIN = 4;
  static final int MAX = 5;
  static final int FIRST = 6;
  static final int LAST = 7;
  static final int WIDTH = 8;

  int columns;
  HashMap<Object, double[]> groups; // key -> WIDTH * columns values
  int distinctColumns;
  HashMap<Object, Object[]> distinct; // key -> one HashSet of values per nunique column

  private GroupStats() {} // for the serializer

  GroupStats(int columns) {
    this(columns, 0);
  }

  GroupStats(int columns, int distinctColumns) {
    this.columns = columns;
    this.groups = new HashMap<>();
    this.distinctColumns = distinctColumns;
    this.distinct = new HashMap<>();
  }

  /** The distinct-value sets of a group (one per nunique column), made when first asked for. */
  @SuppressWarnings("unchecked")
  java.util.Set<Object>[] sets(Object key) {
    Object[] s = distinct.computeIfAbsent(key, k -> {
      Object[] a = new Object[distinctColumns];
      for (int c = 0; c < a.length; c++) {
        a[c] = new java.util.HashSet<>();
      }
      return a;
    });
    java.util.Set<Object>[] out = new java.util.Set[s.length];
    for (int c = 0; c < s.length; c++) {
      out[c] = (java.util.Set<Object>) s[c];
    }
    return out;
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
    if (n == 1) {
      s[o + FIRST] = v;
    }
    s[o + LAST] = v;
    double d = v - s[o + MEAN];
    s[o + MEAN] += d / n;
    s[o + M2] += d * (v - s[o + MEAN]);
    s[o + SUM] += v;
    s[o + MIN] = Math.min(s[o + MIN], v);
    s[o + MAX] = Math.max(s[o + MAX], v);
  }

  /**
   * Adds value columns to fresh slots, row i to slot {@code gid[i]} (-1: no group), in two passes
   * per column: counts, sums, extremes, first and last, then M2 around each group's mean (as
   * stable as Welford's update, without a division per value). String columns only count their
   * non-null values.
   */
  static void addColumns(double[][] slots, int[] gid, Column[] values) {
    int n = gid.length;
    for (int c = 0; c < values.length; c++) {
      int o = c * WIDTH;
      double[] v = values[c].asDoubles();
      for (int i = 0; i < n; i++) {
        int g = gid[i];
        double x = v[i];
        if (g < 0 || x != x) {
          continue;
        }
        double[] s = slots[g];
        if (s[o + N]++ == 0) {
          s[o + FIRST] = x;
        }
        s[o + LAST] = x;
        s[o + SUM] += x;
        if (x < s[o + MIN]) {
          s[o + MIN] = x;
        }
        if (x > s[o + MAX]) {
          s[o + MAX] = x;
        }
      }
      for (double[] s : slots) {
        s[o + MEAN] = s[o + N] == 0 ? 0 : s[o + SUM] / s[o + N];
      }
      for (int i = 0; i < n; i++) {
        int g = gid[i];
        double x = v[i];
        if (g < 0 || x != x) {
          continue;
        }
        double[] s = slots[g];
        double d = x - s[o + MEAN];
        s[o + M2] += d * d;
      }
    }
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
      if (na == 0) {
        a[o + FIRST] = b[o + FIRST];
      }
      a[o + LAST] = b[o + LAST];
    }
  }

  /** Merges partials in the given order into a new one. */
  static GroupStats combine(Object[] parts) {
    GroupStats first = (GroupStats) parts[0];
    GroupStats acc = new GroupStats(first.columns, first.distinctColumns);
    for (Object o : parts) {
      GroupStats p = (GroupStats) o;
      // Each key's result depends only on the order of the parts, not on the map's order.
      for (Map.Entry<Object, double[]> e : p.groups.entrySet()) {
        merge(acc.slot(e.getKey()), e.getValue(), acc.columns);
      }
      for (Map.Entry<Object, Object[]> e : p.distinct.entrySet()) {
        java.util.Set<Object>[] into = acc.sets(e.getKey());
        for (int c = 0; c < into.length; c++) {
          into[c].addAll((java.util.Set<?>) e.getValue()[c]);
        }
      }
    }
    return acc;
  }

  /** This partial's groups split by key hash into {@code buckets} partials (deterministic across JVMs). */
  GroupStats[] split(int buckets) {
    GroupStats[] out = new GroupStats[buckets];
    for (int b = 0; b < buckets; b++) {
      out[b] = new GroupStats(columns, distinctColumns);
    }
    for (Map.Entry<Object, double[]> e : groups.entrySet()) {
      out[bucket(e.getKey(), buckets)].groups.put(e.getKey(), e.getValue());
    }
    for (Map.Entry<Object, Object[]> e : distinct.entrySet()) {
      out[bucket(e.getKey(), buckets)].distinct.put(e.getKey(), e.getValue());
    }
    return out;
  }

  private static int bucket(Object key, int buckets) {
    return Math.floorMod(key.hashCode() * 0x9E3779B9, buckets);
  }

  /** Partials with disjoint keys, put together. */
  static GroupStats union(Object[] parts) {
    GroupStats first = (GroupStats) parts[0];
    GroupStats acc = new GroupStats(first.columns, first.distinctColumns);
    for (Object o : parts) {
      acc.groups.putAll(((GroupStats) o).groups);
      acc.distinct.putAll(((GroupStats) o).distinct);
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
      case "first" -> n == 0 ? Double.NaN : s[o + FIRST];
      case "last" -> n == 0 ? Double.NaN : s[o + LAST];
      default -> throw new FrameException("unknown aggregation '" + agg + "'; supported: " + AGGREGATIONS);
    };
  }

  static final List<String> AGGREGATIONS = List.of("count", "sum", "mean", "var", "std", "min", "max", "first", "last",
      "nunique");

  static boolean knownAggregation(String agg) {
    return AGGREGATIONS.contains(agg);
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

  /**
   * The trip to another rank in bulk: keys as one long[] when they are all int64 (one String
   * each when all strings; objects otherwise), every group's statistics as one double[].
   */
  @Override
  public void write(com.esotericsoftware.kryo.Kryo kryo, com.esotericsoftware.kryo.io.Output out) {
    int n = groups.size();
    out.writeInt(columns);
    out.writeInt(distinctColumns);
    out.writeInt(n);
    Object[] keys = groups.keySet().toArray();
    boolean longs = true;
    boolean strings = true;
    for (Object k : keys) {
      longs &= k instanceof Long;
      strings &= k instanceof String;
    }
    out.writeByte(longs ? 1 : strings ? 2 : 0);
    if (longs) {
      long[] v = new long[n];
      for (int i = 0; i < n; i++) {
        v[i] = (Long) keys[i];
      }
      out.writeLongs(v, 0, n);
    } else {
      for (Object k : keys) {
        if (strings) {
          out.writeString((String) k);
        } else {
          kryo.writeClassAndObject(out, k);
        }
      }
    }
    int w = WIDTH * columns;
    double[] flat = new double[n * w];
    for (int i = 0; i < n; i++) {
      System.arraycopy(groups.get(keys[i]), 0, flat, i * w, w);
    }
    out.writeDoubles(flat, 0, flat.length);
    out.writeInt(distinct.size());
    for (Map.Entry<Object, Object[]> e : distinct.entrySet()) {
      kryo.writeClassAndObject(out, e.getKey());
      kryo.writeClassAndObject(out, e.getValue());
    }
  }

  @Override
  public void read(com.esotericsoftware.kryo.Kryo kryo, com.esotericsoftware.kryo.io.Input in) {
    columns = in.readInt();
    distinctColumns = in.readInt();
    int n = in.readInt();
    int kind = in.readByte();
    Object[] keys = new Object[n];
    if (kind == 1) {
      long[] v = in.readLongs(n);
      for (int i = 0; i < n; i++) {
        keys[i] = v[i];
      }
    } else {
      for (int i = 0; i < n; i++) {
        keys[i] = kind == 2 ? in.readString() : kryo.readClassAndObject(in);
      }
    }
    int w = WIDTH * columns;
    double[] flat = in.readDoubles(n * w);
    groups = new HashMap<>(Math.max(16, (int) (n / 0.74f) + 1));
    for (int i = 0; i < n; i++) {
      groups.put(keys[i], java.util.Arrays.copyOfRange(flat, i * w, (i + 1) * w));
    }
    int d = in.readInt();
    distinct = new HashMap<>();
    for (int i = 0; i < d; i++) {
      Object k = kryo.readClassAndObject(in);
      distinct.put(k, (Object[]) kryo.readClassAndObject(in));
    }
  }
}
