package io.rankwise.frame;

import io.rankwise.graph.Layer;
import io.rankwise.graph.Task;
import io.rankwise.graph.TaskKey;
import io.rankwise.runtime.Session;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * dropDuplicates as a distributed semi-join: only the key columns and row positions travel. Keys
 * are hash-shuffled into buckets (pieces in partition order), each bucket keeps the first
 * position of every distinct key, the surviving positions go back to their partitions, and each
 * partition filters its own rows. The result keeps the frame's partitions, order and divisions,
 * so it equals pandas' {@code drop_duplicates(keep='first')} row for row at any rank count.
 */
final class Distinct {
  private static final String POS = "\u0000position";

  private Distinct() {}

  static DFrame dropDuplicates(DFrame f, String[] subset, int buckets) {
    String[] keys = subset.length == 0 ? f.names.clone() : subset.clone();
    ColumnType[] keyTypes = new ColumnType[keys.length + 1];
    for (int k = 0; k < keys.length; k++) {
      keyTypes[k] = f.types[f.position(keys[k])];
    }
    keyTypes[keys.length] = ColumnType.INT64;
    String[] keyNames = Arrays.copyOf(keys, keys.length + 1);
    keyNames[keys.length] = POS;
    String n = Session.current().nextName("drop-duplicates");
    int parts = f.npartitions;

    // the keys of each partition, with each row's position (partition << 32 | row)
    List<Task> keyTasks = new ArrayList<>(parts);
    for (int p = 0; p < parts; p++) {
      long base = (long) p << 32;
      keyTasks.add(new Task(new TaskKey(n + "-keys", p), List.of(f.key(p)), in -> {
        Table t = ((Table) in[0]).select(keys);
        long[] pos = new long[t.rows()];
        for (int i = 0; i < pos.length; i++) {
          pos[i] = base | i;
        }
        Column[] cols = Arrays.copyOf(t.columns, keys.length + 1);
        cols[keys.length] = Column.of(pos);
        return new Table(null, null, keyNames, cols);
      }, "keys", 1.0, -1));
    }
    DFrame keyFrame = new DFrame(n + "-keys", null, null, keyNames, keyTypes, null, parts,
        new Layer(n + "-keys", keyTasks, List.of(f.layer)));
    Shuffle.Split split = Shuffle.split(keyFrame, "drop-duplicates", buckets,
        Shuffle.byHash(Shuffle.columns(keys), buckets));

    // each bucket: the first position of every distinct key, sorted out by partition
    List<Task> tasks = new ArrayList<>();
    for (int b = 0; b < buckets; b++) {
      TaskKey first = new TaskKey(n + "-first", b);
      tasks.add(new Task(first, split.pieces(b), in -> survivors(Shuffle.concat(in, 0, in.length), keys, parts),
          "first", 1.0, Shuffle.bucketOwner(b)));
      for (int p = 0; p < parts; p++) {
        int pp = p;
        tasks.add(new Task(new TaskKey(n + "-back", b, p), List.of(first), in -> ((int[][]) in[0])[pp], "piece",
            0.001, Task.FOLLOW_INPUT));
      }
    }
    Layer back = new Layer(n + "-first", tasks, List.of(split.layer()));

    // each partition keeps its surviving rows
    List<Task> out = new ArrayList<>(parts);
    for (int p = 0; p < parts; p++) {
      List<TaskKey> deps = new ArrayList<>();
      deps.add(f.key(p));
      for (int b = 0; b < buckets; b++) {
        deps.add(new TaskKey(n + "-back", b, p));
      }
      out.add(new Task(new TaskKey(n, p), deps, in -> {
        Table t = (Table) in[0];
        boolean[] keep = new boolean[t.rows()];
        for (int i = 1; i < in.length; i++) {
          for (int row : (int[]) in[i]) {
            keep[row] = true;
          }
        }
        return t.filter(Column.of(keep));
      }, "drop-duplicates", 1.0, -1));
    }
    return new DFrame(n, f.indexName, f.indexType, f.names, f.types, f.divisions, parts,
        new Layer(n, out, Layer.distinct(List.of(f.layer, back))));
  }

  /** Rows of t (keys + position) that are the first of their key, as row numbers per partition. */
  private static int[][] survivors(Table t, String[] keys, int parts) {
    boolean[] first = firstOccurrences(Shuffle.columns(keys).apply(t), t.rows());
    long[] pos = (long[]) t.column(POS).data;
    int[] count = new int[parts];
    for (int i = 0; i < pos.length; i++) {
      if (first[i]) {
        count[(int) (pos[i] >>> 32)]++;
      }
    }
    int[][] out = new int[parts][];
    for (int p = 0; p < parts; p++) {
      out[p] = new int[count[p]];
    }
    int[] fill = new int[parts];
    for (int i = 0; i < pos.length; i++) {
      if (first[i]) {
        int p = (int) (pos[i] >>> 32);
        out[p][fill[p]++] = (int) pos[i];
      }
    }
    return out;
  }

  /** Whether each row is the first with its key (nulls equal nulls, as pandas). */
  static boolean[] firstOccurrences(Column[] keys, int n) {
    int cap = Integer.highestOneBit(Math.max(2, n) * 2);
    int[] head = new int[cap];
    Arrays.fill(head, -1);
    int[] next = new int[n];
    int[] hash = new int[n];
    boolean[] first = new boolean[n];
    rows:
    for (int i = 0; i < n; i++) {
      int h = Shuffle.rowHash(keys, i);
      hash[i] = h;
      int slot = Shuffle.spread(h) & (cap - 1);
      for (int j = head[slot]; j >= 0; j = next[j]) {
        if (hash[j] == h && Shuffle.sameKey(keys, i, keys, j)) {
          continue rows;
        }
      }
      next[i] = head[slot];
      head[slot] = i;
      first[i] = true;
    }
    return first;
  }
}
