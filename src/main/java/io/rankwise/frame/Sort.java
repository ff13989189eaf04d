package io.rankwise.frame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * sortValues and setIndex by sample sort: a small eager pass samples every partition (and finds
 * the exact range of a datetime/int key), splitters cut the sampled key distribution into equal
 * weights, a shuffle routes each row to the bucket of its key range, and each bucket sorts its
 * rows stably. Pieces meet in partition order, so the whole result is the stable sort of the
 * frame (pandas' {@code kind='stable'}) whatever the ranks or buckets. Nulls go last.
 */
final class Sort {
  /** Rows sampled per partition. */
  static final int SAMPLES = 100;

  private Sort() {}

  /** Row order by the key columns; nulls last in either direction. */
  record Order(String[] by, boolean[] ascending) {
    Column[] keys(Table t) {
      return Shuffle.columns(by).apply(t);
    }

    int compare(Column[] a, int i, Column[] b, int j) {
      for (int k = 0; k < a.length; k++) {
        boolean na = a[k].isNull(i);
        boolean nb = b[k].isNull(j);
        int c = na || nb ? Boolean.compare(na, nb) : ascending[k] ? a[k].compareRows(i, b[k], j)
            : b[k].compareRows(j, a[k], i);
        if (c != 0) {
          return c;
        }
      }
      return 0;
    }

    /** The rows of t in this order (stable). */
    int[] sorted(Table t) {
      Column[] k = keys(t);
      int[] idx = new int[t.rows()];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = i;
      }
      IntComparator cmp = k.length == 1 ? oneKey(k[0], ascending[0]) : null;
      mergeSort(idx, new int[idx.length], 0, idx.length, cmp != null ? cmp : (x, y) -> compare(k, x, k, y));
      return idx;
    }

    /**
     * {@link #compare} of rows of one key column of a common type, on its arrays (no type switch
     * or null test per side and comparison); null for other types.
     */
    private static IntComparator oneKey(Column c, boolean asc) {
      int sign = asc ? 1 : -1;
      switch (c.type()) {
        case INT64 -> {
          long[] v = (long[]) c.data;
          return (x, y) -> sign * Long.compare(v[x], v[y]);
        }
        case DATETIME -> {
          long[] v = (long[]) c.data;
          return (x, y) -> {
            boolean nx = v[x] == Column.NAT;
            boolean ny = v[y] == Column.NAT;
            return nx || ny ? Boolean.compare(nx, ny) : sign * Long.compare(v[x], v[y]);
          };
        }
        case FLOAT64 -> {
          double[] v = (double[]) c.data;
          return (x, y) -> {
            double a = v[x];
            double b = v[y];
            boolean nx = a != a;
            boolean ny = b != b;
            return nx || ny ? Boolean.compare(nx, ny) : sign * Double.compare(a == 0 ? 0.0 : a, b == 0 ? 0.0 : b);
          };
        }
        case STRING -> {
          int[] codes = (int[]) c.data;
          String[] dict = c.dictionary;
          return (x, y) -> {
            int a = codes[x];
            int b = codes[y];
            if (a < 0 || b < 0) {
              return Boolean.compare(a < 0, b < 0);
            }
            return a == b ? 0 : sign * dict[a].compareTo(dict[b]);
          };
        }
        default -> {
          return null;
        }
      }
    }
  }

  interface IntComparator {
    int compare(int a, int b);
  }

  /** Stable merge sort of idx[from, to). */
  static void mergeSort(int[] idx, int[] tmp, int from, int to, IntComparator cmp) {
    if (to - from < 24) {
      for (int i = from + 1; i < to; i++) {
        int v = idx[i];
        int j = i - 1;
        while (j >= from && cmp.compare(idx[j], v) > 0) {
          idx[j + 1] = idx[j];
          j--;
        }
        idx[j + 1] = v;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(idx, tmp, from, mid, cmp);
    mergeSort(idx, tmp, mid, to, cmp);
    if (cmp.compare(idx[mid - 1], idx[mid]) <= 0) {
      return;
    }
    System.arraycopy(idx, from, tmp, from, to - from);
    int i = from;
    int j = mid;
    for (int k = from; k < to; k++) {
      if (j >= to || (i < mid && cmp.compare(tmp[i], tmp[j]) <= 0)) {
        idx[k] = tmp[i++];
      } else {
        idx[k] = tmp[j++];
      }
    }
  }

  /** One partition's sample: key rows, the rows each stands for, and the exact range of a long key. */
  record Sample(Table keys, double weight, long min, long max, boolean nulls) {}

  static DFrame sortValues(DFrame f, Order order, int buckets, String newIndex) {
    for (String b : order.by) {
      f.position(b);
    }
    List<Sample> samples = samples(f, order);
    Table splitters = splitters(samples, order, buckets);
    int nb = splitters.rows() + 1;
    Column[] sk = order.keys(splitters);
    Shuffle.Router router = t -> {
      Column[] k = order.keys(t);
      int[] out = new int[t.rows()];
      for (int i = 0; i < out.length; i++) {
        int lo = 0;
        int hi = sk[0].size(); // count of splitters <= row i
        while (lo < hi) {
          int mid = (lo + hi) >>> 1;
          if (order.compare(sk, mid, k, i) <= 0) {
            lo = mid + 1;
          } else {
            hi = mid;
          }
        }
        out[i] = lo;
      }
      return out;
    };
    Shuffle.Split split = Shuffle.split(f, "sort-split", nb, router);
    if (newIndex == null) {
      return Shuffle.gather(f, split, "sort-values", f.indexName, f.indexType, f.names, f.types, null,
          t -> t.take(order.sorted(t)));
    }
    int pos = f.position(newIndex);
    ColumnType it = f.types[pos];
    String[] names = new String[f.names.length - 1];
    ColumnType[] types = new ColumnType[names.length];
    for (int c = 0, k = 0; c < f.names.length; c++) {
      if (c != pos) {
        names[k] = f.names[c];
        types[k++] = f.types[c];
      }
    }
    return Shuffle.gather(f, split, "set-index", newIndex, it, names, types, divisions(samples, splitters, it), t -> {
      Table s = t.take(order.sorted(t));
      Column[] cols = new Column[names.length];
      for (int c = 0; c < names.length; c++) {
        cols[c] = s.column(names[c]);
      }
      return new Table(newIndex, s.column(newIndex), names, cols);
    });
  }

  /** Known divisions of a datetime/int64 index without nulls: the exact range cut at the splitters. */
  private static long[] divisions(List<Sample> samples, Table splitters, ColumnType t) {
    if (t != ColumnType.DATETIME && t != ColumnType.INT64) {
      return null;
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (Sample s : samples) {
      if (s.nulls) {
        return null;
      }
      min = Math.min(min, s.min);
      max = Math.max(max, s.max);
    }
    if (min > max) {
      return null; // no rows
    }
    Column sk = splitters.columns[0];
    long[] d = new long[sk.size() + 2];
    d[0] = min;
    for (int i = 0; i < sk.size(); i++) {
      d[i + 1] = sk.getLong(i);
    }
    d[d.length - 1] = max;
    return d;
  }

  private static List<Sample> samples(DFrame f, Order order) {
    List<Sample> samples = new ArrayList<>();
    for (Object o : Frames.perPartition(f, "sort-sample", (p, t) -> sample(t, order))) {
      samples.add((Sample) o);
    }
    return samples;
  }

  private static Sample sample(Table t, Order order) {
    int rows = t.rows();
    int s = Math.min(rows, SAMPLES);
    int[] idx = new int[s];
    for (int k = 0; k < s; k++) {
      idx[k] = (int) ((k + 0.5) * rows / s);
    }
    Table keys = t.select(order.by).take(idx);
    Column first = Shuffle.keyColumn(t, order.by[0]);
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    boolean nulls = false;
    if (first.type() == ColumnType.DATETIME || first.type() == ColumnType.INT64) {
      for (int i = 0; i < rows; i++) {
        if (first.isNull(i)) {
          nulls = true;
        } else {
          long v = first.getLong(i);
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    return new Sample(new Table(null, null, keys.names, keys.columns), s == 0 ? 0 : (double) rows / s, min, max, nulls);
  }

  /** Up to buckets - 1 distinct key rows cutting the weighted sample into equal parts. */
  private static Table splitters(List<Sample> samples, Order order, int buckets) {
    List<Table> ts = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    for (Sample s : samples) {
      ts.add(s.keys);
      for (int i = 0; i < s.keys.rows(); i++) {
        weights.add(s.weight);
      }
    }
    Table all = Table.concat(ts);
    int[] idx = order.sorted(all);
    Column[] k = order.keys(all);
    double total = weights.stream().mapToDouble(Double::doubleValue).sum();
    List<Integer> picked = new ArrayList<>();
    double seen = 0;
    int next = 1;
    for (int r = 0; r < idx.length && next < buckets; r++) {
      seen += weights.get(idx[r]);
      while (next < buckets && seen >= total * next / buckets) {
        int row = idx[r];
        boolean nullKey = Arrays.stream(k).anyMatch(c -> c.isNull(row));
        if (!nullKey && (picked.isEmpty() || order.compare(k, picked.get(picked.size() - 1), k, row) != 0)) {
          picked.add(row);
        }
        next++;
      }
    }
    return all.take(picked.stream().mapToInt(Integer::intValue).toArray());
  }
}
