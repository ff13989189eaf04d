package io.rankwise.frame;

import io.rankwise.graph.ComputeOptions;
import io.rankwise.graph.Layer;
import io.rankwise.graph.Lazy;
import io.rankwise.graph.Outputs;
import io.rankwise.graph.Scheduler;
import io.rankwise.graph.Task;
import io.rankwise.graph.TaskKey;
import io.rankwise.runtime.Session;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A lazy, partitioned, columnar dataframe (dask.dataframe): one task per partition, partitions
 * spread over ranks. With a datetime index and known divisions, partition p holds the rows with
 * index in [divisions[p], divisions[p+1]).
 *
 * <pre>{@code
 * DFrame df = Datasets.timeseries();                       // 30 daily partitions
 * Table std = df.filter(df.col("y").gt(0)).groupby("name").column("x").std().compute();
 * Table hourly = df.select("x", "y").resample("1h").mean().compute();
 * }</pre>
 */
public final class DFrame implements Lazy<Table> {
  /** Partials merged per step of aggregation trees. */
  static final int SPLIT_EVERY = 8;

  final String name;
  final String indexName;
  final ColumnType indexType;
  final String[] names;
  final ColumnType[] types;
  final long[] divisions; // null: unknown
  final int npartitions;
  final Layer layer;
  /** Counts a partition's rows without building it (a reader's shortcut for length()), or null. */
  final Frames.RowCounter rowCounter;

  /** Distinct values per column in a sample (a cardinality estimate for groupby's strategy), where known. */
  final java.util.Map<String, Cardinality> cardinality;

  /** {@code distinct} different values among {@code rows} sampled rows of a column. */
  record Cardinality(double distinct, double rows) {}

  DFrame(String name, String indexName, ColumnType indexType, String[] names, ColumnType[] types, long[] divisions,
      int npartitions, Layer layer) {
    this(name, indexName, indexType, names, types, divisions, npartitions, layer, java.util.Map.of());
  }

  private DFrame(String name, String indexName, ColumnType indexType, String[] names, ColumnType[] types,
      long[] divisions, int npartitions, Layer layer, java.util.Map<String, Cardinality> cardinality) {
    this(name, indexName, indexType, names, types, divisions, npartitions, layer, cardinality, null);
  }

  private DFrame(String name, String indexName, ColumnType indexType, String[] names, ColumnType[] types,
      long[] divisions, int npartitions, Layer layer, java.util.Map<String, Cardinality> cardinality,
      Frames.RowCounter rowCounter) {
    this.rowCounter = rowCounter;
    this.cardinality = cardinality;
    this.name = name;
    this.indexName = indexName;
    this.indexType = indexType;
    this.names = names;
    this.types = types;
    this.divisions = divisions;
    this.npartitions = npartitions;
    this.layer = layer;
  }

  public int npartitions() {
    return npartitions;
  }

  /** This frame with cardinality estimates for its columns (the ones of {@code from} that it still has). */
  DFrame withCardinality(java.util.Map<String, Cardinality> from) {
    java.util.Map<String, Cardinality> keep = new java.util.HashMap<>();
    for (int c = 0; c < names.length; c++) {
      Cardinality k = from.get(names[c]);
      if (k != null) {
        keep.put(names[c], k);
      }
    }
    if (keep.isEmpty() && cardinality.isEmpty()) {
      return this;
    }
    return new DFrame(name, indexName, indexType, names, types, divisions, npartitions, layer, java.util.Map.copyOf(keep),
        rowCounter);
  }

  /** This frame with a way to count a partition's rows without building it (for {@link #length()}). */
  DFrame withRowCounter(Frames.RowCounter counter) {
    return new DFrame(name, indexName, indexType, names, types, divisions, npartitions, layer, cardinality, counter);
  }

  /** Columns' estimated distinct values per row from a sample, e.g. from a reader's type inference. */
  public DFrame withCardinalityEstimate(String column, double distinct, double sampledRows) {
    position(column);
    java.util.Map<String, Cardinality> m = new java.util.HashMap<>(cardinality);
    m.put(column, new Cardinality(distinct, sampledRows));
    return withCardinality(m);
  }

  public List<String> columns() {
    return List.of(names);
  }

  /** The index's name (null for a range index or an unnamed one). */
  public String indexName() {
    return indexName;
  }

  /** The index's type, or null for a range index. */
  public ColumnType indexType() {
    return indexType;
  }

  public ColumnType dtype(String column) {
    return types[position(column)];
  }

  /** Partition boundaries of the index (npartitions + 1 values), or null when unknown. */
  public long[] divisions() {
    return divisions == null ? null : divisions.clone();
  }

  @Override
  public Layer layer() {
    return layer;
  }

  TaskKey key(int p) {
    return new TaskKey(name, p);
  }

  @Override
  public List<TaskKey> outputKeys() {
    return TaskKey.range(name, npartitions);
  }

  @Override
  public Table assemble(Object[] parts) {
    List<Table> ts = new ArrayList<>();
    for (Object o : parts) {
      ts.add((Table) o);
    }
    return Table.concat(ts);
  }

  int position(String column) {
    for (int c = 0; c < names.length; c++) {
      if (names[c].equals(column)) {
        return c;
      }
    }
    throw new FrameException("no column '" + column + "'; columns are " + Arrays.toString(names));
  }

  /** A new frame whose partition p is {@code fn} of this frame's partition p (same index). */
  DFrame mapPartitions(String op, String[] outNames, ColumnType[] outTypes, Function<Table, Table> fn) {
    return mapPartitions(op, outNames, outTypes, fn, null);
  }

  /**
   * {@link #mapPartitions(String, String[], ColumnType[], Function)} where {@code fn} finds its
   * columns by name and reads only what {@code projection} says (null: every column).
   */
  DFrame mapPartitions(String op, String[] outNames, ColumnType[] outTypes, Function<Table, Table> fn,
      io.rankwise.graph.Projection projection) {
    String n = Session.current().nextName(op);
    List<Task> tasks = new ArrayList<>(npartitions);
    for (int p = 0; p < npartitions; p++) {
      tasks.add(new Task(new TaskKey(n, p), List.of(key(p)), in -> fn.apply((Table) in[0]), op, 1.0, -1));
    }
    return new DFrame(n, indexName, indexType, outNames, outTypes, divisions, npartitions,
        new Layer(n, tasks, List.of(layer), projection)).withCardinality(cardinality);
  }

  /** Partition p of the result is {@code fn(this[p], other[p])}: frames partitioned alike. */
  DFrame zipPartitions(String op, DFrame other, String[] outNames, ColumnType[] outTypes,
      java.util.function.BiFunction<Table, Table, Table> fn) {
    return zipPartitions(op, other, outNames, outTypes, fn, null);
  }

  private DFrame zipPartitions(String op, DFrame other, String[] outNames, ColumnType[] outTypes,
      java.util.function.BiFunction<Table, Table, Table> fn, io.rankwise.graph.Projection projection) {
    if (other.npartitions != npartitions || !Arrays.equals(other.divisions, divisions)) {
      throw new FrameException(op + ": the frames are partitioned differently (" + npartitions + " vs "
          + other.npartitions + " partitions); align them first");
    }
    String n = Session.current().nextName(op);
    List<Task> tasks = new ArrayList<>(npartitions);
    for (int p = 0; p < npartitions; p++) {
      tasks.add(new Task(new TaskKey(n, p), List.of(key(p), other.key(p)),
          in -> fn.apply((Table) in[0], (Table) in[1]), op, 1.0, -1));
    }
    return new DFrame(n, indexName, indexType, outNames, outTypes, divisions, npartitions,
        new Layer(n, tasks, Layer.distinct(List.of(layer, other.layer)), projection)).withCardinality(cardinality);
  }

  // ---- missing values and counts ------------------------------------------------------------

  /**
   * Rows without a missing value in {@code subset} (all columns when empty), pandas' dropna.
   * Missing values are NaN (float64), NaT (datetime) and null strings.
   */
  public DFrame dropna(String... subset) {
    String[] cols = subset.length == 0 ? names.clone() : subset.clone();
    for (String c : cols) {
      position(c); // (an unknown column fails here, not in a task)
    }
    return mapPartitions("dropna", names, types, t -> {
      Column[] check = Arrays.stream(cols).map(t::column).toArray(Column[]::new);
      boolean[] keep = new boolean[t.rows()];
      for (int i = 0; i < keep.length; i++) {
        keep[i] = true;
        for (Column c : check) {
          if (c.isNull(i)) {
            keep[i] = false;
            break;
          }
        }
      }
      return t.filter(Column.of(keep));
    }, passThrough(cols));
  }

  /** A projection for row-wise ops: what consumers read, and {@code also} (found by name). */
  private static io.rankwise.graph.Projection passThrough(String... also) {
    return new io.rankwise.graph.Projection() {
      @Override
      public java.util.Set<String> reads(Layer dependency, java.util.Set<String> demand) {
        if (demand == null) {
          return null;
        }
        java.util.Set<String> r = new java.util.HashSet<>(demand);
        r.addAll(Arrays.asList(also));
        return r;
      }
    };
  }

  /** Missing values (NaN) of float64 columns replaced by {@code value}, pandas' fillna. */
  public DFrame fillna(double value) {
    return mapPartitions("fillna", names, types, t -> {
      Column[] out = new Column[t.columns.length];
      for (int c = 0; c < out.length; c++) { // the columns the partition has (all of them, or those read)
        Column col = t.columns[c];
        if (col.type() == ColumnType.FLOAT64) {
          double[] v = new double[t.rows()];
          for (int i = 0; i < v.length; i++) {
            double x = col.getDouble(i);
            v[i] = Double.isNaN(x) ? value : x;
          }
          col = Column.of(v);
        }
        out[c] = col;
      }
      return new Table(t.indexName(), t.index(), t.names, out);
    }, passThrough());
  }


  /**
   * How often each value of {@code column} occurs (pandas' value_counts): a table indexed by the
   * values, one column {@code count}, most frequent first (ties: smaller value first). Missing
   * values are not counted.
   */
  public Table valueCounts(String column) {
    int p = position(column);
    DFrame ones = mapPartitions("value-counts-ones", new String[] {column, "count"},
        new ColumnType[] {types[p], ColumnType.INT64}, t -> {
          long[] one = new long[t.rows()];
          Arrays.fill(one, 1);
          return new Table(null, null, new String[] {column, "count"}, new Column[] {t.columns[p], Column.of(one)});
        });
    Table byValue = ones.dropna(column).groupby(column).column("count").sum().compute();
    int n = byValue.rows();
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Column counts = byValue.column("count");
    Arrays.sort(order, (a, b) -> Long.compare(counts.getLong(b), counts.getLong(a))); // stable: value order on ties
    int[] idx = Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    return byValue.take(idx);
  }

  /** The number of distinct values of {@code column}, missing values not counted (pandas' nunique). */
  public long nunique(String column) {
    return valueCounts(column).rows();
  }

  // ---- arrays ----------------------------------------------------------------------------

  /**
   * The values of numeric columns as a chunked 2-d array (rows x columns), one row block per
   * partition, made where the partition is (Dask's {@code df[cols].to_dask_array(lengths=True)}).
   * float64, or int64 when every column is int64; bool columns count as 0/1. Computes the
   * partition lengths first (collective), as Dask does with {@code lengths=True}.
   */
  public io.rankwise.array.DArray toArray(String... columns) {
    return values(columns.length == 0 ? names.clone() : columns.clone(), false);
  }

  /** One numeric column as a chunked 1-d array (Dask's {@code df[col].to_dask_array(lengths=True)}). */
  public io.rankwise.array.DArray columnArray(String column) {
    return values(new String[] {column}, true);
  }

  /** The values of {@code cols}, one row block per partition: (rows, k), or (rows) when {@code flat}. */
  private io.rankwise.array.DArray values(String[] cols, boolean flat) {
    int[] pos = new int[cols.length];
    boolean allInt = true;
    for (int c = 0; c < cols.length; c++) {
      pos[c] = position(cols[c]);
      ColumnType t = types[pos[c]];
      if (t == ColumnType.STRING || t == ColumnType.DATETIME) {
        throw new FrameException("toArray: column '" + cols[c] + "' is " + t.pandasName() + "; only numeric and bool "
            + "columns become array values (select the numeric columns)");
      }
      allInt &= t == ColumnType.INT64;
    }
    io.rankwise.array.DType dt = allInt ? io.rankwise.array.DType.INT64 : io.rankwise.array.DType.FLOAT64;
    int k = cols.length;
    return io.rankwise.array.Da.fromUpstream("values", dt, partitionLengths(), flat ? 0 : k, layer, this::key, o -> {
      Table t = (Table) o;
      int rows = t.rows();
      int[] shape = flat ? new int[] {rows} : new int[] {rows, k};
      if (dt == io.rankwise.array.DType.INT64) {
        long[] v = new long[rows * k];
        for (int c = 0; c < k; c++) {
          Column col = t.columns[pos[c]];
          for (int i = 0; i < rows; i++) {
            v[i * k + c] = col.getLong(i);
          }
        }
        return io.rankwise.array.NdArray.of(v, shape);
      }
      double[] v = new double[rows * k];
      for (int c = 0; c < k; c++) {
        Column col = t.columns[pos[c]];
        for (int i = 0; i < rows; i++) {
          v[i * k + c] = col.getDouble(i);
        }
      }
      return io.rankwise.array.NdArray.of(v, shape);
    });
  }

  /** Rows per partition (computed: collective). */
  int[] partitionLengths() {
    Object[] out = Frames.perPartition(this, "partition-lengths", (p, t) -> t.rows(), java.util.Set.of());
    int[] lengths = new int[npartitions];
    for (int p = 0; p < npartitions; p++) {
      lengths[p] = (Integer) out[p];
    }
    return lengths;
  }

  // ---- columns and filters ---------------------------------------------------------------

  public DFrame select(String... cols) {
    ColumnType[] t = new ColumnType[cols.length];
    for (int c = 0; c < cols.length; c++) {
      t[c] = types[position(cols[c])];
    }
    return mapPartitions("select", cols.clone(), t, part -> part.select(cols),
        io.rankwise.graph.Projection.readsOnly(new java.util.HashSet<>(Arrays.asList(cols))));
  }

  /** Columns renamed ({@code old -> new}); columns not named keep their names. */
  public DFrame rename(java.util.Map<String, String> mapping) {
    String[] out = names.clone();
    for (java.util.Map.Entry<String, String> e : mapping.entrySet()) {
      out[position(e.getKey())] = e.getValue();
    }
    if (java.util.Arrays.stream(out).distinct().count() != out.length) {
      throw new FrameException("rename: the new column names " + Arrays.toString(out) + " repeat a name");
    }
    java.util.Map<String, Cardinality> renamed = new java.util.HashMap<>();
    for (int c = 0; c < names.length; c++) {
      if (cardinality.containsKey(names[c])) {
        renamed.put(out[c], cardinality.get(names[c]));
      }
    }
    java.util.Map<String, String> newOf = new java.util.HashMap<>();
    java.util.Map<String, String> oldOf = new java.util.HashMap<>();
    for (int c = 0; c < names.length; c++) {
      newOf.put(names[c], out[c]);
      oldOf.put(out[c], names[c]);
    }
    // by name: the partition may hold only the columns read downstream (under their old names)
    io.rankwise.graph.Projection reads = new io.rankwise.graph.Projection() {
      @Override
      public java.util.Set<String> reads(Layer dependency, java.util.Set<String> demand) {
        if (demand == null) {
          return null;
        }
        java.util.Set<String> r = new java.util.HashSet<>();
        for (String d : demand) {
          r.add(oldOf.getOrDefault(d, d));
        }
        return r;
      }
    };
    return mapPartitions("rename", out, types, t -> new Table(t.indexName, t.index,
        Arrays.stream(t.names).map(n -> newOf.getOrDefault(n, n)).toArray(String[]::new), t.columns), reads)
        .withCardinality(renamed);
  }

  /** One column, as a one-column frame (a Series). */
  public DFrame col(String column) {
    return select(column);
  }

  private DFrame compare(String op, double v, java.util.function.DoublePredicate test) {
    if (names.length != 1) {
      throw new FrameException(op + " needs a single column (use df.col(\"y\")), this frame has " + Arrays.toString(names));
    }
    if (types[0] == ColumnType.STRING) {
      throw new FrameException(op + ": column '" + names[0] + "' holds strings; compare it with eq(String)");
    }
    return mapPartitions(op, names, new ColumnType[] {ColumnType.BOOL}, part -> {
      double[] vals = part.columns[0].asDoubles();
      boolean[] out = new boolean[part.rows];
      for (int i = 0; i < out.length; i++) {
        out[i] = test.test(vals[i]);
      }
      return new Table(part.indexName, part.index, part.names, new Column[] {Column.of(out)});
    });
  }

  public DFrame gt(double v) {
    return compare("gt", v, x -> x > v);
  }

  public DFrame ge(double v) {
    return compare("ge", v, x -> x >= v);
  }

  public DFrame lt(double v) {
    return compare("lt", v, x -> x < v);
  }

  public DFrame le(double v) {
    return compare("le", v, x -> x <= v);
  }

  /** {@code == v} on a bool column. */
  public DFrame eq(boolean v) {
    if (names.length != 1 || types[0] != ColumnType.BOOL) {
      throw new FrameException("eq(boolean) needs a single bool column, got " + Arrays.toString(names) + " "
          + Arrays.toString(types));
    }
    return mapPartitions("eq", names, new ColumnType[] {ColumnType.BOOL}, part -> {
      Column c = part.columns[0];
      boolean[] out = new boolean[part.rows];
      for (int i = 0; i < out.length; i++) {
        out[i] = c.getBool(i) == v;
      }
      return new Table(part.indexName, part.index, part.names, new Column[] {Column.of(out)});
    });
  }

  /** {@code == v} on a string column. */
  public DFrame eq(String v) {
    if (names.length != 1 || types[0] != ColumnType.STRING) {
      throw new FrameException("eq(String) needs a single string column, got " + Arrays.toString(names) + " "
          + Arrays.toString(types));
    }
    return mapPartitions("eq", names, new ColumnType[] {ColumnType.BOOL}, part -> {
      Column c = part.columns[0];
      boolean[] out = new boolean[part.rows];
      for (int i = 0; i < out.length; i++) {
        out[i] = v.equals(c.getString(i));
      }
      return new Table(part.indexName, part.index, part.names, new Column[] {Column.of(out)});
    });
  }

  /** Rows where {@code mask} (a one-column bool frame from this frame) is true. */
  public DFrame filter(DFrame mask) {
    if (mask.names.length != 1 || mask.types[0] != ColumnType.BOOL) {
      throw new FrameException("filter needs a single bool column (e.g. df.col(\"y\").gt(0)), got "
          + Arrays.toString(mask.names) + " " + Arrays.toString(mask.types));
    }
    Layer rows = layer;
    Layer keep = mask.layer;
    // the rows' columns that are read downstream, and the whole (one-column) mask
    io.rankwise.graph.Projection reads = new io.rankwise.graph.Projection() {
      @Override
      public java.util.Set<String> reads(Layer dependency, java.util.Set<String> demand) {
        return dependency == rows && dependency != keep ? demand : null;
      }
    };
    return zipPartitions("filter", mask, names, types, (t, m) -> t.filter(m.columns[0]), reads);
  }

  // ---- statistics ---------------------------------------------------------------------------

  /**
   * {@code partial} of every partition merged by {@code combine} over a fixed tree of partitions
   * (computed now; the result on every rank).
   */
  Object reduce(String op, Function<Table, Object> partial, io.rankwise.graph.TreeReduce.Combiner combine) {
    return reduce(op, partial, combine, null);
  }

  /** @param reads the columns {@code partial} reads, by name (null: all) */
  Object reduce(String op, Function<Table, Object> partial, io.rankwise.graph.TreeReduce.Combiner combine,
      java.util.Set<String> reads) {
    String n = Session.current().nextName(op);
    List<Task> tasks = new ArrayList<>(npartitions);
    List<TaskKey> parts = new ArrayList<>(npartitions);
    for (int p = 0; p < npartitions; p++) {
      TaskKey k = new TaskKey(n + "-chunk", p);
      parts.add(k);
      tasks.add(new Task(k, List.of(key(p)), in -> partial.apply((Table) in[0]), op, 1.0, -1));
    }
    Layer chunks = new Layer(n + "-chunk", tasks, List.of(layer),
        io.rankwise.graph.Projection.readsOnly(reads));
    Layer tree = io.rankwise.graph.TreeReduce.build(n, op + "-merge", parts, List.of(chunks), SPLIT_EVERY, combine);
    TaskKey root = io.rankwise.graph.TreeReduce.rootKey(n, parts.size(), SPLIT_EVERY);
    return new Outputs(tree, List.of(root)).compute(ComputeOptions.DEFAULT)[0];
  }

  /** The int64 and float64 columns (bool, string and datetime left out, as pandas' describe). */
  private String[] numericColumns(String... cols) {
    if (cols.length > 0) {
      for (String c : cols) {
        ColumnType t = types[position(c)];
        if (t != ColumnType.INT64 && t != ColumnType.FLOAT64) {
          throw new FrameException("column '" + c + "' is " + t.pandasName() + "; quantiles and describe take int64 "
              + "and float64 columns");
        }
      }
      return cols.clone();
    }
    List<String> out = new ArrayList<>();
    for (int c = 0; c < names.length; c++) {
      if (types[c] == ColumnType.INT64 || types[c] == ColumnType.FLOAT64) {
        out.add(names[c]);
      }
    }
    return out.toArray(String[]::new);
  }

  /** count, mean, std, min, max of each column (NaN skipped), over a tree: one GroupStats slot per column. */
  private GroupStats moments(String[] cols) {
    return (GroupStats) reduce("moments", t -> {
      GroupStats g = new GroupStats(cols.length);
      int[] gid = new int[t.rows()]; // every row in the one group
      if (t.rows() > 0) {
        g.id("");
      }
      g.addColumns(gid, java.util.Arrays.stream(cols).map(t::column).toArray(Column[]::new));
      return g;
    }, GroupStats::combine, new java.util.HashSet<>(java.util.Arrays.asList(cols)));
  }

  /**
   * Exact quantiles (pandas' linear interpolation, NaN skipped) of numeric columns (all of them
   * when none are named): a table indexed by q. Four passes over the data, no sorting or shuffling.
   */
  public Table quantile(double[] qs, String... columns) {
    String[] cols = numericColumns(columns);
    GroupStats m = moments(cols);
    double[][] q = Quantiles.quantiles(this, cols, counts(m, cols), qs);
    Column[] out = new Column[cols.length];
    for (int c = 0; c < cols.length; c++) {
      out[c] = Column.of(q[c]);
    }
    return new Table(null, Column.of(qs.clone()), cols, out);
  }

  private static long[] counts(GroupStats m, String[] cols) {
    long[] n = new long[cols.length];
    int g = m.find("");
    for (int c = 0; c < cols.length && g >= 0; c++) {
      n[c] = (long) m.value(g, c, "count", 1);
    }
    return n;
  }

  /**
   * pandas' describe of the numeric columns: count, mean, std, min, 25%, 50%, 75%, max, with
   * exact quantiles (Dask's are approximate).
   */
  public Table describe() {
    String[] cols = numericColumns();
    GroupStats m = moments(cols);
    long[] n = counts(m, cols);
    double[][] q = Quantiles.quantiles(this, cols, n, new double[] {0.25, 0.5, 0.75});
    String[] stats = {"count", "mean", "std", "min", "25%", "50%", "75%", "max"};
    Column[] out = new Column[cols.length];
    int g = m.find("");
    for (int c = 0; c < cols.length; c++) {
      double[] v = new double[stats.length];
      v[0] = n[c];
      v[1] = g < 0 ? Double.NaN : m.value(g, c, "mean", 1);
      v[2] = g < 0 ? Double.NaN : m.value(g, c, "std", 1);
      v[3] = g < 0 ? Double.NaN : m.value(g, c, "min", 1);
      v[4] = q[c][0];
      v[5] = q[c][1];
      v[6] = q[c][2];
      v[7] = g < 0 ? Double.NaN : m.value(g, c, "max", 1);
      out[c] = Column.of(v);
    }
    return new Table(null, Column.strings(stats), cols, out);
  }

  // ---- merge, sort, duplicates -----------------------------------------------------------------

  /**
   * pandas' merge on key columns of the same name: {@code how} is inner, left, right or outer.
   * See {@link Join} for different key names, the index, suffixes and the broadcast/shuffle choice.
   */
  public DFrame merge(DFrame right, String how, String... on) {
    return merge(right, Join.on(on).how(how));
  }

  public DFrame merge(DFrame right, Join join) {
    return Merge.merge(this, right, join);
  }

  /** pandas' join: rows matched on the indexes ({@code how}: left, right, inner or outer). */
  public DFrame join(DFrame right, String how) {
    return merge(right, Join.onIndex().how(how));
  }

  /** Rows sorted by {@code by} ascending (stable; nulls last): a sample sort over the ranks. */
  public DFrame sortValues(String... by) {
    boolean[] asc = new boolean[by.length];
    Arrays.fill(asc, true);
    return sortValues(by, asc);
  }

  /** Rows sorted by {@code by}, each ascending or descending (stable; nulls last either way). */
  public DFrame sortValues(String[] by, boolean[] ascending) {
    if (by.length == 0 || by.length != ascending.length) {
      throw new FrameException("sortValues: name at least one column and one direction per column, got "
          + by.length + " columns and " + ascending.length + " directions");
    }
    return Sort.sortValues(this, new Sort.Order(by.clone(), ascending.clone()), Shuffle.buckets(npartitions), null)
        .withCardinality(cardinality);
  }

  /**
   * {@code column} as the index, rows sorted by it (pandas' set_index + sort, Dask's set_index): a
   * datetime or int64 index without nulls gets known divisions, so resample and index joins work.
   */
  public DFrame setIndex(String column) {
    return Sort.sortValues(this, new Sort.Order(new String[] {column}, new boolean[] {true}),
        Shuffle.buckets(npartitions), column).withCardinality(cardinality);
  }

  /** The index back as the first column (named after the index, or "index"); a range index. */
  public DFrame resetIndex() {
    if (indexType == null) {
      return this;
    }
    String col = indexName == null ? "index" : indexName;
    String[] outNames = new String[names.length + 1];
    ColumnType[] outTypes = new ColumnType[names.length + 1];
    outNames[0] = col;
    outTypes[0] = indexType;
    System.arraycopy(names, 0, outNames, 1, names.length);
    System.arraycopy(types, 0, outTypes, 1, types.length);
    String n = Session.current().nextName("reset-index");
    List<Task> tasks = new ArrayList<>(npartitions);
    for (int p = 0; p < npartitions; p++) {
      tasks.add(new Task(new TaskKey(n, p), List.of(key(p)), in -> {
        Table t = (Table) in[0];
        Column[] cols = new Column[outNames.length];
        cols[0] = t.index();
        System.arraycopy(t.columns, 0, cols, 1, t.columns.length);
        return new Table(null, null, outNames, cols);
      }, "reset-index", 1.0, -1));
    }
    return new DFrame(n, null, null, outNames, outTypes, null, npartitions, new Layer(n, tasks, List.of(layer)));
  }

  /**
   * Rows whose values in {@code subset} (all columns when empty) came earlier are dropped (pandas'
   * drop_duplicates, keep='first'); partitions, order and divisions stay.
   */
  public DFrame dropDuplicates(String... subset) {
    return Distinct.dropDuplicates(this, subset, Shuffle.buckets(npartitions)).withCardinality(cardinality);
  }

  // ---- small results -----------------------------------------------------------------------

  /** The first n rows, computing only the partitions needed (more are taken if the first is short). */
  public Table head(int n) {
    List<Table> got = new ArrayList<>();
    int have = 0;
    int p = 0;
    int step = 1;
    while (have < n && p < npartitions) {
      List<TaskKey> keys = new ArrayList<>();
      for (int k = p; k < Math.min(npartitions, p + step); k++) {
        keys.add(key(k));
      }
      Object[] parts = new Outputs(layer, keys).compute(ComputeOptions.DEFAULT);
      for (Object o : parts) {
        Table t = (Table) o;
        got.add(t);
        have += t.rows;
      }
      p += step;
      step *= 2;
    }
    return got.isEmpty() ? emptyTable() : Table.concat(got).head(n);
  }

  /** The last n rows, computing only the partitions needed, from the end. */
  public Table tail(int n) {
    List<Table> got = new ArrayList<>();
    int have = 0;
    int p = npartitions;
    int step = 1;
    while (have < n && p > 0) {
      List<TaskKey> keys = new ArrayList<>();
      for (int k = Math.max(0, p - step); k < p; k++) {
        keys.add(key(k));
      }
      Object[] parts = new Outputs(layer, keys).compute(ComputeOptions.DEFAULT);
      List<Table> batch = new ArrayList<>();
      for (Object o : parts) {
        batch.add((Table) o);
        have += ((Table) o).rows;
      }
      got.addAll(0, batch);
      p = Math.max(0, p - step);
      step *= 2;
    }
    return got.isEmpty() ? emptyTable() : Table.concat(got).tail(n);
  }

  Table emptyTable() {
    Column[] cs = new Column[names.length];
    for (int c = 0; c < cs.length; c++) {
      cs[c] = empty(types[c]);
    }
    return new Table(indexName, indexType == null ? null : empty(indexType), names, cs);
  }

  static Column empty(ColumnType t) {
    return switch (t) {
      case FLOAT64 -> Column.of(new double[0]);
      case INT64 -> Column.of(new long[0]);
      case BOOL -> Column.of(new boolean[0]);
      case DATETIME -> Column.datetimes(new long[0]);
      case STRING -> Column.strings(new int[0], new String[0]);
    };
  }

  /** Number of rows (pandas' len): the per-partition counts, added up (collective). */
  public long length() {
    if (rowCounter != null) {
      // a reader that can count rows without parsing values (CSV: records, not fields)
      String n = Session.current().nextName("count-rows");
      List<Task> tasks = new ArrayList<>(npartitions);
      for (int p = 0; p < npartitions; p++) {
        int pp = p;
        tasks.add(new Task(new TaskKey(n, p), List.of(), in -> new long[] {rowCounter.count(pp)}, "count-rows", 0.5, -1));
      }
      long total = 0;
      for (Object o : new Outputs(new Layer(n, tasks, List.of()), TaskKey.range(n, npartitions))
          .compute(ComputeOptions.DEFAULT)) {
        total += ((long[]) o)[0];
      }
      return total;
    }
    long n = 0;
    for (int rows : partitionLengths()) {
      n += rows;
    }
    return n;
  }

  /**
   * Computes every partition once and keeps it in memory on the rank that computed it (Dask's
   * persist): the returned frame starts later computations from those partitions. Collective.
   */
  public DFrame persist() {
    Table[] parts = Frames.ownedPartitions(this);
    String n = Session.current().nextName("persist");
    List<Task> tasks = io.rankwise.graph.Persisted.pin(parts, p -> new TaskKey(n, p));
    return new DFrame(n, indexName, indexType, names, types, divisions, npartitions, new Layer(n, tasks, List.of()))
        .withCardinality(cardinality);
  }

  /** The whole frame on every rank (use reductions and groupby for large data). */
  public Table compute() {
    return (Table) Scheduler.compute(List.of(this), ComputeOptions.DEFAULT)[0];
  }

  public GroupBy groupby(String... keys) {
    for (String k : keys) {
      position(k);
    }
    return new GroupBy(this, keys);
  }

  /** Time bins of the datetime index: {@code resample("1h")}. */
  public Resample resample(String rule) {
    if (indexType != ColumnType.DATETIME) {
      throw new FrameException("resample needs a datetime index; this frame's index is "
          + (indexType == null ? "a range" : indexType.pandasName()));
    }
    return new Resample(this, Times.freq(rule), rule);
  }

  /** Writes the frame to {@code group} of an HDF5 file; see {@link io.rankwise.io.Hdf5Tables#write}. Collective. */
  public void toHdf(Path file, String group) {
    io.rankwise.io.Hdf5Tables.write(this, file, group);
  }

  /**
   * One CSV file per partition, named by {@code pattern} with {@code *} replaced by the partition
   * number (Dask's to_csv); see {@link io.rankwise.io.Csv#write}.
   */
  public List<Path> toCsv(String pattern) {
    return io.rankwise.io.Csv.write(this, pattern);
  }

  public Path visualize(Path file, boolean optimize) {
    return Scheduler.visualize(this, file, optimize);
  }

  /** Dask's lazy repr: the structure, not the data. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Rankwise DataFrame Structure:\n");
    sb.append(String.join(" ", names)).append('\n');
    sb.append("npartitions=").append(npartitions).append('\n');
    if (divisions != null && indexType == ColumnType.DATETIME) {
      sb.append(Times.format(divisions[0]));
      for (ColumnType t : types) {
        sb.append(' ').append(t.pandasName());
      }
      sb.append("\n...\n").append(Times.format(divisions[npartitions])).append('\n');
    }
    sb.append("Rankwise Name: ").append(name.substring(0, Math.max(0, name.lastIndexOf('-')))).append(", ")
        .append(npartitions).append(" tasks");
    return sb.toString();
  }
}
