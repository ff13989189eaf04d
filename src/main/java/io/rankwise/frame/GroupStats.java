package io.rankwise.frame;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Mergeable per-group statistics of k value columns, stored by columns: group g has key
 * {@code keys[g]} and its statistics at {@code stats[g * width() ...]}: for each value column the
 * count of non-NaN values, their mean and M2 (merged with Chan et al.'s formula, not sums of
 * squares), sum, min, max, and the first and last non-NaN values; and for nunique columns the set
 * of distinct non-null values. A partition's partial is one of these; partials merge in partition
 * order (a fixed tree, or a bucket's pieces in order), so results do not depend on the number of
 * ranks. Keys are found through a primitive hash when they are int64 values, else a HashMap;
 * the index is built only when keys are looked up (pieces of a shuffle never need one).
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

  static {
    io.rankwise.graph.BulkCodec.register(GroupStats.class, new Bulk());
  }

  /** Every statistic of a column. */
  static final int ALL_SLOTS = (1 << WIDTH) - 1;

  int columns;
  int distinctColumns;
  /**
   * The statistics (bit {@code N}, {@code MEAN}, ...) that the aggregations read: a shuffle piece
   * carries only those (the others are left at 0 on arrival and never read).
   */
  int slots = ALL_SLOTS;
  int size;
  Object[] keys; // group keys; null while every key is an int64 value (then in longKeys)
  long[] longKeys; // int64 keys, unboxed, while there are only such keys
  double[] stats;
  /**
   * A piece that arrived by the bulk codec: only its {@code slots}, group after group (stats is
   * null until {@link #unpack}); merged from this form without building the full statistics.
   */
  double[] packed;
  Object[][] sets; // per group, one HashSet per nunique column (null when there are none)
  private transient LongIds longIndex;
  private transient HashMap<Object, Integer> index;

  private GroupStats() {} // for the serializer

  GroupStats(int columns) {
    this(columns, 0);
  }

  GroupStats(int columns, int distinctColumns) {
    this(columns, distinctColumns, 16);
  }

  GroupStats(int columns, int distinctColumns, int capacity) {
    this.columns = columns;
    this.distinctColumns = distinctColumns;
    this.longKeys = new long[Math.max(1, capacity)];
    this.stats = new double[Math.max(1, capacity) * WIDTH * columns];
    this.sets = distinctColumns > 0 ? new Object[Math.max(1, capacity)][] : null;
  }

  /** Groups keyed by the int64 keys of {@code ids}, in id order, with empty statistics (and that index). */
  static GroupStats ofLongKeys(int columns, int distinctColumns, LongIds ids) {
    GroupStats g = new GroupStats(columns, distinctColumns, ids.size());
    long[] k = ids.keysById();
    System.arraycopy(k, 0, g.longKeys, 0, k.length);
    for (int i = 0; i < k.length; i++) {
      g.initialize();
    }
    g.longIndex = ids;
    return g;
  }

  int width() {
    return WIDTH * columns;
  }

  /** The statistics that {@code aggs} read (the count always: merges and empty groups need it). */
  static int slotsFor(List<String> aggs) {
    int m = 1 << N;
    for (String a : aggs) {
      m |= switch (a) {
        case "sum" -> 1 << SUM;
        case "mean" -> 1 << MEAN;
        case "var", "std" -> (1 << MEAN) | (1 << M2);
        case "min" -> 1 << MIN;
        case "max" -> 1 << MAX;
        case "first" -> 1 << FIRST;
        case "last" -> 1 << LAST;
        default -> 0; // count, nunique (sets)
      };
    }
    return m;
  }

  int size() {
    return size;
  }

  Object key(int g) {
    return keys == null ? (Object) longKeys[g] : keys[g];
  }

  /** Whether every key is an int64 value (stored unboxed). */
  boolean longKeyed() {
    return keys == null;
  }

  /** Keys as objects from now on (a key of another kind arrived). */
  private void boxKeys() {
    if (keys == null) {
      keys = new Object[longKeys.length];
      for (int g = 0; g < size; g++) {
        keys[g] = longKeys[g];
      }
      longKeys = null;
    }
  }

  /** The id of {@code key}'s group, made (with empty statistics) when new. */
  int id(Object key) {
    if (key instanceof Long l && index == null) {
      return idOfLong(l);
    }
    boxKeys();
    if (index == null) {
      useObjectIndex();
    }
    Integer id = index.get(key);
    if (id != null) {
      return id;
    }
    index.put(key, size);
    add(key);
    return size - 1;
  }

  /** The id of the group of int64 key v (boxed only when the group is new). */
  int idOfLong(long v) {
    if (index == null && longIndex == null && size > 0) {
      buildIndex();
    }
    if (index != null) {
      return id((Object) Long.valueOf(v));
    }
    if (longIndex == null) {
      longIndex = new LongIds(Math.max(16, expected));
    }
    int id = longIndex.get(v, size);
    if (id == size) {
      addLong(v);
    }
    return id;
  }

  /** The id of {@code key}'s group, or -1. */
  int find(Object key) {
    if (longIndex == null && index == null) {
      buildIndex();
    }
    if (index != null) {
      Integer id = index.get(key);
      return id == null ? -1 : id;
    }
    return key instanceof Long l && longIndex != null ? longIndex.find(l) : -1;
  }

  private void buildIndex() {
    if (keys == null) {
      longIndex = new LongIds(Math.max(16, size));
      for (int g = 0; g < size; g++) {
        longIndex.get(longKeys[g], g);
      }
    } else {
      index = new HashMap<>(Math.max(16, (int) (size / 0.74f) + 1));
      for (int g = 0; g < size; g++) {
        index.put(keys[g], g);
      }
    }
  }

  private void useObjectIndex() {
    if (index != null) {
      return;
    }
    boxKeys();
    index = new HashMap<>(Math.max(16, (int) (size / 0.74f) + 1));
    for (int g = 0; g < size; g++) {
      index.put(keys[g], g);
    }
    longIndex = null;
  }

  private void add(Object key) {
    boxKeys();
    grow();
    keys[size] = key;
    initialize();
  }

  private void addLong(long key) {
    grow();
    if (keys == null) {
      longKeys[size] = key;
    } else {
      keys[size] = key;
    }
    initialize();
  }

  private void grow() {
    int cap = keys == null ? longKeys.length : keys.length;
    if (size < cap) {
      return;
    }
    cap = Math.max(16, size * 2);
    if (keys == null) {
      longKeys = Arrays.copyOf(longKeys, cap);
    } else {
      keys = Arrays.copyOf(keys, cap);
    }
    stats = Arrays.copyOf(stats, cap * width());
    if (sets != null) {
      sets = Arrays.copyOf(sets, cap);
    }
  }

  /** Empty statistics (and sets) for the group just added. */
  private void initialize() {
    int b = size * width();
    for (int c = 0; c < columns; c++) {
      stats[b + c * WIDTH + MIN] = Double.POSITIVE_INFINITY;
      stats[b + c * WIDTH + MAX] = Double.NEGATIVE_INFINITY;
    }
    if (sets != null) {
      Object[] s = new Object[distinctColumns];
      for (int c = 0; c < s.length; c++) {
        s[c] = new HashSet<>();
      }
      sets[size] = s;
    }
    size++;
  }

  /** Expected number of groups (sizes the first hash table). */
  int expected;

  /** The distinct-value sets of group g (one per nunique column). */
  @SuppressWarnings("unchecked")
  Set<Object> set(int g, int c) {
    return (Set<Object>) sets[g][c];
  }

  /**
   * Adds value columns, row i to group {@code gid[i]} (-1: no group), in two passes per column:
   * counts, sums, extremes, first and last, then M2 around each group's mean (as stable as
   * Welford's update, without a division per value). Only for fresh partials (each group's rows
   * all arrive here). String columns only count their non-null values.
   */
  void addColumns(int[] gid, Column[] values) {
    addColumns(new int[][] {gid}, new Column[][] {values});
  }

  /**
   * {@link #addColumns(int[], Column[])} over several pieces of rows, {@code values[p][c]}, as if
   * they were one table in piece order (the same bits), without putting them together.
   */
  void addColumns(int[][] gids, Column[][] values) {
    int w = width();
    // only what the aggregations read (slots): a sum or mean is one pass of counts and sums; each
    // pass is a method of its own (the JIT compiles only those a job uses, each small and quickly)
    boolean others = (slots & ((1 << MIN) | (1 << MAX) | (1 << FIRST) | (1 << LAST))) != 0;
    boolean m2 = (slots & (1 << M2)) != 0;
    for (int c = 0; c < columns; c++) {
      int o = c * WIDTH;
      double[][] v = new double[gids.length][];
      for (int p = 0; p < gids.length; p++) {
        v[p] = values[p][c].asDoubles();
        if (others) {
          addAll(gids[p], v[p], stats, w, o);
        } else {
          addCountsAndSums(gids[p], v[p], stats, w, o);
        }
      }
      means(stats, size, w, o);
      if (m2) {
        for (int p = 0; p < gids.length; p++) {
          addDeviationSquares(gids[p], v[p], stats, w, o);
        }
      }
    }
  }

  /** Counts and sums of the non-NaN values into their groups' statistics at offset o. */
  private static void addCountsAndSums(int[] gid, double[] v, double[] st, int w, int o) {
    for (int i = 0; i < gid.length; i++) {
      int g = gid[i];
      double x = v[i];
      if (g < 0 || x != x) {
        continue;
      }
      int b = g * w + o;
      st[b + N]++;
      st[b + SUM] += x;
    }
  }

  /** Counts, sums, extremes, first and last of the non-NaN values. */
  private static void addAll(int[] gid, double[] v, double[] st, int w, int o) {
    for (int i = 0; i < gid.length; i++) {
      int g = gid[i];
      double x = v[i];
      if (g < 0 || x != x) {
        continue;
      }
      int b = g * w + o;
      if (st[b + N]++ == 0) {
        st[b + FIRST] = x;
      }
      st[b + LAST] = x;
      st[b + SUM] += x;
      if (x < st[b + MIN]) {
        st[b + MIN] = x;
      }
      if (x > st[b + MAX]) {
        st[b + MAX] = x;
      }
    }
  }

  private static void means(double[] st, int groups, int w, int o) {
    for (int g = 0; g < groups; g++) {
      int b = g * w + o;
      st[b + MEAN] = st[b + N] == 0 ? 0 : st[b + SUM] / st[b + N];
    }
  }

  /** M2 around each group's mean (as stable as Welford's update, without a division per value). */
  private static void addDeviationSquares(int[] gid, double[] v, double[] st, int w, int o) {
    for (int i = 0; i < gid.length; i++) {
      int g = gid[i];
      double x = v[i];
      if (g < 0 || x != x) {
        continue;
      }
      int b = g * w + o;
      double d = x - st[b + MEAN];
      st[b + M2] += d * d;
    }
  }

  /** Merges the statistics at b[bo...] into a[ao...] (one group, {@code columns} value columns). */
  static void merge(double[] a, int ao, double[] b, int bo, int columns) {
    for (int c = 0; c < columns; c++) {
      int x = ao + c * WIDTH;
      int y = bo + c * WIDTH;
      double na = a[x + N];
      double nb = b[y + N];
      if (nb == 0) {
        continue;
      }
      double n = na + nb;
      double delta = b[y + MEAN] - a[x + MEAN];
      a[x + MEAN] += delta * nb / n;
      a[x + M2] += b[y + M2] + delta * delta * na * nb / n;
      a[x + N] = n;
      a[x + SUM] += b[y + SUM];
      a[x + MIN] = Math.min(a[x + MIN], b[y + MIN]);
      a[x + MAX] = Math.max(a[x + MAX], b[y + MAX]);
      if (na == 0) {
        a[x + FIRST] = b[y + FIRST];
      }
      a[x + LAST] = b[y + LAST];
    }
  }

  /**
   * {@link #merge} of a packed piece's group ({@code k} statistics per column from
   * {@code b[bo...]}, in slot order; {@code pos[slot]} its place among them or -1): only the
   * statistics that travelled, by the same expressions, so they get the same bits as merging the
   * group unpacked, without unpacking it or computing statistics nobody reads.
   */
  static void mergePacked(double[] a, int ao, double[] b, int bo, int columns, int[] pos, int k) {
    for (int c = 0; c < columns; c++) {
      int x = ao + c * WIDTH;
      int y = bo + c * k;
      double na = a[x + N];
      double nb = b[y + pos[N]];
      if (nb == 0) {
        continue;
      }
      double n = na + nb;
      if (pos[MEAN] >= 0) {
        double delta = b[y + pos[MEAN]] - a[x + MEAN];
        a[x + MEAN] += delta * nb / n;
        if (pos[M2] >= 0) {
          a[x + M2] += b[y + pos[M2]] + delta * delta * na * nb / n;
        }
      }
      a[x + N] = n;
      if (pos[SUM] >= 0) {
        a[x + SUM] += b[y + pos[SUM]];
      }
      if (pos[MIN] >= 0) {
        a[x + MIN] = Math.min(a[x + MIN], b[y + pos[MIN]]);
      }
      if (pos[MAX] >= 0) {
        a[x + MAX] = Math.max(a[x + MAX], b[y + pos[MAX]]);
      }
      if (pos[FIRST] >= 0 && na == 0) {
        a[x + FIRST] = b[y + pos[FIRST]];
      }
      if (pos[LAST] >= 0) {
        a[x + LAST] = b[y + pos[LAST]];
      }
    }
  }

  /** Merges partials in the given order into a new one. */
  static GroupStats combine(Object[] parts) {
    GroupStats first = (GroupStats) parts[0];
    int total = 0;
    for (Object o : parts) {
      total = Math.max(total, ((GroupStats) o).size);
    }
    GroupStats acc = new GroupStats(first.columns, first.distinctColumns, total);
    acc.slots = first.slots;
    int w = acc.width();
    int[] pos = new int[WIDTH];
    for (Object o : parts) {
      GroupStats p = (GroupStats) o;
      int[] used = p.packed == null ? null : Bulk.slotList(p.slots);
      if (used != null) {
        java.util.Arrays.fill(pos, -1);
        for (int k = 0; k < used.length; k++) {
          pos[used[k]] = k;
        }
      }
      // Each key's result depends only on the order of the parts, not on hashing.
      acc.expected = Math.max(acc.expected, total);
      for (int g = 0; g < p.size; g++) {
        int id = p.keys == null ? acc.idOfLong(p.longKeys[g]) : acc.id(p.keys[g]);
        if (used == null) {
          merge(acc.stats, id * w, p.stats, g * w, acc.columns);
        } else {
          mergePacked(acc.stats, id * w, p.packed, g * acc.columns * used.length, acc.columns, pos, used.length);
        }
        for (int c = 0; c < acc.distinctColumns; c++) {
          acc.set(id, c).addAll(p.set(g, c));
        }
      }
    }
    return acc;
  }

  /**
   * This partial's groups split by key hash into {@code buckets} partials (deterministic across
   * JVMs). When the aggregations read only some statistics, the pieces hold only those, packed
   * ({@link #packed}): what a shuffle sends, and what a merge reads, without copying the rest.
   */
  GroupStats[] split(int buckets) {
    unpack();
    int[] bucket = new int[size];
    int[] count = new int[buckets];
    for (int g = 0; g < size; g++) {
      int h = keys == null ? Long.hashCode(longKeys[g]) : keys[g].hashCode(); // = Long.hashCode of the boxed key
      bucket[g] = bucketOfHash(h, buckets);
      count[bucket[g]]++;
    }
    int[] used = slots == ALL_SLOTS ? null : Bulk.slotList(slots);
    GroupStats[] out = new GroupStats[buckets];
    for (int b = 0; b < buckets; b++) {
      if (used == null) {
        out[b] = new GroupStats(columns, distinctColumns, count[b]);
      } else {
        out[b] = new GroupStats();
        out[b].columns = columns;
        out[b].distinctColumns = distinctColumns;
        out[b].longKeys = new long[Math.max(1, count[b])];
        out[b].packed = new double[count[b] * columns * used.length];
        out[b].sets = distinctColumns > 0 ? new Object[Math.max(1, count[b])][] : null;
      }
      out[b].slots = slots;
      if (keys != null) {
        out[b].boxKeys();
      }
    }
    int w = width();
    int pw = used == null ? 0 : columns * used.length;
    for (int g = 0; g < size; g++) {
      GroupStats o = out[bucket[g]];
      if (keys == null) {
        o.longKeys[o.size] = longKeys[g];
      } else {
        o.keys[o.size] = keys[g];
      }
      if (used == null) {
        System.arraycopy(stats, g * w, o.stats, o.size * w, w);
      } else {
        gather(stats, g * w, (g + 1) * w, o.packed, o.size * pw, used);
      }
      if (sets != null) {
        o.sets[o.size] = sets[g];
      }
      o.size++;
    }
    return out;
  }

  /** The bucket of an int64 key (of its boxed form's hash for other keys), deterministic across JVMs. */
  static int bucketOf(long key, int buckets) {
    return bucketOfHash(Long.hashCode(key), buckets);
  }

  /**
   * The high bits of the hash times the golden ratio, scaled to [0, buckets) by a multiply and a
   * shift (no division per row: a shuffle routes every row through this).
   */
  private static int bucketOfHash(int hash, int buckets) {
    return (int) (((hash * 0x9E3779B9) & 0xFFFFFFFFL) * buckets >>> 32);
  }

  /** Partials with disjoint keys, put together. */
  static GroupStats union(Object[] parts) {
    GroupStats first = (GroupStats) parts[0];
    int total = 0;
    boolean longs = true;
    for (Object o : parts) {
      ((GroupStats) o).unpack();
      total += ((GroupStats) o).size;
      longs &= ((GroupStats) o).keys == null;
    }
    GroupStats acc = new GroupStats(first.columns, first.distinctColumns, total);
    acc.slots = first.slots;
    if (!longs) {
      acc.boxKeys();
    }
    int w = acc.width();
    for (Object o : parts) {
      GroupStats p = (GroupStats) o;
      if (longs) {
        System.arraycopy(p.longKeys, 0, acc.longKeys, acc.size, p.size);
      } else {
        for (int g = 0; g < p.size; g++) {
          acc.keys[acc.size + g] = p.key(g);
        }
      }
      System.arraycopy(p.stats, 0, acc.stats, acc.size * w, p.size * w);
      if (acc.sets != null) {
        System.arraycopy(p.sets, 0, acc.sets, acc.size, p.size);
      }
      acc.size += p.size;
    }
    return acc;
  }

  /** Statistic {@code slot} of column c of group g, from the full statistics or a packed piece's. */
  double stat(int g, int c, int slot) {
    if (packed == null) {
      return stats[g * width() + c * WIDTH + slot];
    }
    if (slotPos == null) {
      int[] used = Bulk.slotList(slots);
      int[] pos = new int[WIDTH + 1]; // the position of each slot in a packed group, -1 if absent; then the count
      Arrays.fill(pos, -1);
      for (int k = 0; k < used.length; k++) {
        pos[used[k]] = k;
      }
      pos[WIDTH] = used.length;
      slotPos = pos;
    }
    int pos = slotPos[slot];
    if (pos < 0) {
      throw new IllegalStateException("statistic " + slot + " was not computed for these aggregations (slots "
          + Integer.toBinaryString(slots) + ")");
    }
    return packed[(g * columns + c) * slotPos[WIDTH] + pos];
  }

  private transient int[] slotPos;

  /** The value of aggregation {@code agg} (an index into {@link #AGGREGATIONS}) for column c of group g. */
  double value(int g, int c, int agg, int ddof) {
    double n = stat(g, c, N);
    return switch (agg) {
      case 0 -> n; // count
      case 1 -> stat(g, c, SUM);
      case 2 -> n == 0 ? Double.NaN : stat(g, c, MEAN);
      case 3 -> n - ddof <= 0 ? Double.NaN : stat(g, c, M2) / (n - ddof);
      case 4 -> n - ddof <= 0 ? Double.NaN : Math.sqrt(stat(g, c, M2) / (n - ddof));
      case 5 -> n == 0 ? Double.NaN : stat(g, c, MIN);
      case 6 -> n == 0 ? Double.NaN : stat(g, c, MAX);
      case 7 -> n == 0 ? Double.NaN : stat(g, c, FIRST);
      case 8 -> n == 0 ? Double.NaN : stat(g, c, LAST);
      default -> throw new FrameException("unknown aggregation " + agg + "; supported: " + AGGREGATIONS);
    };
  }

  /**
   * The groups reordered by key when every key is an int64 value (ids become key order; the hash
   * index goes), so that the buckets of a shuffle arrive as sorted runs that the result merges
   * instead of sorting all groups again on every rank. Other keys keep their order.
   */
  void sortByKey() {
    if (keys != null || size < 2) {
      return;
    }
    boolean sorted = true;
    for (int g = 1; g < size && sorted; g++) {
      sorted = longKeys[g - 1] < longKeys[g];
    }
    if (sorted) {
      return;
    }
    int[] order = sortedIds();
    unpack();
    int w = width();
    long[] k = new long[Math.max(1, size)];
    double[] st = new double[Math.max(1, size) * w];
    Object[][] se = sets == null ? null : new Object[Math.max(1, size)][];
    for (int i = 0; i < size; i++) {
      int g = order[i];
      k[i] = longKeys[g];
      System.arraycopy(stats, g * w, st, i * w, w);
      if (se != null) {
        se[i] = sets[g];
      }
    }
    longKeys = k;
    stats = st;
    sets = se;
    longIndex = null;
    index = null;
  }

  /**
   * Parts with disjoint int64 keys, each sorted by key (as {@link #sortByKey} leaves them): the
   * groups of all of them in key order, as (part, group) pairs, by a k-way merge; null when some
   * part is not so.
   */
  static int[][] mergeSortedRuns(GroupStats[] parts) {
    int n = 0;
    for (GroupStats p : parts) {
      if (p.keys != null) {
        return null;
      }
      for (int g = 1; g < p.size; g++) {
        if (p.longKeys[g - 1] >= p.longKeys[g]) {
          return null;
        }
      }
      n += p.size;
    }
    int[] part = new int[n];
    int[] group = new int[n];
    // a binary heap of the parts' next groups, smallest key on top
    int[] heap = new int[parts.length];
    int[] next = new int[parts.length];
    int h = 0;
    for (int p = 0; p < parts.length; p++) {
      if (parts[p].size > 0) {
        heap[h] = p;
        siftUp(heap, h++, parts, next);
      }
    }
    for (int i = 0; i < n; i++) {
      int p = heap[0];
      part[i] = p;
      group[i] = next[p]++;
      if (next[p] == parts[p].size) {
        heap[0] = heap[--h];
      }
      siftDown(heap, h, parts, next);
    }
    return new int[][] {part, group};
  }

  private static long head(int p, GroupStats[] parts, int[] next) {
    return parts[p].longKeys[next[p]];
  }

  private static void siftUp(int[] heap, int i, GroupStats[] parts, int[] next) {
    while (i > 0) {
      int up = (i - 1) / 2;
      if (head(heap[up], parts, next) <= head(heap[i], parts, next)) {
        return;
      }
      int t = heap[up];
      heap[up] = heap[i];
      heap[i] = t;
      i = up;
    }
  }

  private static void siftDown(int[] heap, int h, GroupStats[] parts, int[] next) {
    int i = 0;
    while (true) {
      int l = 2 * i + 1;
      if (l >= h) {
        return;
      }
      int m = l + 1 < h && head(heap[l + 1], parts, next) < head(heap[l], parts, next) ? l + 1 : l;
      if (head(heap[i], parts, next) <= head(heap[m], parts, next)) {
        return;
      }
      int t = heap[m];
      heap[m] = heap[i];
      heap[i] = t;
      i = m;
    }
  }

  /** The value of aggregation {@code agg} for column c of group g. */
  double value(int g, int c, String agg, int ddof) {
    int code = AGGREGATIONS.indexOf(agg);
    if (code < 0 || agg.equals("nunique")) {
      throw new FrameException("unknown aggregation '" + agg + "'; supported: " + AGGREGATIONS);
    }
    return value(g, c, code, ddof);
  }

  /**
   * Made ready to wait for a shuffle as {@link #split} makes its pieces: the statistics the
   * aggregations read packed (unless all are read), and no key index (rebuilt if ever asked; a
   * piece waiting for its exchange would otherwise hold a hash table larger than itself). Partials
   * with distinct sets (nunique) are left unpacked: only {@link #split} packs those.
   */
  void pack() {
    longIndex = null;
    index = null;
    if (packed != null || distinctColumns != 0) {
      return;
    }
    int[] used = Bulk.slotList(slots);
    if (used.length == WIDTH) {
      return;
    }
    packed = new double[size * columns * used.length];
    gather(stats, 0, size * width(), packed, 0, used);
    stats = null;
  }

  /** The full statistics of a packed piece (unread statistics 0, as they arrive); no-op otherwise. */
  void unpack() {
    if (packed == null) {
      return;
    }
    double[] full = new double[Math.max(1, size) * width()];
    scatter(packed, 0, full, 0, size * width(), Bulk.slotList(slots));
    stats = full;
    packed = null;
  }

  /**
   * The packed statistics from {@code src[k...]} into their slots of the full statistics
   * {@code dst[from, to)} (every column of every group there); the other slots are left as they are.
   */
  private static void scatter(double[] src, int k, double[] dst, int from, int to, int[] used) {
    for (int b = from; b < to; b += WIDTH) {
      for (int u : used) {
        dst[b + u] = src[k++];
      }
    }
  }

  /** The inverse of {@link #scatter}: the used slots of {@code src[from, to)} packed into {@code dst[k...]}. */
  private static void gather(double[] src, int from, int to, double[] dst, int k, int[] used) {
    for (int b = from; b < to; b += WIDTH) {
      for (int u : used) {
        dst[k++] = src[b + u];
      }
    }
  }

  static final List<String> AGGREGATIONS = List.of("count", "sum", "mean", "var", "std", "min", "max", "first", "last",
      "nunique");

  static boolean knownAggregation(String agg) {
    return AGGREGATIONS.contains(agg);
  }

  /** Group ids in key order (pandas' groupby order). */
  int[] sortedIds() {
    int[] out = new int[size];
    if (keys == null) {
      long[] k = Arrays.copyOf(longKeys, size);
      Arrays.sort(k);
      for (int g = 0; g < size; g++) {
        out[g] = find((Object) k[g]);
      }
      return out;
    }
    Integer[] ids = new Integer[size];
    for (int g = 0; g < size; g++) {
      ids[g] = g;
    }
    Arrays.sort(ids, (a, b) -> compareKeys(keys[a], keys[b]));
    for (int g = 0; g < size; g++) {
      out[g] = ids[g];
    }
    return out;
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

  /**
   * Shuffle pieces with int64 keys and no distinct sets travel as flat buffers: the header, the
   * keys, the statistics the aggregations read (e.g. 2 of 8 per column for a mean) — written
   * straight into the exchange message.
   */
  static final class Bulk implements io.rankwise.graph.BulkCodec<GroupStats> {
    /** Key kinds in the header: int64 values, or strings (UTF-8, each after its length). */
    private static final int LONGS = 0;
    private static final int STRINGS = 1;

    @Override
    public boolean accepts(GroupStats g) {
      if (g.distinctColumns != 0) {
        return false;
      }
      if (g.keys == null) {
        return true;
      }
      for (int k = 0; k < g.size; k++) {
        if (!(g.keys[k] instanceof String str) || !Table.Bulk.utf8Safe(str)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int size(GroupStats g) {
      long keyBytes = 8L * g.size;
      if (g.keys != null) {
        keyBytes = 0;
        for (int k = 0; k < g.size; k++) {
          keyBytes += 4 + utf8Length((String) g.keys[k]);
        }
      }
      long b = 16 + keyBytes + 8L * g.size * g.columns * Integer.bitCount(g.slots);
      if (b > Integer.MAX_VALUE - 64) {
        throw new FrameException("a partial of " + g.size + " groups is too large to send at once (2 GiB): "
            + "use more partitions");
      }
      return (int) b;
    }

    /** UTF-8 bytes of a string without unpaired surrogates (what {@link #accepts} lets through). */
    static int utf8Length(String s) {
      int n = 0;
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c < 0x80) {
          n += 1;
        } else if (c < 0x800) {
          n += 2;
        } else if (Character.isHighSurrogate(c)) {
          n += 4; // with the low surrogate that follows
          i++;
        } else {
          n += 3;
        }
      }
      return n;
    }

    @Override
    public void write(GroupStats g, java.nio.ByteBuffer out) {
      out.putInt(g.columns).putInt(g.size).putInt(g.slots).putInt(g.keys == null ? LONGS : STRINGS);
      if (g.keys == null) {
        out.asLongBuffer().put(g.longKeys, 0, g.size);
        out.position(out.position() + 8 * g.size);
      } else {
        for (int k = 0; k < g.size; k++) {
          byte[] b = ((String) g.keys[k]).getBytes(java.nio.charset.StandardCharsets.UTF_8);
          out.putInt(b.length).put(b);
        }
      }
      java.nio.DoubleBuffer d = out.asDoubleBuffer();
      int[] slots = slotList(g.slots);
      if (g.packed != null) { // a piece of a split: already as it travels, one bulk copy
        d.put(g.packed, 0, g.size * g.columns * slots.length);
      } else if (slots.length == WIDTH) {
        d.put(g.stats, 0, g.size * g.width());
      } else { // a whole partial: its statistics packed as a split packs them, then one bulk copy
        double[] p = new double[g.size * g.columns * slots.length];
        gather(g.stats, 0, g.size * g.width(), p, 0, slots);
        d.put(p);
      }
      out.position(out.position() + 8 * g.size * g.columns * slots.length);
    }

    @Override
    public GroupStats read(java.nio.ByteBuffer in) {
      int columns = in.getInt();
      int size = in.getInt();
      int mask = in.getInt();
      int kind = in.getInt();
      int[] slots = slotList(mask);
      GroupStats g;
      if (slots.length == WIDTH) {
        g = new GroupStats(columns, 0, Math.max(1, size));
      } else { // only the statistics that travelled, as they travelled: no full-width arrays to allocate
        g = new GroupStats();
        g.columns = columns;
        g.slots = mask;
        g.longKeys = new long[Math.max(1, size)];
      }
      if (kind == LONGS) {
        in.asLongBuffer().get(g.longKeys, 0, size);
        in.position(in.position() + 8 * size);
      } else {
        g.keys = new Object[Math.max(1, size)];
        g.longKeys = null;
        for (int k = 0; k < size; k++) {
          byte[] b = new byte[in.getInt()];
          in.get(b);
          g.keys[k] = new String(b, java.nio.charset.StandardCharsets.UTF_8);
        }
      }
      if (slots.length == WIDTH) {
        in.asDoubleBuffer().get(g.stats, 0, size * g.width());
        in.position(in.position() + 8 * size * g.width());
      } else {
        g.packed = new double[size * columns * slots.length];
        in.asDoubleBuffer().get(g.packed);
        in.position(in.position() + 8 * g.packed.length);
      }
      g.size = size;
      return g;
    }

    static int[] slotList(int mask) {
      int[] out = new int[Integer.bitCount(mask)];
      for (int s = 0, k = 0; s < WIDTH; s++) {
        if ((mask & (1 << s)) != 0) {
          out[k++] = s;
        }
      }
      return out;
    }
  }

  /**
   * The trip to another rank in bulk: keys as one long[] when they are all int64 (one String
   * each when all strings; objects otherwise), the statistics as one double[].
   */
  @Override
  public void write(com.esotericsoftware.kryo.Kryo kryo, com.esotericsoftware.kryo.io.Output out) {
    unpack();
    out.writeInt(columns);
    out.writeInt(distinctColumns);
    out.writeInt(size);
    boolean longs = keys == null;
    boolean strings = !longs;
    for (int g = 0; g < size && strings; g++) {
      strings = keys[g] instanceof String;
    }
    out.writeByte(longs ? 1 : strings ? 2 : 0);
    if (longs) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(size * 8);
      b.asLongBuffer().put(longKeys, 0, size);
      out.writeBytes(b.array());
    } else {
      for (int g = 0; g < size; g++) {
        if (strings) {
          out.writeString((String) keys[g]);
        } else {
          kryo.writeClassAndObject(out, keys[g]);
        }
      }
    }
    // one bulk copy instead of Kryo's per-element writes
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(size * width() * 8);
    b.asDoubleBuffer().put(stats, 0, size * width());
    out.writeBytes(b.array());
    for (int g = 0; g < size && sets != null; g++) {
      kryo.writeClassAndObject(out, sets[g]);
    }
  }

  /** The next n bytes of the input as a (big-endian) buffer, without a copy when the input is a buffer. */
  private static java.nio.ByteBuffer bulk(com.esotericsoftware.kryo.io.Input in, int n) {
    if (in instanceof com.esotericsoftware.kryo.io.ByteBufferInput bb) {
      int pos = bb.position();
      if (bb.limit() - pos >= n) {
        java.nio.ByteBuffer view = bb.getByteBuffer().duplicate().position(pos).limit(pos + n).slice();
        bb.setPosition(pos + n);
        return view.order(java.nio.ByteOrder.BIG_ENDIAN);
      }
    }
    return java.nio.ByteBuffer.wrap(in.readBytes(n));
  }

  @Override
  public void read(com.esotericsoftware.kryo.Kryo kryo, com.esotericsoftware.kryo.io.Input in) {
    columns = in.readInt();
    distinctColumns = in.readInt();
    size = in.readInt();
    int kind = in.readByte();
    if (kind == 1) {
      longKeys = new long[Math.max(1, size)];
      bulk(in, size * 8).asLongBuffer().get(longKeys, 0, size);
    } else {
      keys = new Object[Math.max(1, size)];
      for (int g = 0; g < size; g++) {
        keys[g] = kind == 2 ? in.readString() : kryo.readClassAndObject(in);
      }
    }
    stats = new double[Math.max(1, size) * width()];
    bulk(in, size * width() * 8).asDoubleBuffer().get(stats, 0, size * width());
    if (distinctColumns > 0) {
      sets = new Object[Math.max(1, size)][];
      for (int g = 0; g < size; g++) {
        sets[g] = (Object[]) kryo.readClassAndObject(in);
      }
    }
  }
}
