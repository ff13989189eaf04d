package io.rankwise.io;

import ch.systemsx.cisd.hdf5.HDF5Factory;
import ch.systemsx.cisd.hdf5.IHDF5Reader;
import ch.systemsx.cisd.hdf5.IHDF5Writer;
import io.rankwise.frame.Column;
import io.rankwise.frame.ColumnType;
import io.rankwise.frame.DFrame;
import io.rankwise.frame.Frames;
import io.rankwise.frame.Table;
import io.rankwise.runtime.Session;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Dataframes in HDF5 files (Dask's to_hdf/read_hdf, in a plain layout any HDF5 tool reads): a
 * group holds one 1-d dataset per column, all of the frame's length, and the index (if named) as
 * dataset {@code __index__}. float64 and int64 as such, datetimes as int64 nanoseconds since the
 * epoch, bools as int8, strings as variable-length UTF-8 with an int8 null mask {@code
 * __null__<column>}. The group's attributes {@code rankwise.columns}, {@code rankwise.dtypes} and
 * {@code rankwise.index} (name and dtype, or "" and RANGE) keep the schema.
 *
 * <p>Writing: each rank computes its own partitions, the ranks agree on every partition's offset,
 * rank 0 creates the datasets, and the ranks take turns writing their rows (jhdf5 is not parallel
 * HDF5). Reading: one partition per {@code rowsPerPartition} rows, each read by its owner.
 */
public final class Hdf5Tables {

  /** Rows per partition when reading (Dask's read_hdf chunksize). */
  public static final int DEFAULT_ROWS = 1_000_000;

  private static final String INDEX = "__index__";
  private static final String NULLS = "__null__";
  private static final String NO_INDEX = "RANGE";

  private Hdf5Tables() {}

  /** Computes {@code df} and writes it to {@code group} of {@code file} (the file is replaced). Collective. */
  public static void write(DFrame df, Path file, String group) {
    for (String c : df.columns()) {
      if (c.contains("/") || c.startsWith("__")) {
        throw new IoException("toHdf: column name '" + c + "' cannot be an HDF5 dataset name (no '/', no leading '__');"
            + " rename it first");
      }
    }
    Session s = Session.current();
    Table[] parts = Frames.ownedPartitions(df);
    long[] lengths = new long[parts.length];
    for (int p = 0; p < parts.length; p++) {
      lengths[p] = parts[p] == null ? 0 : parts[p].rows();
    }
    s.comm().allReduce(lengths, io.rankwise.comm.ReduceOp.SUM);
    long[] offset = new long[parts.length];
    long total = 0;
    for (int p = 0; p < parts.length; p++) {
      offset[p] = total;
      total += lengths[p];
    }
    String[] names = df.columns().toArray(String[]::new);
    ColumnType[] types = Arrays.stream(names).map(df::dtype).toArray(ColumnType[]::new);
    boolean hasIndex = df.indexType() != null;
    String g = group.startsWith("/") ? group : "/" + group;
    long rows = total;
    Hdf5.writeInTurns(s, file, "group " + g, "its partitions of " + g, w -> {
      w.object().createGroup(g);
      int block = (int) Math.max(1, Math.min(rows, 1 << 16));
      for (int c = 0; c < names.length; c++) {
        create(w, g + "/" + names[c], types[c], rows, block);
      }
      if (hasIndex) {
        create(w, g + "/" + INDEX, df.indexType(), rows, block);
      }
      w.string().setArrayAttr(g, "rankwise.columns", names);
      w.string().setArrayAttr(g, "rankwise.dtypes", Arrays.stream(types).map(ColumnType::name).toArray(String[]::new));
      w.string().setArrayAttr(g, "rankwise.index", hasIndex
          ? new String[] {df.indexName() == null ? "" : df.indexName(), df.indexType().name()} : new String[] {"", NO_INDEX});
    }, w -> {
      for (int p = 0; p < parts.length; p++) {
        Table t = parts[p];
        if (t == null || t.rows() == 0) {
          continue;
        }
        for (int c = 0; c < names.length; c++) {
          put(w, g + "/" + names[c], t.column(names[c]), offset[p]);
        }
        if (hasIndex) {
          put(w, g + "/" + INDEX, t.index(), offset[p]);
        }
      }
    });
  }

  private static void create(IHDF5Writer w, String path, ColumnType t, long total, int block) {
    switch (t) {
      case FLOAT64 -> w.float64().createArray(path, total, block);
      case INT64, DATETIME -> w.int64().createArray(path, total, block);
      case BOOL -> w.int8().createArray(path, total, block);
      case STRING -> {
        w.string().createArrayVL(path, total, block);
        w.int8().createArray(nullsOf(path), total, block);
      }
    }
  }

  private static String nullsOf(String path) {
    int slash = path.lastIndexOf('/');
    return path.substring(0, slash + 1) + NULLS + path.substring(slash + 1);
  }

  private static void put(IHDF5Writer w, String path, Column c, long off) {
    int n = c.size();
    switch (c.type()) {
      case FLOAT64 -> {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          v[i] = c.getDouble(i);
        }
        w.float64().writeArrayBlockWithOffset(path, v, n, off);
      }
      case INT64, DATETIME -> {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          v[i] = c.getLong(i);
        }
        w.int64().writeArrayBlockWithOffset(path, v, n, off);
      }
      case BOOL -> {
        byte[] v = new byte[n];
        for (int i = 0; i < n; i++) {
          v[i] = (byte) (c.getBool(i) ? 1 : 0);
        }
        w.int8().writeArrayBlockWithOffset(path, v, n, off);
      }
      case STRING -> {
        String[] v = new String[n];
        byte[] nulls = new byte[n];
        for (int i = 0; i < n; i++) {
          String x = c.getString(i);
          v[i] = x == null ? "" : x;
          nulls[i] = (byte) (x == null ? 1 : 0);
        }
        w.string().writeArrayBlockWithOffset(path, v, n, off);
        w.int8().writeArrayBlockWithOffset(nullsOf(path), nulls, n, off);
      }
    }
  }

  private record Schema(String[] names, ColumnType[] types, String indexName, ColumnType indexType, long rows) {}

  public static DFrame read(Path file, String group) {
    return read(file, group, DEFAULT_ROWS);
  }

  /** A group written by {@link #write} as a frame of {@code rowsPerPartition}-row partitions. */
  public static DFrame read(Path file, String group, int rowsPerPartition) {
    if (rowsPerPartition < 1) {
      throw new IoException("readHdf: rowsPerPartition must be at least 1, got " + rowsPerPartition);
    }
    String g = group.startsWith("/") ? group : "/" + group;
    Schema schema = inspect(file, g);
    List<Frames.ColumnSource> sources = new ArrayList<>();
    for (long start = 0; start < Math.max(1, schema.rows); start += rowsPerPartition) {
      long off = start;
      int n = (int) Math.min(rowsPerPartition, schema.rows - start);
      // a column is a dataset: the datasets of columns the computation does not read are not read
      sources.add(cols -> readRows(file, g, schema, off, Math.max(0, n), cols));
    }
    String idx = schema.indexType == null ? null : schema.indexName.isEmpty() ? null : schema.indexName;
    return Frames.fromColumnSources("read-hdf", idx, schema.indexType, schema.names, schema.types, sources);
  }

  private static Schema inspect(Path file, String g) {
    IHDF5Reader r = Hdf5.openForReading(file);
    try (r) {
      if (!r.object().exists(g) || !r.object().isGroup(g)) {
        throw new IoException("HDF5 file " + file + " has no group '" + g + "'; it has: "
            + String.join(", ", r.object().getGroupMembers("/")));
      }
      if (!r.object().hasAttribute(g, "rankwise.columns")) {
        throw new IoException("group '" + g + "' in " + file + " is not a table written by Rankwise (no rankwise.columns "
            + "attribute); read its datasets as arrays with Hdf5.read");
      }
      String[] names = r.string().getArrayAttr(g, "rankwise.columns");
      String[] dtypes = r.string().getArrayAttr(g, "rankwise.dtypes");
      String[] index = r.string().getArrayAttr(g, "rankwise.index");
      ColumnType[] types = new ColumnType[names.length];
      for (int c = 0; c < names.length; c++) {
        types[c] = ColumnType.valueOf(dtypes[c]);
      }
      // the rows: of the first column dataset there is (a computation may not need a missing one)
      long rows = -1;
      List<String> datasets = new ArrayList<>(java.util.Arrays.asList(names));
      datasets.add(INDEX);
      for (String d : datasets) {
        if (rows < 0 && r.object().exists(g + "/" + d)) {
          rows = r.object().getDataSetInformation(g + "/" + d).getDimensions()[0];
        }
      }
      if (rows < 0 && names.length > 0) {
        throw new IoException("group '" + g + "' in " + file + " is a damaged table: none of its column datasets "
            + java.util.Arrays.toString(names) + " exists");
      }
      rows = Math.max(0, rows);
      boolean range = index.length < 2 || index[1].equals(NO_INDEX);
      return new Schema(names, types, range ? null : index[0], range ? null : ColumnType.valueOf(index[1]), rows);
    } catch (IllegalArgumentException e) {
      throw new IoException("group '" + g + "' in " + file + " has a damaged schema: " + e.getMessage(), e);
    }
  }

  /** Rows [off, off + n) of the columns in {@code only} (null: all), in the schema's order, and the index. */
  private static Table readRows(Path file, String g, Schema schema, long off, int n, java.util.Set<String> only) {
    Hdf5.quiet();
    try (IHDF5Reader r = HDF5Factory.openForReading(file.toFile())) {
      List<String> names = new ArrayList<>();
      List<Column> cols = new ArrayList<>();
      for (int c = 0; c < schema.names.length; c++) {
        if (only == null || only.contains(schema.names[c])) {
          names.add(schema.names[c]);
          cols.add(get(r, g + "/" + schema.names[c], schema.types[c], off, n));
        }
      }
      Column index = schema.indexType == null ? null : get(r, g + "/" + INDEX, schema.indexType, off, n);
      return new Table(schema.indexName == null || schema.indexName.isEmpty() ? null : schema.indexName, index,
          names.toArray(String[]::new), cols.toArray(Column[]::new));
    } catch (RuntimeException e) {
      throw new IoException("cannot read rows " + off + ".." + (off + n) + " of group " + g + " in " + file + ": "
          + e.getMessage(), e);
    }
  }

  private static Column get(IHDF5Reader r, String path, ColumnType t, long off, int n) {
    if (n == 0) {
      return switch (t) {
        case FLOAT64 -> Column.of(new double[0]);
        case INT64 -> Column.of(new long[0]);
        case DATETIME -> Column.datetimes(new long[0]);
        case BOOL -> Column.of(new boolean[0]);
        case STRING -> Column.strings(new String[0]);
      };
    }
    return switch (t) {
      case FLOAT64 -> Column.of(r.float64().readArrayBlockWithOffset(path, n, off));
      case INT64 -> Column.of(r.int64().readArrayBlockWithOffset(path, n, off));
      case DATETIME -> Column.datetimes(r.int64().readArrayBlockWithOffset(path, n, off));
      case BOOL -> {
        byte[] b = r.int8().readArrayBlockWithOffset(path, n, off);
        boolean[] v = new boolean[n];
        for (int i = 0; i < n; i++) {
          v[i] = b[i] != 0;
        }
        yield Column.of(v);
      }
      case STRING -> {
        String[] v = r.string().readArrayBlockWithOffset(path, n, off);
        byte[] nulls = r.int8().readArrayBlockWithOffset(nullsOf(path), n, off);
        for (int i = 0; i < n; i++) {
          if (nulls[i] != 0) {
            v[i] = null;
          }
        }
        yield Column.strings(v);
      }
    };
  }
}
