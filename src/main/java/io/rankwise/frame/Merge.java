package io.rankwise.frame;

import io.rankwise.graph.Layer;
import io.rankwise.graph.Task;
import io.rankwise.graph.TaskKey;
import io.rankwise.runtime.Session;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * pandas' merge/join over partitioned frames. Locally a hash join: the rows of one side are
 * chained by key hash, the other side probes them in row order (its rows keep their order; each
 * row's matches come in the other side's order). Distributed: broadcast or hash shuffle (see
 * {@link Join}). Types follow pandas where the schema must be known before the data: columns of
 * a side that can miss a match (the right of a left join, both of an outer join) become nullable,
 * int64 and bool as float64.
 */
final class Merge {
  private Merge() {}

  /** Where an output column comes from: side 0 (left), 1 (right), 2 (a key present on either side). */
  private record Out(String name, ColumnType type, int side, String left, String right) {}

  /** The whole plan, shipped inside tasks (no data). */
  private record Plan(Join.How how, boolean onIndex, String[] leftOn, String[] rightOn, List<Out> outs,
      Out index) {
    boolean nullLeft() {
      return how == Join.How.RIGHT || how == Join.How.OUTER;
    }

    boolean nullRight() {
      return how == Join.How.LEFT || how == Join.How.OUTER;
    }

    Column[] leftKeys(Table t) {
      return onIndex ? new Column[] {t.index()} : Shuffle.columns(leftOn).apply(t);
    }

    Column[] rightKeys(Table t) {
      return onIndex ? new Column[] {t.index()} : Shuffle.columns(rightOn).apply(t);
    }
  }

  static DFrame merge(DFrame left, DFrame right, Join j) {
    Plan plan = plan(left, right, j);
    String[] names = plan.outs.stream().map(Out::name).toArray(String[]::new);
    ColumnType[] types = plan.outs.stream().map(Out::type).toArray(ColumnType[]::new);
    String indexName = plan.index == null ? null : plan.index.name;
    ColumnType indexType = plan.index == null ? null : plan.index.type;
    boolean rightSmall = (j.how == Join.How.INNER || j.how == Join.How.LEFT);
    boolean leftSmall = (j.how == Join.How.INNER || j.how == Join.How.RIGHT);
    boolean broadcast;
    if (j.broadcast == null) {
      broadcast = (rightSmall && right.npartitions == 1) || (leftSmall && left.npartitions == 1);
      rightSmall &= right.npartitions == 1 || !leftSmall || left.npartitions != 1;
    } else {
      broadcast = j.broadcast;
      if (broadcast && !rightSmall && !leftSmall) {
        throw new FrameException("merge: an outer join cannot broadcast a side (its unmatched rows would repeat); "
            + "use broadcast(false)");
      }
      rightSmall &= !leftSmall || right.npartitions <= left.npartitions;
    }
    if (broadcast) {
      DFrame small = rightSmall ? right : left;
      DFrame big = rightSmall ? left : right;
      String n = Session.current().nextName("merge-broadcast");
      List<Task> tasks = new ArrayList<>();
      TaskKey all = new TaskKey(n + "-whole", 0);
      tasks.add(new Task(all, small.outputKeys(), in -> Shuffle.concat(in, 0, in.length), "broadcast", 1.0, -1));
      boolean sr = rightSmall;
      for (int p = 0; p < big.npartitions; p++) {
        tasks.add(new Task(new TaskKey(n, p), List.of(big.key(p), all),
            in -> sr ? join((Table) in[0], (Table) in[1], plan) : join((Table) in[1], (Table) in[0], plan), "merge",
            1.0, -1));
      }
      long[] divisions = plan.onIndex && rightSmall ? left.divisions : null;
      return new DFrame(n, indexName, indexType, names, types, divisions, big.npartitions,
          new Layer(n, tasks, Layer.distinct(List.of(big.layer, small.layer))));
    }
    int buckets = j.npartitions > 0 ? j.npartitions : Shuffle.buckets(left.npartitions, right.npartitions);
    Shuffle.Split ls = Shuffle.split(left, "merge-left", buckets, Shuffle.byHash(plan::leftKeys, buckets));
    Shuffle.Split rs = Shuffle.split(right, "merge-right", buckets, Shuffle.byHash(plan::rightKeys, buckets));
    String n = Session.current().nextName("merge");
    List<Task> tasks = new ArrayList<>(buckets);
    int lp = left.npartitions;
    for (int b = 0; b < buckets; b++) {
      List<TaskKey> deps = new ArrayList<>(ls.pieces(b));
      deps.addAll(rs.pieces(b));
      tasks.add(new Task(new TaskKey(n, b), deps,
          in -> join(Shuffle.concat(in, 0, lp), Shuffle.concat(in, lp, in.length), plan), "merge", 1.0,
          Shuffle.bucketOwner(b)));
    }
    return new DFrame(n, indexName, indexType, names, types, null, buckets,
        new Layer(n, tasks, List.of(ls.layer(), rs.layer())));
  }

  private static Plan plan(DFrame left, DFrame right, Join j) {
    ColumnType[] lt;
    ColumnType[] rt;
    if (j.onIndex) {
      if (left.indexType == null || right.indexType == null) {
        throw new FrameException("join: both frames need an index (setIndex first); the "
            + (left.indexType == null ? "left" : "right") + " frame has a range index");
      }
      lt = new ColumnType[] {left.indexType};
      rt = new ColumnType[] {right.indexType};
    } else {
      lt = keyTypes(left, j.leftOn, "left");
      rt = keyTypes(right, j.rightOn, "right");
    }
    ColumnType[] kt = new ColumnType[lt.length];
    for (int k = 0; k < lt.length; k++) {
      kt[k] = keyType(lt[k], rt[k], j.onIndex ? "the index" : "key '" + j.leftOn[k] + "'");
    }
    boolean shared = j.sharedKeys() && !j.onIndex;
    List<String> sharedKeys = shared ? List.of(j.leftOn) : List.of();
    Plan probe = new Plan(j.how, j.onIndex, j.leftOn, j.rightOn, List.of(), null);
    List<Out> outs = new ArrayList<>();
    for (int c = 0; c < left.names.length; c++) {
      String name = left.names[c];
      int k = sharedKeys.indexOf(name);
      if (k >= 0) {
        outs.add(probe.nullLeft() ? new Out(name, kt[k], 2, name, name) : new Out(name, left.types[c], 0, name, null));
        continue;
      }
      boolean clash = Arrays.asList(right.names).contains(name) && !sharedKeys.contains(name);
      ColumnType t = probe.nullLeft() ? Column.withNulls(left.types[c]) : left.types[c];
      outs.add(new Out(clash ? name + j.leftSuffix : name, t, 0, name, null));
    }
    for (int c = 0; c < right.names.length; c++) {
      String name = right.names[c];
      if (sharedKeys.contains(name)) {
        continue;
      }
      boolean clash = Arrays.asList(left.names).contains(name);
      ColumnType t = probe.nullRight() ? Column.withNulls(right.types[c]) : right.types[c];
      outs.add(new Out(clash ? name + j.rightSuffix : name, t, 1, null, name));
    }
    Out index = j.onIndex ? new Out(left.indexName != null ? left.indexName : right.indexName, kt[0], 2, null, null)
        : null;
    return new Plan(j.how, j.onIndex, j.leftOn, j.rightOn, List.copyOf(outs), index);
  }

  private static ColumnType[] keyTypes(DFrame f, String[] keys, String side) {
    ColumnType[] t = new ColumnType[keys.length];
    for (int k = 0; k < keys.length; k++) {
      if (keys[k].equals(f.indexName) && !Arrays.asList(f.names).contains(keys[k])) {
        t[k] = f.indexType;
        continue;
      }
      if (!Arrays.asList(f.names).contains(keys[k])) {
        throw new FrameException("merge: the " + side + " frame has no column '" + keys[k] + "'; its columns are "
            + Arrays.toString(f.names));
      }
      t[k] = f.types[f.position(keys[k])];
    }
    return t;
  }

  /** The type of a key present on either side; numbers meet numbers, strings strings, datetimes datetimes. */
  private static ColumnType keyType(ColumnType l, ColumnType r, String what) {
    if (l == r) {
      return l;
    }
    boolean ln = l == ColumnType.INT64 || l == ColumnType.FLOAT64 || l == ColumnType.BOOL;
    boolean rn = r == ColumnType.INT64 || r == ColumnType.FLOAT64 || r == ColumnType.BOOL;
    if (ln && rn) {
      return ColumnType.FLOAT64;
    }
    throw new FrameException("merge: " + what + " is " + l.pandasName() + " on the left and " + r.pandasName()
        + " on the right; their values can never match (convert one side first)");
  }

  /** The local join of two tables. */
  static Table join(Table l, Table r, Plan plan) {
    int[][] pairs;
    if (plan.how == Join.How.RIGHT) {
      int[][] p = pairs(plan.rightKeys(r), r.rows(), plan.leftKeys(l), l.rows(), true, false);
      pairs = new int[][] {p[1], p[0]};
    } else {
      pairs = pairs(plan.leftKeys(l), l.rows(), plan.rightKeys(r), r.rows(), plan.how != Join.How.INNER,
          plan.how == Join.How.OUTER);
    }
    int[] li = pairs[0];
    int[] ri = pairs[1];
    Column[] cols = new Column[plan.outs.size()];
    for (int c = 0; c < cols.length; c++) {
      Out o = plan.outs.get(c);
      cols[c] = switch (o.side) {
        case 0 -> pick(l.column(o.left), li, plan.nullLeft());
        case 1 -> pick(r.column(o.right), ri, plan.nullRight());
        default -> coalesce(Shuffle.keyColumn(l, o.left), li, Shuffle.keyColumn(r, o.right), ri, o.type);
      };
    }
    String[] names = plan.outs.stream().map(Out::name).toArray(String[]::new);
    if (plan.index != null) {
      return new Table(plan.index.name, coalesce(l.index(), li, r.index(), ri, plan.index.type), names, cols);
    }
    return new Table(null, null, names, cols);
  }

  private static Column pick(Column c, int[] idx, boolean nullable) {
    return nullable ? c.nullableCopy().takeOrNull(idx) : c.take(idx);
  }

  /** Row k from a[ia[k]], or from b[ib[k]] where ia[k] is -1. */
  private static Column coalesce(Column a, int[] ia, Column b, int[] ib, ColumnType t) {
    int n = ia.length;
    switch (t) {
      case STRING -> {
        String[] v = new String[n];
        for (int k = 0; k < n; k++) {
          v[k] = ia[k] >= 0 ? a.getString(ia[k]) : b.getString(ib[k]);
        }
        return Column.strings(v);
      }
      case FLOAT64 -> {
        double[] v = new double[n];
        for (int k = 0; k < n; k++) {
          v[k] = ia[k] >= 0 ? a.getDouble(ia[k]) : b.getDouble(ib[k]);
        }
        return Column.of(v);
      }
      case BOOL -> {
        boolean[] v = new boolean[n];
        for (int k = 0; k < n; k++) {
          v[k] = ia[k] >= 0 ? a.getBool(ia[k]) : b.getBool(ib[k]);
        }
        return Column.of(v);
      }
      default -> {
        long[] v = new long[n];
        for (int k = 0; k < n; k++) {
          v[k] = ia[k] >= 0 ? a.getLong(ia[k]) : b.getLong(ib[k]);
        }
        return t == ColumnType.DATETIME ? Column.datetimes(v) : Column.of(v);
      }
    }
  }

  /**
   * Matching row pairs {driver rows, build rows}: driver rows in order, each with its matches in
   * build order; -1 where a row has no match and is kept.
   */
  static int[][] pairs(Column[] driver, int dn, Column[] build, int bn, boolean keepDriver, boolean keepBuild) {
    int cap = Integer.highestOneBit(Math.max(2, bn) * 2);
    int[] head = new int[cap];
    Arrays.fill(head, -1);
    int[] next = new int[bn];
    int[] hash = new int[bn];
    for (int j = bn - 1; j >= 0; j--) {
      hash[j] = Shuffle.rowHash(build, j);
      int slot = Shuffle.spread(hash[j]) & (cap - 1);
      next[j] = head[slot];
      head[slot] = j;
    }
    boolean[] matched = keepBuild ? new boolean[bn] : null;
    IntPairs out = new IntPairs(Math.max(16, dn));
    for (int i = 0; i < dn; i++) {
      int h = Shuffle.rowHash(driver, i);
      boolean found = false;
      for (int j = head[Shuffle.spread(h) & (cap - 1)]; j >= 0; j = next[j]) {
        if (hash[j] == h && Shuffle.sameKey(driver, i, build, j)) {
          out.add(i, j);
          found = true;
          if (matched != null) {
            matched[j] = true;
          }
        }
      }
      if (!found && keepDriver) {
        out.add(i, -1);
      }
    }
    if (matched != null) {
      for (int j = 0; j < bn; j++) {
        if (!matched[j]) {
          out.add(-1, j);
        }
      }
    }
    return new int[][] {Arrays.copyOf(out.a, out.n), Arrays.copyOf(out.b, out.n)};
  }

  /** Two growable int lists. */
  private static final class IntPairs {
    int[] a;
    int[] b;
    int n;

    IntPairs(int cap) {
      a = new int[cap];
      b = new int[cap];
    }

    void add(int x, int y) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
        b = Arrays.copyOf(b, n * 2);
      }
      a[n] = x;
      b[n++] = y;
    }
  }
}
