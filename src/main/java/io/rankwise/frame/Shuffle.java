package io.rankwise.frame;

import io.rankwise.graph.Layer;
import io.rankwise.graph.Task;
import io.rankwise.graph.TaskKey;
import io.rankwise.runtime.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Rows moved between partitions (the frame shuffle behind merge, sortValues/setIndex and
 * dropDuplicates). Each input partition is split where it lives into one piece per output bucket;
 * bucket b's consumer takes piece b of every partition, in partition order, so the pieces cross
 * ranks in the executor's one all-to-all exchange of the level and every result is the same at any
 * rank count (the bucket count depends on the partition counts only).
 */
final class Shuffle {
  /** At most this many buckets by default (pieces are partitions x buckets tasks). */
  static final int MAX_BUCKETS = 128;

  private Shuffle() {}

  /** Which bucket each row of a partition goes to. */
  @FunctionalInterface
  interface Router {
    int[] route(Table part);
  }

  /** The split of one frame: piece (p, b) holds the rows of partition p routed to bucket b. */
  record Split(String name, int npartitions, int buckets, Layer layer) {
    TaskKey piece(int p, int b) {
      return new TaskKey(name + "-piece", p, b);
    }

    /** Bucket b's pieces, in partition order. */
    List<TaskKey> pieces(int b) {
      List<TaskKey> out = new ArrayList<>(npartitions);
      for (int p = 0; p < npartitions; p++) {
        out.add(piece(p, b));
      }
      return out;
    }
  }

  /**
   * The rank that merges bucket b: buckets dealt round-robin, so every rank receives an equal
   * share of the shuffled data (placement never changes results, only who computes them).
   */
  static int bucketOwner(int b) {
    return b % Session.current().size();
  }

  /** The default bucket count for frames of these partition counts: the largest, capped. */
  static int buckets(int... npartitions) {
    int b = 1;
    for (int n : npartitions) {
      b = Math.max(b, n);
    }
    return Math.min(b, MAX_BUCKETS);
  }

  static Split split(DFrame f, String op, int buckets, Router router) {
    String n = Session.current().nextName(op);
    List<Task> tasks = new ArrayList<>();
    for (int p = 0; p < f.npartitions; p++) {
      TaskKey split = new TaskKey(n + "-split", p);
      tasks.add(new Task(split, List.of(f.key(p)), in -> cut((Table) in[0], router, buckets), op + "-split", 1.0,
          Task.FOLLOW_INPUT)); // where the partition is: only the pieces travel
      for (int b = 0; b < buckets; b++) {
        int bb = b;
        tasks.add(new Task(new TaskKey(n + "-piece", p, b), List.of(split), in -> ((Table[]) in[0])[bb], "piece", 0.001,
            Task.FOLLOW_INPUT));
      }
    }
    return new Split(n, f.npartitions, buckets, new Layer(n + "-split", tasks, List.of(f.layer)));
  }

  /** The rows of {@code t} grouped by bucket, each group in row order (a row routed to -1 goes nowhere). */
  static Table[] cut(Table t, Router router, int buckets) {
    int[] bucket = router.route(t);
    if (bucket.length != t.rows()) {
      throw new IllegalStateException("a router gave " + bucket.length + " buckets for " + t.rows() + " rows");
    }
    int[] count = new int[buckets];
    for (int b : bucket) {
      if (b < -1 || b >= buckets) {
        throw new IllegalStateException("a row routed to bucket " + b + " of " + buckets);
      }
      if (b >= 0) {
        count[b]++;
      }
    }
    return t.scatter(bucket, count);
  }

  /** The tables of inputs [from, to) put together in order. */
  static Table concat(Object[] in, int from, int to) {
    List<Table> ts = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      ts.add((Table) in[i]);
    }
    return Table.concat(ts);
  }

  /**
   * A frame of {@code split.buckets} partitions: partition b is {@code finish} of bucket b's rows
   * (in partition order).
   */
  static DFrame gather(DFrame like, Split split, String op, String indexName, ColumnType indexType, String[] names,
      ColumnType[] types, long[] divisions, Function<Table, Table> finish) {
    String n = Session.current().nextName(op);
    List<Task> tasks = new ArrayList<>(split.buckets);
    for (int b = 0; b < split.buckets; b++) {
      tasks.add(new Task(new TaskKey(n, b), split.pieces(b),
          in -> finish.apply(concat(in, 0, in.length)), op, 1.0, bucketOwner(b)));
    }
    return new DFrame(n, indexName, indexType, names, types, divisions, split.buckets,
        new Layer(n, tasks, List.of(split.layer)));
  }

  /** A router by a hash of the key columns (int64, bool and float64 keys hash alike). */
  static Router byHash(Function<Table, Column[]> keys, int buckets) {
    return t -> {
      Column[] cols = keys.apply(t);
      int[] out = new int[t.rows()];
      for (int i = 0; i < out.length; i++) {
        out[i] = Math.floorMod(rowHash(cols, i) * 0x9E3779B9, buckets);
      }
      return out;
    };
  }

  /** The named columns of a table (a name may be the index's). */
  static Function<Table, Column[]> columns(String... names) {
    return t -> {
      Column[] cols = new Column[names.length];
      for (int k = 0; k < names.length; k++) {
        cols[k] = keyColumn(t, names[k]);
      }
      return cols;
    };
  }

  static int rowHash(Column[] cols, int i) {
    int h = 17;
    for (Column c : cols) {
      h = h * 31 + c.hash(i);
    }
    return h;
  }

  /** Spreads a row hash over the slots of a power-of-two chained hash table. */
  static int spread(int h) {
    return h ^ (h >>> 16) ^ (h * 0x9E3779B9 >>> 7);
  }

  /** Whether row i of a equals row j of b on every key (nulls equal nulls, as pandas' keys). */
  static boolean sameKey(Column[] a, int i, Column[] b, int j) {
    for (int k = 0; k < a.length; k++) {
      if (!a[k].sameValue(i, b[k], j)) {
        return false;
      }
    }
    return true;
  }

  /** A column of t, or its index when {@code name} is the index's name. */
  static Column keyColumn(Table t, String name) {
    if (t.index() != null && name.equals(t.indexName())) {
      for (String c : t.names) {
        if (c.equals(name)) {
          return t.column(name);
        }
      }
      return t.index();
    }
    return t.column(name);
  }
}
