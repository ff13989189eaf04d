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
      List<double[]> slots = new ArrayList<>();
      java.util.HashMap<Long, Integer> ids = new java.util.HashMap<>();
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
          Integer known = ids.get(b);
          if (known == null) {
            known = slots.size();
            ids.put(b, known);
            slots.add(g.slot(b));
          }
          id = known;
        }
        gid[i] = id;
      }
      GroupStats.addColumns(slots.toArray(double[][]::new), gid, values);
      return g;
    }, stats -> {
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      for (Object k : stats.groups().keySet()) {
        first = Math.min(first, (Long) k);
        last = Math.max(last, (Long) k);
      }
      int n = stats.groups().isEmpty() ? 0 : (int) ((last - first) / r + 1);
      long[] bins = new long[n];
      Column[] out = new Column[names.length];
      double[][] v = new double[names.length][n];
      for (int b = 0; b < n; b++) {
        bins[b] = first + b * r;
        double[] slot = stats.groups().get(bins[b]);
        for (int c = 0; c < names.length; c++) {
          v[c][b] = slot == null ? (agg.equals("count") || agg.equals("sum") ? 0 : Double.NaN)
              : GroupStats.value(slot, c, agg, 1);
        }
      }
      for (int c = 0; c < names.length; c++) {
        out[c] = agg.equals("count") ? Column.of(java.util.Arrays.stream(v[c]).mapToLong(d -> (long) d).toArray())
            : Column.of(v[c]);
      }
      return new Table(indexName, Column.datetimes(bins), names, out);
    });
  }
}
