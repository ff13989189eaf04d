package io.rankwise.frame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code df.groupby(keys)}: aggregations per group, like pandas (groups sorted by key; std/var with
 * ddof 1; NaN values skipped; rows with a null key are in no group). One key gives an index named after it; several keys give key
 * columns first and a range index.
 */
public final class GroupBy {
  /**
   * How partial aggregates meet: TREE merges per-partition partials over a fixed tree (few
   * groups); SHUFFLE splits them by key hash across ranks (many groups); AUTO shuffles when the
   * keys' estimated cardinality is both a large share of the rows and large in itself.
   */
  public enum Strategy { AUTO, TREE, SHUFFLE }

  /** AUTO shuffles when more than this fraction of the rows start a group ... */
  static final double SHUFFLE_RATIO = 0.1;

  /** ... and there are at least this many groups (fewer merge cheaply over the tree, however small the partitions). */
  static final long SHUFFLE_MIN_GROUPS = 1000;

  private final DFrame frame;
  private final String[] keys;
  private final Strategy strategy;

  GroupBy(DFrame frame, String[] keys) {
    this(frame, keys, Strategy.AUTO);
  }

  private GroupBy(DFrame frame, String[] keys, Strategy strategy) {
    this.frame = frame;
    this.keys = keys;
    this.strategy = strategy;
  }

  /** The same groupby with an explicit strategy (overrides AUTO's estimate). */
  public GroupBy strategy(Strategy s) {
    return new GroupBy(frame, keys, s);
  }

  /** One column's aggregations: {@code groupby("name").column("x").std()}. */
  public Column1 column(String name) {
    frame.position(name);
    return new Column1(name);
  }

  /**
   * Per-column map form: {@code agg(Map.of("x", "sum", "y", "max"))}. Result columns follow the
   * map's order when it has one (LinkedHashMap, SortedMap); otherwise (Map.of, HashMap: their
   * order differs between JVMs, so between ranks) they are sorted by column name.
   */
  public Aggregation agg(Map<String, String> perColumn) {
    Map<String, String> spec = perColumn instanceof LinkedHashMap<?, ?> || perColumn instanceof java.util.SortedMap<?, ?>
        ? new LinkedHashMap<>(perColumn) : new LinkedHashMap<>(new java.util.TreeMap<>(perColumn));
    return aggregate(new ArrayList<>(spec.keySet()), new ArrayList<>(spec.values()), null);
  }

  /** List form: every non-key column with each function; columns named {@code <column>_<function>}. */
  public Aggregation agg(String... functions) {
    List<String> cols = new ArrayList<>();
    List<String> aggs = new ArrayList<>();
    List<String> outNames = new ArrayList<>();
    for (String c : frame.names) {
      if (Arrays.asList(keys).contains(c)) {
        continue;
      }
      for (String f : functions) {
        if (frame.types[frame.position(c)] == ColumnType.STRING && !STRING_AGGREGATIONS.contains(f)) {
          continue;
        }
        cols.add(c);
        aggs.add(f);
        outNames.add(c + "_" + f);
      }
    }
    return aggregate(cols, aggs, outNames);
  }

  /** Aggregations of one column. */
  public final class Column1 {
    private final String column;

    Column1(String column) {
      this.column = column;
    }

    public Aggregation sum() {
      return one("sum");
    }

    public Aggregation mean() {
      return one("mean");
    }

    /** Sample standard deviation (ddof 1), as pandas. */
    public Aggregation std() {
      return one("std");
    }

    public Aggregation var() {
      return one("var");
    }

    public Aggregation count() {
      return one("count");
    }

    public Aggregation min() {
      return one("min");
    }

    public Aggregation max() {
      return one("max");
    }

    /** The first non-null value of each group (in row order). */
    public Aggregation first() {
      return one("first");
    }

    /** The last non-null value of each group (in row order). */
    public Aggregation last() {
      return one("last");
    }

    /** The number of distinct non-null values of each group. */
    public Aggregation nunique() {
      return one("nunique");
    }

    private Aggregation one(String agg) {
      return aggregate(List.of(column), List.of(agg), null);
    }
  }

  private Aggregation aggregate(List<String> cols, List<String> aggs, List<String> outNames) {
    for (int i = 0; i < cols.size(); i++) {
      int p = frame.position(cols.get(i));
      if (!GroupStats.knownAggregation(aggs.get(i))) {
        throw new FrameException("unknown aggregation '" + aggs.get(i) + "' for column '" + cols.get(i)
            + "'; supported: " + String.join(", ", GroupStats.AGGREGATIONS));
      }
      if (frame.types[p] == ColumnType.STRING && !STRING_AGGREGATIONS.contains(aggs.get(i))) {
        throw new FrameException("cannot aggregate string column '" + cols.get(i) + "' with " + aggs.get(i)
            + "; string columns take " + String.join(", ", STRING_AGGREGATIONS));
      }
    }
    List<String> valueCols = new ArrayList<>();
    List<String> distinctCols = new ArrayList<>();
    int[] slotOf = new int[cols.size()];
    ColumnType[] outTypes = new ColumnType[cols.size()];
    for (int i = 0; i < cols.size(); i++) {
      List<String> into = aggs.get(i).equals("nunique") ? distinctCols : valueCols;
      if (!into.contains(cols.get(i))) {
        into.add(cols.get(i));
      }
      slotOf[i] = into.indexOf(cols.get(i));
      outTypes[i] = resultType(frame.types[frame.position(cols.get(i))], aggs.get(i));
    }
    String[] keyNames = keys.clone();
    String[] resultNames = outNames == null ? cols.toArray(String[]::new) : outNames.toArray(String[]::new);
    ColumnType[] keyTypes = Arrays.stream(keyNames).map(k -> frame.types[frame.position(k)]).toArray(ColumnType[]::new);
    String op = "groupby-" + String.join("-", aggs.stream().distinct().toList());
    int slots = GroupStats.slotsFor(aggs); // what the partials compute and shuffle pieces carry
    java.util.function.Function<Table, GroupStats> part = t -> partial(t, keyNames, valueCols, distinctCols, slots);
    java.util.function.Function<GroupStats[], Table> fin = stats -> finish(stats, keyNames, keyTypes, resultNames,
        slotOf, aggs, outTypes);
    java.util.Set<String> reads = new java.util.HashSet<>(Arrays.asList(keyNames)); // partial finds them by name
    reads.addAll(valueCols);
    reads.addAll(distinctCols);
    if (chooseShuffle(part, reads)) {
      // pieces are partitions x buckets tasks: at most Shuffle.MAX_BUCKETS buckets, at least one per rank
      int buckets = Math.max(Shuffle.buckets(frame.npartitions), io.rankwise.runtime.Session.current().size());
      boolean rowsMayTravel = distinctCols.isEmpty() && keyNames.length == 1 && longKeyed(frame.types[frame.position(
          keyNames[0])]) && valueCols.stream().allMatch(c -> frame.types[frame.position(c)] != ColumnType.STRING);
      String[] needed = java.util.stream.Stream.concat(Arrays.stream(keyNames), valueCols.stream()).distinct()
          .toArray(String[]::new);
      int rowBytes = 8 * needed.length;
      int groupBytes = 8 * (1 + valueCols.size() * Integer.bitCount(slots));
      java.util.function.Function<Table, Object[]> split = t -> !rowsMayTravel ? part.apply(t).split(buckets)
          : rowsTravel(t.column(keyNames[0]), rowBytes, groupBytes) ? cutRows(t, needed, keyNames[0], buckets)
          : cutPartials(t, needed, keyNames[0], valueCols, slots, buckets);
      return Aggregation.shuffled(frame, op, buckets, split,
          in -> bucket(in, run -> rowsPartial(run, keyNames[0], valueCols, slots)), fin, reads);
    }
    return new Aggregation(frame, op, part, fin, reads);
  }

  /**
   * A partition whose partial would keep more than this share of its rows (nearly every key
   * distinct) sends its rows instead, when they are not much larger than the partial
   * ({@link #ROWS_BYTES_FACTOR}): the bucket aggregates them in one hash table of its own keys
   * (which stays in cache), where a partial would fill a table as large as the partition that the
   * bucket would then merge again.
   */
  static final double ROWS_TRAVEL_SHARE = 0.5;

  /** ... and when the rows take at most this many times the bytes of the partial's statistics. */
  static final double ROWS_BYTES_FACTOR = 4.0 / 3;

  /** Keys sampled to estimate a partition's distinct keys. */
  static final int SAMPLE = 4096;

  static boolean longKeyed(ColumnType t) {
    return t == ColumnType.INT64 || t == ColumnType.DATETIME;
  }

  /**
   * Whether a partition sends its rows rather than its partial: its distinct keys, estimated from
   * {@link #SAMPLE} rows at random positions (exact for small partitions), are more than
   * {@link #ROWS_TRAVEL_SHARE} of its rows with a key, and its rows take at most
   * {@link #ROWS_BYTES_FACTOR} times the partial's bytes ({@code rowBytes} per row against
   * {@code groupBytes} per group). The estimate: if each of d keys had n/d of the n rows, two rows
   * drawn without replacement would share a key with probability (n/d − 1)/(n − 1); so p pairs of
   * equal keys among the C(s, 2) pairs of the sample give d ≈ n / (1 + p (n − 1) / C(s, 2)) (exact
   * for equal counts, lower when some keys are more frequent: partials are the safe side). Random
   * positions, not a stride: a key that repeats in short runs (several rows per timestamp) is found
   * as readily as one spread out. The positions come from a fixed seed and the partition's size,
   * and only its values decide: the choice never depends on the ranks. Null (NaT) keys are in no
   * group and travel nowhere.
   */
  static boolean rowsTravel(Column key, int rowBytes, int groupBytes) {
    long[] k = (long[]) key.data;
    int n = key.size();
    if (n == 0) {
      return true; // nothing to send either way; a run of row pieces stays one
    }
    boolean isTime = key.type() == ColumnType.DATETIME;
    int s = Math.min(n, SAMPLE);
    LongIds seen = new LongIds(s);
    int[] drawn = new int[s]; // how often each sampled key was drawn so far
    LongIds positions = s == n ? null : new LongIds(s);
    java.util.SplittableRandom random = new java.util.SplittableRandom(0x9E3779B97F4A7C15L ^ n);
    int valid = 0;
    int distinct = 0;
    long pairs = 0;
    for (int j = 0; j < s; j++) {
      int pos = j;
      if (positions != null) { // s different positions
        do {
          pos = random.nextInt(n);
        } while (positions.get(pos, j) != j);
      }
      long v = k[pos];
      if (isTime && v == Column.NAT) {
        continue;
      }
      valid++;
      int id = seen.get(v, distinct);
      distinct += id == distinct ? 1 : 0;
      pairs += drawn[id]++;
    }
    if (valid == 0) {
      return false; // no keys: nothing groups
    }
    double rows = (double) n * valid / s;
    double groups = s == n ? distinct
        : valid < 2 ? rows : rows / (1 + pairs * (rows - 1) / (valid * (valid - 1) / 2.0));
    return groups > ROWS_TRAVEL_SHARE * rows && rows * rowBytes <= ROWS_BYTES_FACTOR * groups * groupBytes;
  }

  /**
   * The rows of the columns {@code needed} split by key hash into {@code buckets} tables, each in
   * row order: the same bucket as {@link GroupStats#split} gives the key (a bucket may get rows from
   * one partition and groups from another). Rows with a null (NaT) key are in no group and left out.
   */
  static Object[] cutRows(Table t, String[] needed, String key, int buckets) {
    Column[] cols = new Column[needed.length];
    for (int c = 0; c < needed.length; c++) {
      cols[c] = t.column(needed[c]);
    }
    Table narrow = new Table(null, null, needed, cols);
    Column kc = t.column(key);
    long[] k = (long[]) kc.data;
    boolean times = kc.type() == ColumnType.DATETIME;
    return Shuffle.cut(narrow, part -> {
      int[] out = new int[t.rows()];
      for (int i = 0; i < out.length; i++) {
        out[i] = times && k[i] == Column.NAT ? -1 : GroupStats.bucketOf(k[i], buckets);
      }
      return out;
    }, buckets);
  }

  /**
   * The partition's partial split by bucket, made the other way round: its rows cut by bucket
   * first, then each piece aggregated in a hash table of its own keys. The same groups with the
   * same bits as {@code partial(t).split(buckets)} (a group's rows are added in row order either
   * way), but with many keys the partition-wide table outgrows the caches and every row costs
   * misses, where a bucket's table stays in cache and the cut only streams.
   */
  static Object[] cutPartials(Table t, String[] needed, String key, List<String> valueCols, int slots, int buckets) {
    Object[] rows = cutRows(t, needed, key, buckets);
    Object[] pieces = new Object[rows.length];
    for (int b = 0; b < pieces.length; b++) {
      Table piece = (Table) rows[b];
      // room for as many keys as rows (capped: a hot key's bucket may have millions of rows and
      // few keys): the table grows at most once where a small start would rehash every key twice
      GroupStats g = rowsPartial(List.of(piece), key, valueCols, slots, Math.min(piece.rows, 1 << 16));
      g.pack(); // as split packs its pieces: only what the aggregations read travels
      pieces[b] = g;
      rows[b] = null;
    }
    return pieces;
  }

  /**
   * A shuffle bucket: its pieces in partition order, each a partial's groups or a partition's rows;
   * a run of row pieces is aggregated at once, and the results merged in order.
   */
  static GroupStats bucket(Object[] in, java.util.function.Function<List<Table>, GroupStats> rowsPart) {
    List<Object> seq = new ArrayList<>();
    for (int i = 0; i < in.length; ) {
      if (in[i] instanceof Table) {
        List<Table> run = new ArrayList<>();
        while (i < in.length && in[i] instanceof Table t) {
          run.add(t);
          i++;
        }
        seq.add(rowsPart.apply(run));
      } else {
        seq.add(in[i++]);
      }
    }
    GroupStats out = seq.size() == 1 && in[0] instanceof Table ? (GroupStats) seq.get(0)
        : GroupStats.combine(seq.toArray());
    out.sortByKey(); // here, on the bucket's rank: the result merges the buckets' sorted runs
    return out;
  }

  /** Aggregations that take string columns. */
  static final List<String> STRING_AGGREGATIONS = List.of("count", "nunique");

  /** pandas' result dtype: counts int64; sum/min/max/first/last keep int64; the rest float64. */
  static ColumnType resultType(ColumnType value, String agg) {
    if (agg.equals("count") || agg.equals("nunique")) {
      return ColumnType.INT64;
    }
    boolean keeps = List.of("sum", "min", "max", "first", "last").contains(agg);
    return keeps && value == ColumnType.INT64 ? ColumnType.INT64 : ColumnType.FLOAT64;
  }

  /**
   * AUTO: groups per row estimated from the key columns' sampled cardinality where the frame
   * knows it (readers and datasets record it), else from the first partition (computed where it
   * lives; only its row and group counts travel).
   */
  private boolean chooseShuffle(java.util.function.Function<Table, GroupStats> part, java.util.Set<String> reads) {
    if (strategy != Strategy.AUTO) {
      return strategy == Strategy.SHUFFLE;
    }
    if (frame.npartitions < 2) {
      return false;
    }
    double combos = 1;
    double rows = Double.MAX_VALUE;
    boolean known = true;
    for (String k : keys) {
      DFrame.Cardinality c = frame.cardinality.get(k);
      if (c == null) {
        known = false;
        break;
      }
      combos *= Math.max(1, c.distinct());
      rows = Math.min(rows, c.rows());
    }
    if (known && rows > 0) {
      double groups = Math.min(combos, rows);
      return groups > SHUFFLE_RATIO * rows && groups >= SHUFFLE_MIN_GROUPS;
    }
    String n = io.rankwise.runtime.Session.current().nextName("groupby-estimate");
    io.rankwise.graph.Task count = new io.rankwise.graph.Task(new io.rankwise.graph.TaskKey(n, 0), List.of(frame.key(0)),
        in -> new long[] {((Table) in[0]).rows(), part.apply((Table) in[0]).size()}, "estimate", 1.0, -1);
    long[] got = (long[]) new io.rankwise.graph.Outputs(new io.rankwise.graph.Layer(n, List.of(count),
        List.of(frame.layer), io.rankwise.graph.Projection.readsOnly(reads)), List.of(count.key()))
        .compute(io.rankwise.graph.ComputeOptions.DEFAULT)[0];
    return got[0] > 0 && got[1] > SHUFFLE_RATIO * got[0] && got[1] >= SHUFFLE_MIN_GROUPS;
  }

  static GroupStats partial(Table part, String[] keyNames, List<String> valueCols, List<String> distinctCols,
      int slots) {
    // (an integer key builds its own, at the final size)
    GroupStats g = new GroupStats(valueCols.size(), distinctCols.size(), Math.min(part.rows, 1 << 12));
    g.slots = slots;
    Column[] values = valueCols.stream().map(part::column).toArray(Column[]::new);
    Column[] distinct = distinctCols.stream().map(part::column).toArray(Column[]::new);
    Column[] keyCols = Arrays.stream(keyNames).map(part::column).toArray(Column[]::new);
    int n = part.rows;
    int[] gid = new int[n];
    Column k0 = keyCols[0];
    // each way of finding groups is a method of its own: the JIT compiles only the loop a job uses
    if (keyCols.length == 1 && k0.type() == ColumnType.STRING) {
      stringKeyIds(k0, n, gid, g);
    } else if (keyCols.length == 1 && (k0.type() == ColumnType.INT64 || k0.type() == ColumnType.DATETIME)) {
      g = GroupStats.ofLongKeys(valueCols.size(), distinctCols.size(), longKeyIds(k0, n, gid));
      g.slots = slots;
    } else {
      objectKeyIds(keyCols, n, gid, g);
    }
    if (distinct.length > 0) {
      addDistinct(distinct, n, gid, g);
    }
    g.addColumns(gid, values);
    return g;
  }

  /** One string key: dictionary codes, one group per distinct string, no hashing per row. */
  private static void stringKeyIds(Column k0, int n, int[] gid, GroupStats g) {
    int[] idOfCode = new int[k0.dictionary.length];
    Arrays.fill(idOfCode, -1);
    for (int i = 0; i < n; i++) {
      int code = k0.code(i);
      if (code < 0) {
        gid[i] = -1; // a null key is in no group (pandas' dropna=True)
        continue;
      }
      int id = idOfCode[code];
      gid[i] = id >= 0 ? id : (idOfCode[code] = g.id(k0.dictionary[code])); // one key: the value is the key
    }
  }

  /**
   * One integer key: a primitive hash from value to group, which starts small and grows with the
   * groups (ids first, then the statistics allocated once at their final size).
   */
  private static LongIds longKeyIds(Column k0, int n, int[] gid) {
    // a table sized by the rows would not stay in cache when the groups are few
    LongIds ids = new LongIds(Math.min(n, 1 << 14));
    longKeyIds(k0, n, gid, ids);
    return ids;
  }

  /** The group ids of int64 (or datetime: NaT in no group) keys, new keys numbered on in {@code ids}. */
  private static void longKeyIds(Column k0, int n, int[] gid, LongIds ids) {
    long[] kv = (long[]) k0.data;
    boolean times = k0.type() == ColumnType.DATETIME;
    int next = ids.size();
    for (int i = 0; i < n; i++) {
      if (times && kv[i] == Column.NAT) {
        gid[i] = -1;
        continue;
      }
      int id = ids.get(kv[i], next);
      next += id == next ? 1 : 0;
      gid[i] = id;
    }
  }

  /**
   * {@link #partial} of row pieces with one int64 or datetime key (what a shuffle bucket gets), as
   * of the pieces put together in order (the same bits) without copying them into one table.
   */
  static GroupStats rowsPartial(List<Table> pieces, String key, List<String> valueCols, int slots) {
    return rowsPartial(pieces, key, valueCols, slots, 1 << 14);
  }

  /** ... with room for {@code expected} keys before the hash table grows. */
  static GroupStats rowsPartial(List<Table> pieces, String key, List<String> valueCols, int slots, int expected) {
    LongIds ids = new LongIds(expected);
    int[][] gids = new int[pieces.size()][];
    Column[][] values = new Column[pieces.size()][];
    for (int p = 0; p < pieces.size(); p++) {
      Table t = pieces.get(p);
      gids[p] = new int[t.rows];
      longKeyIds(t.column(key), t.rows, gids[p], ids);
      values[p] = valueCols.stream().map(t::column).toArray(Column[]::new);
    }
    GroupStats g = GroupStats.ofLongKeys(valueCols.size(), 0, ids);
    g.slots = slots;
    g.addColumns(gids, values);
    return g;
  }

  /** Several key columns, or a float key: the keys as objects (a list of parts for several). */
  private static void objectKeyIds(Column[] keyCols, int n, int[] gid, GroupStats g) {
    rows:
    for (int i = 0; i < n; i++) {
      List<Object> parts = new ArrayList<>(keyCols.length);
      for (Column kc : keyCols) {
        if (kc.isNull(i)) {
          gid[i] = -1; // a null key is in no group (pandas' dropna=True)
          continue rows;
        }
        parts.add(kc.type() == ColumnType.STRING ? (Object) kc.getString(i)
            : kc.type() == ColumnType.FLOAT64 ? (Object) kc.getDouble(i) : (Object) kc.getLong(i));
      }
      gid[i] = g.id(parts.size() == 1 ? parts.get(0) : parts); // one key column: the value is the key
    }
  }

  /** The distinct values of the nunique columns, per group. */
  private static void addDistinct(Column[] distinct, int n, int[] gid, GroupStats g) {
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < distinct.length && gid[i] >= 0; c++) {
        if (!distinct[c].isNull(i)) {
          g.set(gid[i], c).add(distinctValue(distinct[c], i));
        }
      }
    }
  }

  /** A value as a set member: strings, datetimes and int64 as they are, numbers as doubles (-0.0 as 0.0). */
  private static Object distinctValue(Column c, int i) {
    return switch (c.type()) {
      case STRING -> c.getString(i);
      case DATETIME, INT64 -> c.getLong(i);
      case BOOL -> c.getBool(i);
      case FLOAT64 -> c.getDouble(i) == 0 ? 0.0 : c.getDouble(i);
    };
  }

  /** Part k of a group key: the key itself for one key column, else element k of its list. */
  private static Object keyPart(Object key, int k) {
    return key instanceof List<?> l ? l.get(k) : key;
  }

  /**
   * The result table of partials with disjoint keys (one, or a shuffle's buckets): groups in key
   * order, merged from the buckets' sorted runs where they are int64-keyed (else put together and
   * sorted), one row per group.
   */
  static Table finish(GroupStats[] parts, String[] keyNames, ColumnType[] keyTypes, String[] resultNames,
      int[] slotOf, List<String> aggs, ColumnType[] outTypes) {
    int[][] order = parts.length > 1 ? GroupStats.mergeSortedRuns(parts) : null;
    if (order == null) {
      GroupStats one = parts.length == 1 ? parts[0] : GroupStats.union(parts);
      parts = new GroupStats[] {one};
      order = new int[][] {new int[one.size()], one.sortedIds()};
    }
    int[] part = order[0];
    int[] group = order[1];
    int n = group.length;
    Column[] keyCols = new Column[keyNames.length];
    if (keyNames.length == 1 && longKeyed(keyTypes[0]) && Arrays.stream(parts).allMatch(GroupStats::longKeyed)) {
      long[] k = new long[n];
      for (int g = 0; g < n; g++) {
        k[g] = parts[part[g]].longKeys[group[g]];
      }
      keyCols[0] = keyTypes[0] == ColumnType.DATETIME ? Column.datetimes(k) : Column.of(k);
    } else {
      List<Object> sorted = new ArrayList<>(n);
      for (int g = 0; g < n; g++) {
        sorted.add(parts[part[g]].key(group[g]));
      }
      for (int k = 0; k < keyNames.length; k++) {
        int kk = k;
        keyCols[k] = switch (keyTypes[k]) {
          case STRING -> Column.strings(sorted.stream().map(o -> (String) keyPart(o, kk)).toArray(String[]::new));
          case FLOAT64 -> Column.of(sorted.stream().mapToDouble(o -> (Double) keyPart(o, kk)).toArray());
          case DATETIME -> Column.datetimes(sorted.stream().mapToLong(o -> (Long) keyPart(o, kk)).toArray());
          default -> Column.of(sorted.stream().mapToLong(o -> (Long) keyPart(o, kk)).toArray());
        };
      }
    }
    Column[] out = new Column[resultNames.length];
    for (int c = 0; c < out.length; c++) {
      double[] v = new double[n];
      if (aggs.get(c).equals("nunique")) {
        for (int g = 0; g < n; g++) {
          v[g] = parts[part[g]].set(group[g], slotOf[c]).size();
        }
      } else {
        int code = GroupStats.AGGREGATIONS.indexOf(aggs.get(c));
        for (int g = 0; g < n; g++) {
          v[g] = parts[part[g]].value(group[g], slotOf[c], code, 1);
        }
      }
      out[c] = outTypes[c] == ColumnType.INT64 ? Column.of(Arrays.stream(v).mapToLong(d -> (long) d).toArray())
          : Column.of(v);
    }
    if (keyNames.length == 1) {
      return new Table(keyNames[0], keyCols[0], resultNames, out);
    }
    String[] names = new String[keyNames.length + resultNames.length];
    Column[] cols = new Column[names.length];
    System.arraycopy(keyNames, 0, names, 0, keyNames.length);
    System.arraycopy(resultNames, 0, names, keyNames.length, resultNames.length);
    System.arraycopy(keyCols, 0, cols, 0, keyCols.length);
    System.arraycopy(out, 0, cols, keyCols.length, out.length);
    return new Table(null, null, names, cols);
  }
}
