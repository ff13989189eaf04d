package io.rankwise.frame;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code df.resample("1h")}: time bins of the datetime index, as pandas (origin 'start_day': bins
 * start at multiples of the rule from midnight of the first day, left-closed, labelled by their
 * start; empty bins between the first and the last appear with NaN means and zero counts). A bin
 * that spans two partitions is merged like any group.
 */
public final class Resample {
  private final DFrame frame;
  private final long rule;
  private final String ruleText;

  Resample(DFrame frame, long rule, String ruleText) {
    this.frame = frame;
    this.rule = rule;
    this.ruleText = ruleText;
  }

  public Aggregation mean() {
    return aggregate("mean");
  }

  public Aggregation sum() {
    return aggregate("sum");
  }

  public Aggregation count() {
    return aggregate("count");
  }

  public Aggregation min() {
    return aggregate("min");
  }

  public Aggregation max() {
    return aggregate("max");
  }

  public Aggregation std() {
    return aggregate("std");
  }

  private Aggregation aggregate(String agg) {
    List<String> cols = new ArrayList<>();
    for (int c = 0; c < frame.names.length; c++) {
      if (frame.types[c] != ColumnType.STRING) {
        cols.add(frame.names[c]);
      }
    }
    long r = rule;
    // pandas' default origin: midnight of the first day (known from the divisions); the epoch when
    // the divisions are unknown, which gives the same bins for every rule that divides a day.
    long day = 86_400_000_000_000L;
    long origin = frame.divisions == null ? 0 : Math.floorDiv(frame.divisions[0], day) * day;
    String[] names = cols.toArray(String[]::new);
    String indexName = frame.indexName;
    return new Aggregation(frame, "resample-" + ruleText + "-" + agg, part -> {
      GroupStats g = new GroupStats(names.length);
      Column[] values = cols.stream().map(part::column).toArray(Column[]::new);
      long[] ts = (long[]) part.index().data;
      int[] gid = new int[part.rows];
      long bin = Long.MIN_VALUE;
      int id = -1;
      for (int i = 0; i < part.rows; i++) {
        if (ts[i] == Column.NAT) {
          gid[i] = -1;
          continue;
        }
        long b = origin + Math.floorDiv(ts[i] - origin, r) * r;
        if (b != bin || id < 0) {
          bin = b;
          id = g.idOfLong(b);
        }
        gid[i] = id;
      }
      g.addColumns(gid, values);
      return g;
    }, parts -> {
      GroupStats stats = parts[0]; // the tree's merged partial
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      for (int k = 0; k < stats.size(); k++) {
        first = Math.min(first, (Long) stats.key(k));
        last = Math.max(last, (Long) stats.key(k));
      }
      int n = stats.size() == 0 ? 0 : (int) ((last - first) / r + 1);
      long[] bins = new long[n];
      int[] idOfBin = new int[n];
      java.util.Arrays.fill(idOfBin, -1);
      for (int k = 0; k < stats.size(); k++) {
        idOfBin[(int) (((Long) stats.key(k) - first) / r)] = k;
      }
      Column[] out = new Column[names.length];
      double[][] v = new double[names.length][n];
      for (int b = 0; b < n; b++) {
        bins[b] = first + b * r;
        int id = idOfBin[b];
        for (int c = 0; c < names.length; c++) {
          v[c][b] = id < 0 ? (agg.equals("count") || agg.equals("sum") ? 0 : Double.NaN)
              : stats.value(id, c, agg, 1);
        }
      }
      for (int c = 0; c < names.length; c++) {
        out[c] = agg.equals("count") ? Column.of(java.util.Arrays.stream(v[c]).mapToLong(d -> (long) d).toArray())
            : Column.of(v[c]);
      }
      return new Table(indexName, Column.datetimes(bins), names, out);
    }, new java.util.HashSet<>(cols)); // the partial reads these by name (and the index)
  }
}
