package io.rankwise.array;

import io.rankwise.graph.ComputeOptions;
import io.rankwise.graph.Layer;
import io.rankwise.graph.Lazy;
import io.rankwise.graph.Scheduler;
import io.rankwise.graph.Task;
import io.rankwise.graph.TaskFn;
import io.rankwise.graph.TaskKey;
import io.rankwise.runtime.Session;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

/**
 * A lazy n-d array cut into blocks (dask.array). Every operation adds one layer of block tasks;
 * nothing runs until {@link #compute()}. Blocks live on the ranks that compute them and move only
 * when a task on another rank reads them.
 *
 * <pre>{@code
 * DArray x = Da.random(42).random(new long[] {10000, 10000}, Chunks.of(1000));
 * double mean = x.mean().compute().item();
 * NdArray s = x.add(x.T()).std(0).sum().compute();
 * }</pre>
 */
public final class DArray implements Lazy<NdArray> {
  /** Partials merged per step of a reduction tree (Dask's split_every). */
  public static final int SPLIT_EVERY = 8;

  private final String name;
  private final DType dtype;
  private final ChunkGrid grid;
  private final Layer layer;
  /** For a 2-d transpose: the array it transposes, so that {@code a op b.T} can read b's blocks directly. */
  private DArray transposeOf;
  /** For {@code a op b.T} (2-d float64): the operands, so that a reduction can make the values as it visits them. */
  private TransposedOperands transposedOperands;

  /** {@code a op bt.T}: a's block (i, j) meets bt's block (j, i). */
  private record TransposedOperands(BlockOps.Bin op, DArray a, DArray bt) {}

  /** For group-wise arithmetic ({@link #groupBinary}): how to remake a block, so a reduction can fuse it. */
  private GroupedOperands groupedOperands;

  /**
   * The grouped means over axis 0 built on this array, whose per-block partials later reductions
   * may read instead of this array's blocks ({@link #nanReduce}): a climatology's pass over the
   * data then also serves its anomalies' mean, var and std, and means over coarser groups
   * (seasons of months). Graph building is single-threaded per rank; the list only grows, and
   * holds those means' layers (task lists, no data) as long as this array lives.
   */
  private final List<GroupedMeans> groupedMeans = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** A grouped mean over axis 0 of this array: its groups, kernel and per-block partials (keys as this array's blocks). */
  private record GroupedMeans(int[] groupOf, GroupReduction reduction, DArray partials) {}

  /** A registered mean that another grouping can use, and that grouping's group of each of its groups. */
  private record MeansMatch(GroupedMeans means, int[] groupMap) {}

  /** {@code x op perGroup[groupOf]} along {@code axis}: the blocks it reads ({@code map}) and the kernel's arguments. */
  private record GroupedOperands(BlockOps.Bin op, DArray x, DArray perGroup, InputMap map, int axis, int[] groupOf,
      boolean broadcast) {}

  DArray(String name, DType dtype, ChunkGrid grid, Layer layer) {
    this.name = name;
    this.dtype = dtype;
    this.grid = grid;
    this.layer = layer;
  }

  public String name() {
    return name;
  }

  public DType dtype() {
    return dtype;
  }

  public ChunkGrid grid() {
    return grid;
  }

  public long[] shape() {
    return grid.shape();
  }

  public int ndim() {
    return grid.ndim();
  }

  public long size() {
    return grid.size();
  }

  @Override
  public Layer layer() {
    return layer;
  }

  TaskKey key(int[] blockIndex) {
    return new TaskKey(name, blockIndex);
  }

  @Override
  public List<TaskKey> outputKeys() {
    List<TaskKey> keys = new ArrayList<>(grid.blockCount());
    for (int b = 0; b < grid.blockCount(); b++) {
      keys.add(key(grid.unravel(b)));
    }
    return keys;
  }

  /** Places every block into one local array. */
  @Override
  public NdArray assemble(Object[] blocks) {
    if (!grid.known()) {
      return concat1d(blocks);
    }
    long[] shape = grid.shape();
    int[] s = new int[shape.length];
    for (int a = 0; a < s.length; a++) {
      if (shape[a] > Integer.MAX_VALUE) {
        throw new ArrayException("axis " + a + " of length " + shape[a] + " is too long for a local array");
      }
      s[a] = (int) shape[a];
    }
    NdArray out = NdArray.zeros(dtype, s);
    int[] st = NdArray.strides(s);
    for (int b = 0; b < blocks.length; b++) {
      int[] idx = grid.unravel(b);
      long[] off = grid.blockOffset(idx);
      NdArray blk = GeneratedBlock.nd(blocks[b]);
      int base = 0;
      for (int a = 0; a < s.length; a++) {
        base += (int) off[a] * st[a];
      }
      int[] bs = blk.shapeRef();
      int b0 = base;
      Object src = blk.astype(dtype).data();
      Object dst = out.data();
      if (bs.length == 0) {
        System.arraycopy(src, 0, dst, 0, 1);
        continue;
      }
      // one arraycopy per row of the last axis
      int last = bs.length - 1;
      int row = bs[last];
      int[] rows = bs.clone();
      rows[last] = 1;
      BlockOps.forEachPair(rows, st, NdArray.strides(bs), (i, d, from) -> System.arraycopy(src, from, dst, b0 + d, row));
    }
    return out;
  }

  /** 1-d blocks of whatever length, one after another (arrays with unknown chunk sizes). */
  private NdArray concat1d(Object[] blocks) {
    int n = 0;
    for (Object b : blocks) {
      n += GeneratedBlock.nd(b).size();
    }
    NdArray out = NdArray.zeros(dtype, n);
    int pos = 0;
    for (Object b : blocks) {
      NdArray blk = GeneratedBlock.nd(b).astype(dtype);
      System.arraycopy(blk.data(), 0, out.data(), pos, blk.size());
      pos += blk.size();
    }
    return out;
  }

  // ---- building blocks of the graph ------------------------------------------------------------

  /** Computes one output block from its input blocks. */
  @FunctionalInterface
  interface BlockFn {
    NdArray apply(NdArray[] inputs, int[] outIndex) throws Exception;
  }

  /** Which input blocks an output block reads, per operand. */
  @FunctionalInterface
  interface InputMap {
    int[] blockOf(int operand, int[] outIndex);
  }

  /** A new array whose block {@code i} is {@code fn} of the mapped input blocks. */
  static DArray build(String op, DType dtype, ChunkGrid grid, List<DArray> inputs, InputMap map, BlockFn fn,
      double cost) {
    return buildRaw(op, dtype, grid, inputs, map, (in, idx) -> {
      NdArray[] blocks = new NdArray[in.length];
      for (int k = 0; k < in.length; k++) {
        blocks[k] = GeneratedBlock.nd(in[k]);
      }
      return fn.apply(blocks, idx);
    }, cost);
  }

  /** An output block from input values as the tasks hand them over: blocks or recipes ({@link GeneratedBlock}). */
  @FunctionalInterface
  interface RawBlockFn {
    NdArray apply(Object[] inputs, int[] outIndex) throws Exception;
  }

  /** {@link #build}, with {@code fn} given recipes as they are (to generate values in the order it needs). */
  static DArray buildRaw(String op, DType dtype, ChunkGrid grid, List<DArray> inputs, InputMap map, RawBlockFn fn,
      double cost) {
    Session s = Session.current();
    String name = s.nextName(op);
    List<Task> tasks = new ArrayList<>(grid.blockCount());
    for (int b = 0; b < grid.blockCount(); b++) {
      int[] idx = grid.unravel(b);
      List<TaskKey> deps = new ArrayList<>(inputs.size());
      for (int k = 0; k < inputs.size(); k++) {
        deps.add(inputs.get(k).key(map.blockOf(k, idx)));
      }
      TaskFn tf = in -> fn.apply(in, idx);
      tasks.add(new Task(new TaskKey(name, idx), deps, tf, op, cost, -1));
    }
    return new DArray(name, dtype, grid, new Layer(name, tasks, layers(inputs)));
  }

  /** A new array of source blocks: block {@code i} is whatever {@code producer} makes for it. */
  static DArray sources(String op, DType dtype, ChunkGrid grid, java.util.function.Function<int[], Object> producer,
      double cost) {
    String name = Session.current().nextName(op);
    List<Task> tasks = new ArrayList<>(grid.blockCount());
    for (int b = 0; b < grid.blockCount(); b++) {
      int[] idx = grid.unravel(b);
      tasks.add(new Task(new TaskKey(name, idx), List.of(), in -> producer.apply(idx), op, cost, -1));
    }
    return new DArray(name, dtype, grid, new Layer(name, tasks, List.of()));
  }

  /** A new array each of whose blocks is one existing block, unchanged (concatenate, stack). */
  static DArray relabel(String op, DType dtype, ChunkGrid grid, List<DArray> inputs,
      java.util.function.Function<int[], TaskKey> source) {
    String name = Session.current().nextName(op);
    List<Task> tasks = new ArrayList<>(grid.blockCount());
    for (int b = 0; b < grid.blockCount(); b++) {
      int[] idx = grid.unravel(b);
      tasks.add(new Task(new TaskKey(name, idx), List.of(source.apply(idx)), in -> in[0], op, 1e-3, -1));
    }
    return new DArray(name, dtype, grid, new Layer(name, tasks, layers(inputs)));
  }

  /** A new axis of length 1 at position {@code axis} (NumPy's expand_dims). */
  public DArray expandDims(int axis) {
    int nd = ndim();
    if (axis < 0 || axis > nd) {
      throw new ArrayException("expandDims: axis " + axis + " is out of bounds for the result of dimension " + (nd + 1));
    }
    long[] shape = new long[nd + 1];
    int[][] chunks = new int[nd + 1][];
    for (int a = 0, k = 0; a <= nd; a++) {
      if (a == axis) {
        shape[a] = 1;
        chunks[a] = new int[] {1};
      } else {
        shape[a] = grid.shape()[k];
        chunks[a] = grid.chunks(k);
        k++;
      }
    }
    ChunkGrid g = new ChunkGrid(shape, chunks);
    return build("expand_dims", dtype, g, List.of(this), (k, idx) -> dropAxis(idx, axis),
        (b, idx) -> b[0].reshape(g.blockShape(idx)), 1e-3);
  }

  private static int[] dropAxis(int[] idx, int axis) {
    int[] out = new int[idx.length - 1];
    for (int a = 0, k = 0; a < idx.length; a++) {
      if (a != axis) {
        out[k++] = idx[a];
      }
    }
    return out;
  }

  static List<Layer> layers(List<DArray> inputs) {
    return Layer.distinct(inputs.stream().map(a -> a.layer).toList());
  }

  /** Relative cost of a task over a block: its elements, in units of a million. */
  double blockCost() {
    return Math.max(1e-3, grid.maxBlockElements() / 1e6);
  }

  // ---- elementwise -------------------------------------------------------------------------

  /**
   * Blockwise application over operands broadcast against each other (NumPy rules). Along an
   * axis, every operand that is not broadcast must have the same chunks; a broadcast operand (the
   * axis missing or of length 1) has a single block there.
   */
  static DArray elementwise(String op, DType out, List<DArray> operands, BlockFn fn) {
    if (operands.size() > 1) {
      for (DArray d : operands) {
        d.grid.requireKnown(op + " of two arrays");
      }
    }
    long[] shape = operands.get(0).shape();
    for (DArray d : operands.subList(1, operands.size())) {
      shape = BlockOps.broadcastShapes(shape, d.shape());
    }
    int nd = shape.length;
    int[][] chunks = new int[nd][];
    boolean[][] broadcast = new boolean[operands.size()][nd];
    for (int k = 0; k < operands.size(); k++) {
      DArray d = operands.get(k);
      int lead = nd - d.ndim();
      for (int a = 0; a < nd; a++) {
        int j = a - lead;
        if (j < 0 || d.shape()[j] == 1 && shape[a] != 1) {
          broadcast[k][a] = true;
          if (j >= 0 && d.grid.numBlocks()[j] != 1) {
            throw new ArrayException(op + ": operand " + k + " is broadcast along axis " + a + " but has "
                + d.grid.numBlocks()[j] + " blocks there");
          }
          continue;
        }
        int[] c = d.grid.chunks(j);
        if (chunks[a] == null) {
          chunks[a] = c;
        } else if (!Arrays.equals(chunks[a], c)) {
          throw new ArrayException(op + ": operands have different chunks along axis " + a + ": "
              + Arrays.toString(chunks[a]) + " vs " + Arrays.toString(c) + " (shapes "
              + Arrays.toString(operands.get(0).shape()) + " and " + Arrays.toString(d.shape())
              + "); give them the same chunks");
        }
      }
    }
    for (int a = 0; a < nd; a++) {
      if (chunks[a] == null) {
        chunks[a] = new int[] {(int) shape[a]};
      }
    }
    ChunkGrid grid = new ChunkGrid(shape, chunks);
    InputMap map = (k, idx) -> {
      DArray d = operands.get(k);
      int lead = nd - d.ndim();
      int[] in = new int[d.ndim()];
      for (int j = 0; j < in.length; j++) {
        in[j] = broadcast[k][j + lead] ? 0 : idx[j + lead];
      }
      return in;
    };
    double cost = Math.max(1e-3, grid.maxBlockElements() / 1e6);
    return build(op, out, grid, operands, map, fn, cost);
  }

  /** Operand 0's block (i, j) and operand 1's block (j, i). */
  private static final InputMap TRANSPOSED_PAIR = (k, idx) -> k == 0 ? idx : new int[] {idx[1], idx[0]};

  private DArray binary(BlockOps.Bin op, DArray other) {
    DType t = BlockOps.resultType(op, dtype, other.dtype);
    DArray src = other.transposeOf;
    if (src != null && ndim() == 2 && dtype == DType.FLOAT64 && src.dtype == DType.FLOAT64 && t == DType.FLOAT64
        && Arrays.equals(shape(), other.shape()) && grid.known() && other.grid.known()
        && Arrays.equals(grid.chunks(0), other.grid.chunks(0)) && Arrays.equals(grid.chunks(1), other.grid.chunks(1))) {
      // x op y.T: read y's block (j, i) and combine it transposed, in bands of rows: no transposed copy
      DArray r = buildRaw("transpose+" + op.numpy, t, grid, List.of(this, src), TRANSPOSED_PAIR,
          (b, idx) -> BlockOps.binaryTransposed(op, GeneratedBlock.nd(b[0]), b[1]), blockCost());
      r.transposedOperands = new TransposedOperands(op, this, src);
      return r;
    }
    return elementwise(op.numpy, t, List.of(this, other), (b, idx) -> BlockOps.binary(op, b[0], b[1]));
  }

  /**
   * A Java double used with an array is a float64 scalar, except with a float32 array, where it
   * is a float32 (as NumPy casts Python floats).
   */
  private NdArray scalarFor(double v) {
    return dtype == DType.FLOAT32 ? NdArray.of(new float[] {(float) v}) : NdArray.scalar(v);
  }

  private DArray binary(BlockOps.Bin op, double scalar) {
    NdArray s = scalarFor(scalar);
    DType t = BlockOps.resultType(op, dtype, s.dtype());
    return elementwise(op.numpy, t, List.of(this), (b, idx) -> BlockOps.binary(op, b[0], s));
  }

  private DArray binaryReversed(BlockOps.Bin op, double scalar) {
    NdArray s = scalarFor(scalar);
    DType t = BlockOps.resultType(op, s.dtype(), dtype);
    return elementwise(op.numpy, t, List.of(this), (b, idx) -> BlockOps.binary(op, s, b[0]));
  }

  public DArray add(DArray o) {
    return binary(BlockOps.Bin.ADD, o);
  }

  public DArray add(double v) {
    return binary(BlockOps.Bin.ADD, v);
  }

  public DArray sub(DArray o) {
    return binary(BlockOps.Bin.SUB, o);
  }

  public DArray sub(double v) {
    return binary(BlockOps.Bin.SUB, v);
  }

  /** {@code v - this}. */
  public DArray rsub(double v) {
    return binaryReversed(BlockOps.Bin.SUB, v);
  }

  public DArray mul(DArray o) {
    return binary(BlockOps.Bin.MUL, o);
  }

  public DArray mul(double v) {
    return binary(BlockOps.Bin.MUL, v);
  }

  public DArray div(DArray o) {
    return binary(BlockOps.Bin.DIV, o);
  }

  public DArray div(double v) {
    return binary(BlockOps.Bin.DIV, v);
  }

  /** {@code v / this}. */
  public DArray rdiv(double v) {
    return binaryReversed(BlockOps.Bin.DIV, v);
  }

  public DArray pow(DArray o) {
    return binary(BlockOps.Bin.POW, o);
  }

  public DArray pow(double v) {
    return binary(BlockOps.Bin.POW, v);
  }

  public DArray minimum(DArray o) {
    return binary(BlockOps.Bin.MIN, o);
  }

  public DArray maximum(DArray o) {
    return binary(BlockOps.Bin.MAX, o);
  }

  public DArray eq(DArray o) {
    return binary(BlockOps.Bin.EQ, o);
  }

  public DArray eq(double v) {
    return binary(BlockOps.Bin.EQ, v);
  }

  public DArray ne(double v) {
    return binary(BlockOps.Bin.NE, v);
  }

  public DArray lt(DArray o) {
    return binary(BlockOps.Bin.LT, o);
  }

  public DArray lt(double v) {
    return binary(BlockOps.Bin.LT, v);
  }

  public DArray le(double v) {
    return binary(BlockOps.Bin.LE, v);
  }

  public DArray gt(DArray o) {
    return binary(BlockOps.Bin.GT, o);
  }

  public DArray gt(double v) {
    return binary(BlockOps.Bin.GT, v);
  }

  public DArray ge(double v) {
    return binary(BlockOps.Bin.GE, v);
  }

  public DArray and(DArray o) {
    return binary(BlockOps.Bin.AND, o);
  }

  public DArray or(DArray o) {
    return binary(BlockOps.Bin.OR, o);
  }

  public DArray neg() {
    return elementwise("negative", dtype, List.of(this), (b, idx) -> BlockOps.negate(b[0]));
  }

  /**
   * An elementwise function, named for pictures: {@code x.map("sqrt", Math::sqrt)}. Computed in
   * double precision; the result is float32 for a float32 array (rounded), float64 otherwise.
   */
  public DArray map(String label, DoubleUnaryOperator f) {
    DType t = dtype.floatResult();
    return elementwise(label, t, List.of(this), (b, idx) -> BlockOps.unary(b[0], f, t));
  }

  public DArray astype(DType t) {
    return t == dtype ? this : elementwise("astype", t, List.of(this), (b, idx) -> b[0].astype(t));
  }

  /**
   * A user kernel on every block (same block shapes out as in): Dask's map_blocks. The kernel
   * must return an array of the block's shape and of {@code outType}.
   */
  public DArray mapBlocks(String label, DType outType, UnaryOperator<NdArray> kernel) {
    return elementwise(label, outType, List.of(this), (b, idx) -> {
      NdArray r = kernel.apply(b[0]);
      if (!Arrays.equals(r.shapeRef(), b[0].shapeRef()) || r.dtype() != outType) {
        throw new ArrayException("mapBlocks '" + label + "': block " + Arrays.toString(idx) + " returned shape "
            + Arrays.toString(r.shapeRef()) + " " + r.dtype().numpyName() + ", expected "
            + Arrays.toString(b[0].shapeRef()) + " " + outType.numpyName());
      }
      return r;
    });
  }

  /**
   * A kernel on each block of rows, for row-wise models (Dask's map_blocks with drop_axis or
   * new_axis): this array must be 1-d, or 2-d with one block along axis 1. The kernel gets a block
   * of rows and returns one value per row ({@code outCols == 0}: shape (rows)) or a row of
   * {@code outCols} values per row (shape (rows, outCols)), of {@code outType}.
   */
  public DArray mapRows(String label, DType outType, int outCols, UnaryOperator<NdArray> kernel) {
    grid.requireKnown(label);
    if (ndim() < 1 || ndim() > 2) {
      throw new ArrayException(label + ": needs a 1-d or 2-d array (rows x columns), got shape "
          + Arrays.toString(shape()));
    }
    if (ndim() == 2 && grid.numBlocks()[1] != 1) {
      throw new ArrayException(label + ": the " + shape()[1] + " columns are in " + grid.numBlocks()[1] + " blocks; "
          + "rechunk to one block along axis 1, e.g. rechunk(Chunks.of(rows, -1))");
    }
    if (outCols < 0) {
      throw new ArrayException(label + ": outCols must be >= 0, got " + outCols);
    }
    ChunkGrid out = outCols == 0 ? new ChunkGrid(new long[] {shape()[0]}, new int[][] {grid.chunks(0)})
        : new ChunkGrid(new long[] {shape()[0], outCols}, new int[][] {grid.chunks(0), {outCols}});
    return build(label, outType, out, List.of(this), (k, idx) -> ndim() == 2 ? new int[] {idx[0], 0}
        : new int[] {idx[0]}, (b, idx) -> {
          NdArray r = kernel.apply(b[0]);
          int rows = b[0].shapeRef()[0];
          int[] want = outCols == 0 ? new int[] {rows} : new int[] {rows, outCols};
          if (!Arrays.equals(r.shapeRef(), want) || r.dtype() != outType) {
            throw new ArrayException(label + ": block " + Arrays.toString(idx) + " returned shape "
                + Arrays.toString(r.shapeRef()) + " " + r.dtype().numpyName() + ", expected " + Arrays.toString(want)
                + " " + outType.numpyName());
          }
          return r;
        }, blockCost());
  }

  /**
   * [this | column] as float64: a 2-d array (one block along axis 1) with a 1-d column appended,
   * block by block (row chunks must match). One copy per block, no exchange: the training-data
   * layout of io.rankwise.ml.
   */
  public DArray appendColumn(DArray column) {
    grid.requireKnown("appendColumn");
    if (ndim() != 2 || grid.numBlocks()[1] != 1) {
      throw new ArrayException("appendColumn: needs a 2-d array with one block along axis 1, got shape "
          + Arrays.toString(shape()) + (ndim() == 2 ? " in " + grid.numBlocks()[1] + " column blocks" : ""));
    }
    if (column.ndim() != 1 || !Arrays.equals(column.grid.chunks(0), grid.chunks(0))) {
      throw new ArrayException("appendColumn: the column must be 1-d with the rows' chunks " + Arrays.toString(
          grid.chunks(0)) + ", got shape " + Arrays.toString(column.shape()) + " chunks " + (column.ndim() == 1
          ? Arrays.toString(column.grid.chunks(0)) : "-"));
    }
    int cols = (int) shape()[1];
    ChunkGrid out = new ChunkGrid(new long[] {shape()[0], cols + 1}, new int[][] {grid.chunks(0), {cols + 1}});
    return build("append-column", DType.FLOAT64, out, List.of(this, column), (k, idx) -> k == 0 ? new int[] {idx[0], 0}
        : new int[] {idx[0]}, (b, idx) -> {
          int rows = b[0].shapeRef()[0];
          double[] x = b[0].toDoubles();
          double[] o = new double[rows * (cols + 1)];
          for (int i = 0; i < rows; i++) {
            System.arraycopy(x, i * cols, o, i * (cols + 1), cols);
            o[i * (cols + 1) + cols] = b[1].getDouble(i);
          }
          return NdArray.of(o, rows, cols + 1);
        }, blockCost());
  }

  /**
   * One small result per row block from the matching row blocks of this array and {@code other}
   * (same row chunks): {@code kernel} returns {@code outCols} values, and the result is an
   * (row blocks x outCols) array, one row per block, in block order. For per-block statistics
   * (scores, counts) that must not move the data: each block is read where it is.
   */
  public DArray perRowBlock(DArray other, String label, int outCols, java.util.function.BinaryOperator<NdArray> kernel) {
    grid.requireKnown(label);
    other.grid.requireKnown(label);
    for (DArray a : List.of(this, other)) {
      if (a.ndim() < 1 || a.ndim() > 2 || a.ndim() == 2 && a.grid.numBlocks()[1] != 1) {
        throw new ArrayException(label + ": needs 1-d arrays or 2-d arrays with one column block, got shape "
            + Arrays.toString(a.shape()) + (a.ndim() == 2 ? " in " + a.grid.numBlocks()[1] + " column blocks" : ""));
      }
    }
    if (!Arrays.equals(grid.chunks(0), other.grid.chunks(0))) {
      throw new ArrayException(label + ": the row chunks differ: " + Arrays.toString(grid.chunks(0)) + " vs "
          + Arrays.toString(other.grid.chunks(0)) + "; rechunk one side");
    }
    int nb = grid.numBlocks()[0];
    int[] ones = new int[nb];
    Arrays.fill(ones, 1);
    ChunkGrid out = new ChunkGrid(new long[] {nb, outCols}, new int[][] {ones, {outCols}});
    return build(label, DType.FLOAT64, out, List.of(this, other), (k, idx) -> {
      DArray a = k == 0 ? this : other;
      return a.ndim() == 2 ? new int[] {idx[0], 0} : new int[] {idx[0]};
    }, (b, idx) -> {
      NdArray r = kernel.apply(b[0], b[1]);
      if (r.size() != outCols) {
        throw new ArrayException(label + ": block " + idx[0] + " returned " + r.size() + " values, expected " + outCols);
      }
      return NdArray.of(r.toDoubles().clone(), 1, outCols);
    }, blockCost());
  }

  /**
   * Computes the blocks and leaves each on the rank that owns it (collective): entry b is block b
   * (in C order of the grid) on its owner, null elsewhere. For writers and trainers that use the
   * blocks where they are; generated blocks may come back as recipes ({@link Da#materialize}).
   */
  public Object[] ownedBlocks() {
    return new io.rankwise.graph.Outputs(layer, outputKeys())
        .compute(ComputeOptions.DEFAULT.withDelivery(io.rankwise.graph.Plan.Delivery.OWNER_ONLY));
  }

  /**
   * Computes this array and keeps every block in memory on the rank that computed it (Dask's
   * {@code persist}): the returned array's tasks hand out those blocks, pinned to their ranks, so
   * later computations start from them instead of recomputing (generated blocks are materialized).
   * Collective. The blocks live as long as the returned array is reachable.
   */
  public DArray persist() {
    grid.requireKnown("persist");
    Object[] blocks = ownedBlocks();
    for (int b = 0; b < blocks.length; b++) {
      if (blocks[b] != null) {
        blocks[b] = GeneratedBlock.nd(blocks[b]);
      }
    }
    String pname = Session.current().nextName("persist");
    List<Task> tasks = io.rankwise.graph.Persisted.pin(blocks, b -> new TaskKey(pname, grid.unravel(b)));
    return new DArray(pname, dtype, grid, new Layer(pname, tasks, List.of()));
  }

  // ---- boolean masks -------------------------------------------------------------------------

  /**
   * The elements where {@code cond} is true, as a 1-d array ({@code x[cond]}), in NumPy's order.
   * Block sizes are unknown until computed (as in Dask): reductions, elementwise functions and
   * {@code compute()} work directly; other operations ask for {@link #computeChunkSizes()}.
   * Arrays must be chunked along the first axis only, so that block order is NumPy's order.
   */
  public DArray mask(DArray cond) {
    grid.requireKnown("mask");
    if (cond.dtype != DType.BOOL) {
      throw new ArrayException("mask: the condition must be a bool array, got " + cond.dtype.numpyName()
          + " (compare first, e.g. x.gt(0))");
    }
    if (!Arrays.equals(shape(), cond.shape()) || !Arrays.deepEquals(grid.chunks(), cond.grid.chunks())) {
      throw new ArrayException("mask: the condition has shape " + Arrays.toString(cond.shape()) + " and chunks "
          + cond.grid + "; it must match the array's " + Arrays.toString(shape()) + " and " + grid);
    }
    for (int a = 1; a < ndim(); a++) {
      if (grid.numBlocks()[a] != 1) {
        throw new ArrayException("mask: the array is chunked along axis " + a + " (" + grid + "); results would not "
            + "come in NumPy's order. Rechunk so that only axis 0 is cut, e.g. rechunk(Chunks.of(c, -1))");
      }
    }
    int n = grid.blockCount();
    int[] unknown = new int[n];
    Arrays.fill(unknown, ChunkGrid.UNKNOWN);
    ChunkGrid out = new ChunkGrid(new long[] {ChunkGrid.UNKNOWN}, new int[][] {unknown});
    String name = Session.current().nextName("getitem-mask");
    List<Task> tasks = new ArrayList<>(n);
    for (int b = 0; b < n; b++) {
      int[] idx = grid.unravel(b);
      tasks.add(new Task(new TaskKey(name, b), List.of(key(idx), cond.key(idx)),
          in -> BlockOps.select(GeneratedBlock.nd(in[0]), GeneratedBlock.nd(in[1])), "mask", blockCost(), -1));
    }
    return new DArray(name, dtype, out, new Layer(name, tasks, layers(List.of(this, cond))));
  }

  /**
   * The same array with its block sizes known: computes the sizes now (the values are computed
   * again when needed, as Dask's compute_chunk_sizes does).
   */
  public DArray computeChunkSizes() {
    if (grid.known()) {
      return this;
    }
    String name = Session.current().nextName("chunk-sizes");
    List<Task> tasks = new ArrayList<>();
    List<TaskKey> keys = new ArrayList<>();
    for (int b = 0; b < grid.blockCount(); b++) {
      TaskKey k = new TaskKey(name, b);
      keys.add(k);
      tasks.add(new Task(k, List.of(key(grid.unravel(b))), in -> (long) GeneratedBlock.nd(in[0]).size(),
          "len", 1e-3, -1));
    }
    Layer sizes = new Layer(name, tasks, List.of(layer));
    Object[] lengths = new io.rankwise.graph.Outputs(sizes, keys).compute(ComputeOptions.DEFAULT);
    int[] chunks = new int[lengths.length];
    long total = 0;
    for (int b = 0; b < chunks.length; b++) {
      chunks[b] = (int) (long) (Long) lengths[b];
      total += chunks[b];
    }
    return new DArray(this.name, dtype, new ChunkGrid(new long[] {total}, new int[][] {chunks}), layer);
  }

  // ---- transpose ---------------------------------------------------------------------------

  /** Reverses the axes. */
  public DArray T() {
    int[] axes = new int[ndim()];
    for (int a = 0; a < axes.length; a++) {
      axes[a] = axes.length - 1 - a;
    }
    return transpose(axes);
  }

  public DArray transpose(int... axes) {
    int nd = ndim();
    if (axes.length != nd) {
      throw new ArrayException("transpose: axes " + Arrays.toString(axes) + " don't match array of " + nd + " dims");
    }
    boolean[] seen = new boolean[nd];
    for (int a : axes) {
      if (a < 0 || a >= nd || seen[a]) {
        throw new ArrayException("transpose: axes " + Arrays.toString(axes) + " are not a permutation of 0.." + (nd - 1));
      }
      seen[a] = true;
    }
    long[] shape = new long[nd];
    int[][] chunks = new int[nd][];
    for (int i = 0; i < nd; i++) {
      shape[i] = grid.shape()[axes[i]];
      chunks[i] = grid.chunks(axes[i]);
    }
    int[] perm = axes.clone();
    DArray t = build("transpose", dtype, new ChunkGrid(shape, chunks), List.of(this), (k, idx) -> {
      int[] in = new int[nd];
      for (int i = 0; i < nd; i++) {
        in[perm[i]] = idx[i];
      }
      return in;
    }, (b, idx) -> BlockOps.transpose(b[0], perm), blockCost());
    if (nd == 2 && perm[0] == 1) {
      t.transposeOf = this;
    }
    return t;
  }

  // ---- slicing, rechunking, products ------------------------------------------------------

  /**
   * Basic slicing, one {@link Slice} per leading axis (missing trailing axes are taken whole):
   * {@code x.slice(Slice.of(0, 10), Slice.index(3))} is NumPy's {@code x[0:10, 3]}. Output blocks
   * are the parts of the input blocks that fall in the slice, so no block crosses ranks.
   */
  public DArray slice(Slice... slices) {
    grid.requireKnown("slicing");
    int nd = ndim();
    if (slices.length > nd) {
      throw new ArrayException("too many indices: " + slices.length + " slices for a " + nd + "-d array");
    }
    long[] shape = grid.shape();
    // per axis: the output chunks, and for each output chunk (input block, first local index, step)
    List<int[]> outChunks = new ArrayList<>();
    List<long[][]> segments = new ArrayList<>(); // per axis: rows of {inBlock, localStart}
    long[] steps = new long[nd];
    boolean[] dropped = new boolean[nd];
    for (int a = 0; a < nd; a++) {
      Slice sl = a < slices.length ? slices[a] : Slice.all();
      long[] r = sl.resolve(shape[a], a);
      dropped[a] = sl.index;
      steps[a] = r[2];
      List<Integer> chunksA = new ArrayList<>();
      List<long[]> segA = new ArrayList<>();
      int[] c = grid.chunks(a);
      long blockStart = 0;
      for (int b = 0; b < c.length; b++) {
        long blockEnd = blockStart + c[b];
        // first selected position >= blockStart
        long first = r[0] >= blockStart ? r[0] : r[0] + ((blockStart - r[0] + r[2] - 1) / r[2]) * r[2];
        long last = Math.min(blockEnd, r[1]);
        if (first < last && r[3] > 0) {
          long n = (last - first + r[2] - 1) / r[2];
          chunksA.add((int) n);
          segA.add(new long[] {b, first - blockStart});
        }
        blockStart = blockEnd;
      }
      if (chunksA.isEmpty()) {
        chunksA.add(0);
        segA.add(new long[] {0, 0});
      }
      outChunks.add(chunksA.stream().mapToInt(Integer::intValue).toArray());
      segments.add(segA.toArray(long[][]::new));
    }
    long[] fullShape = new long[nd];
    int[][] fullChunks = new int[nd][];
    for (int a = 0; a < nd; a++) {
      fullChunks[a] = outChunks.get(a);
      fullShape[a] = Arrays.stream(fullChunks[a]).asLongStream().sum();
    }
    ChunkGrid full = new ChunkGrid(fullShape, fullChunks);
    boolean anyDropped = false;
    for (boolean d : dropped) {
      anyDropped |= d;
    }
    boolean drops = anyDropped;
    ChunkGrid out = drops ? dropGrid(full, dropped) : full;
    return build("getitem", dtype, out, List.of(this), (k, oidx) -> {
      int[] fidx = expand(oidx, dropped);
      int[] in = new int[nd];
      for (int a = 0; a < nd; a++) {
        in[a] = (int) segments.get(a)[fidx[a]][0];
      }
      return in;
    }, (b, oidx) -> {
      int[] fidx = expand(oidx, dropped);
      int[] bs = full.blockShape(fidx);
      int[] off = new int[nd];
      for (int a = 0; a < nd; a++) {
        off[a] = (int) segments.get(a)[fidx[a]][1];
      }
      NdArray r = BlockOps.gather(b[0], off, steps, bs);
      return drops ? r.reshape(out.blockShape(oidx)) : r;
    }, blockCost());
  }

  /** Re-inserts 0 block indices for dropped axes. */
  private static int[] expand(int[] idx, boolean[] dropped) {
    int[] out = new int[dropped.length];
    for (int a = 0, k = 0; a < dropped.length; a++) {
      out[a] = dropped[a] ? 0 : idx[k++];
    }
    return out;
  }

  /**
   * The same array in other blocks. Each new block is assembled from the old blocks it overlaps
   * (those move between ranks as needed).
   */
  public DArray rechunk(Chunks chunks) {
    grid.requireKnown("rechunk");
    ChunkGrid ng = ChunkGrid.of(grid.shape(), chunks, dtype);
    if (ng.sameChunks(grid)) {
      return this;
    }
    int nd = ndim();
    Session s = Session.current();
    String name = s.nextName("rechunk");
    List<Task> tasks = new ArrayList<>(ng.blockCount());
    for (int b = 0; b < ng.blockCount(); b++) {
      int[] idx = ng.unravel(b);
      long[] off = ng.blockOffset(idx);
      int[] bs = ng.blockShape(idx);
      // overlapping old blocks along each axis
      int[][] ranges = new int[nd][];
      for (int a = 0; a < nd; a++) {
        ranges[a] = overlapping(grid, a, off[a], off[a] + bs[a]);
      }
      List<int[]> inputs = new ArrayList<>();
      cartesian(ranges, 0, new int[nd], inputs);
      List<TaskKey> deps = new ArrayList<>();
      for (int[] in : inputs) {
        deps.add(key(in));
      }
      tasks.add(new Task(new TaskKey(name, idx), deps, parts -> {
        NdArray outBlock = NdArray.zeros(dtype, bs);
        for (int k = 0; k < parts.length; k++) {
          int[] in = inputs.get(k);
          long[] ioff = grid.blockOffset(in);
          int[] ibs = grid.blockShape(in);
          int[] srcOff = new int[nd];
          int[] dstOff = new int[nd];
          int[] box = new int[nd];
          for (int a = 0; a < nd; a++) {
            long lo = Math.max(ioff[a], off[a]);
            long hi = Math.min(ioff[a] + ibs[a], off[a] + bs[a]);
            srcOff[a] = (int) (lo - ioff[a]);
            dstOff[a] = (int) (lo - off[a]);
            box[a] = (int) (hi - lo);
          }
          BlockOps.copyRegion(GeneratedBlock.nd(parts[k]), srcOff, outBlock, dstOff, box);
        }
        return outBlock;
      }, "rechunk-merge", blockCost(), -1));
    }
    return new DArray(name, dtype, ng, new Layer(name, tasks, List.of(layer)));
  }

  /** Old blocks of {@code g} along {@code axis} that overlap [lo, hi). */
  private static int[] overlapping(ChunkGrid g, int axis, long lo, long hi) {
    int[] c = g.chunks(axis);
    List<Integer> out = new ArrayList<>();
    long start = 0;
    for (int b = 0; b < c.length; b++) {
      long end = start + c[b];
      if (end > lo && start < hi || c[b] == 0 && lo == hi && start == lo) {
        out.add(b);
      }
      start = end;
    }
    if (out.isEmpty()) {
      out.add(0);
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static void cartesian(int[][] ranges, int axis, int[] cur, List<int[]> out) {
    if (axis == ranges.length) {
      out.add(cur.clone());
      return;
    }
    for (int v : ranges[axis]) {
      cur[axis] = v;
      cartesian(ranges, axis + 1, cur, out);
    }
  }

  /**
   * Matrix product of 2-d arrays ({@code x @ y}). The inner axis must have the same chunks on both
   * sides. Block (i, j) sums the block products over k in a fixed order (deterministic), through
   * BLAS dgemm (native OpenBLAS when installed, pure Java otherwise).
   */
  public DArray matmul(DArray other) {
    grid.requireKnown("matmul");
    other.grid.requireKnown("matmul");
    if (ndim() != 2 || other.ndim() != 2) {
      throw new ArrayException("matmul: both operands must be 2-d, got shapes " + Arrays.toString(shape()) + " and "
          + Arrays.toString(other.shape()));
    }
    if (shape()[1] != other.shape()[0]) {
      throw new ArrayException("matmul: shapes " + Arrays.toString(shape()) + " and " + Arrays.toString(other.shape())
          + " are not aligned (" + shape()[1] + " != " + other.shape()[0] + ")");
    }
    if (!Arrays.equals(grid.chunks(1), other.grid.chunks(0))) {
      throw new ArrayException("matmul: the inner axis has chunks " + Arrays.toString(grid.chunks(1)) + " on the left "
          + "and " + Arrays.toString(other.grid.chunks(0)) + " on the right; rechunk one side to match");
    }
    return contract("matmul", other, new int[] {1}, new int[] {0});
  }

  /** {@code tensordot(other, n)}: the last {@code n} axes of this with the first {@code n} of other. */
  public DArray tensordot(DArray other, int n) {
    if (n < 0 || n > ndim() || n > other.ndim()) {
      throw new ArrayException("tensordot: cannot contract " + n + " axes of arrays of dimensions " + ndim() + " and "
          + other.ndim());
    }
    int[] a = new int[n];
    int[] b = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = ndim() - n + i;
      b[i] = i;
    }
    return tensordot(other, a, b);
  }

  /**
   * NumPy's {@code tensordot(a, b, axes=(axesA, axesB))}: sums products over the paired axes. The
   * result's axes are this array's free axes then other's, in order. Paired axes must have equal
   * lengths and equal chunks. Each output block sums, over the contracted block indices in C
   * order, one BLAS product of the two blocks laid out as matrices (deterministic).
   */
  public DArray tensordot(DArray other, int[] axesA, int[] axesB) {
    grid.requireKnown("tensordot");
    other.grid.requireKnown("tensordot");
    if (axesA.length != axesB.length) {
      throw new ArrayException("tensordot: " + axesA.length + " axes of the first array paired with " + axesB.length
          + " of the second; give the same number on both sides");
    }
    int[] ca = normalizeAxes("tensordot", axesA, ndim());
    int[] cb = normalizeAxes("tensordot", axesB, other.ndim());
    for (int i = 0; i < ca.length; i++) {
      if (shape()[ca[i]] != other.shape()[cb[i]]) {
        throw new ArrayException("tensordot: shape mismatch for sum: axis " + axesA[i] + " of " + Arrays.toString(shape())
            + " has length " + shape()[ca[i]] + ", axis " + axesB[i] + " of " + Arrays.toString(other.shape())
            + " has length " + other.shape()[cb[i]]);
      }
      if (!Arrays.equals(grid.chunks(ca[i]), other.grid.chunks(cb[i]))) {
        throw new ArrayException("tensordot: axis " + axesA[i] + " has chunks " + Arrays.toString(grid.chunks(ca[i]))
            + " on the left and " + Arrays.toString(other.grid.chunks(cb[i])) + " on the right; rechunk one side to "
            + "match");
      }
    }
    return contract("tensordot", other, ca, cb);
  }

  private static int[] normalizeAxes(String op, int[] axes, int nd) {
    int[] out = new int[axes.length];
    boolean[] seen = new boolean[nd];
    for (int i = 0; i < axes.length; i++) {
      int ax = axes[i] < 0 ? axes[i] + nd : axes[i];
      if (ax < 0 || ax >= nd) {
        throw new ArrayException(op + ": axis " + axes[i] + " is out of bounds for array of dimension " + nd);
      }
      if (seen[ax]) {
        throw new ArrayException(op + ": axis " + axes[i] + " is repeated in " + Arrays.toString(axes));
      }
      seen[ax] = true;
      out[i] = ax;
    }
    return out;
  }

  private static int[] freeAxes(int nd, int[] contracted) {
    int[] free = new int[nd - contracted.length];
    for (int a = 0, k = 0; a < nd; a++) {
      final int ax = a;
      if (Arrays.stream(contracted).noneMatch(c -> c == ax)) {
        free[k++] = a;
      }
    }
    return free;
  }

  /** The checked contraction behind matmul and tensordot. Float32 with float32 gives float32. */
  private DArray contract(String op, DArray other, int[] ca, int[] cb) {
    int[] fa = freeAxes(ndim(), ca);
    int[] fb = freeAxes(other.ndim(), cb);
    int nout = fa.length + fb.length;
    long[] oshape = new long[nout];
    int[][] ochunks = new int[nout][];
    for (int i = 0; i < fa.length; i++) {
      oshape[i] = shape()[fa[i]];
      ochunks[i] = grid.chunks(fa[i]);
    }
    for (int i = 0; i < fb.length; i++) {
      oshape[fa.length + i] = other.shape()[fb[i]];
      ochunks[fa.length + i] = other.grid.chunks(fb[i]);
    }
    DType t = DType.promote(dtype, other.dtype) == DType.FLOAT32 ? DType.FLOAT32 : DType.FLOAT64;
    DArray a = this.astype(t);
    DArray b = other.astype(t);
    ChunkGrid out = new ChunkGrid(oshape, ochunks);
    // the contracted block indices, in C order
    int[] kblocks = new int[ca.length];
    for (int i = 0; i < ca.length; i++) {
      kblocks[i] = grid.numBlocks()[ca[i]];
    }
    int kcount = 1;
    for (int nb : kblocks) {
      kcount *= nb;
    }
    // a's block laid out as (free..., contracted...), b's as (contracted..., free...)
    int[] permA = concat(fa, ca);
    int[] permB = concat(cb, fb);
    boolean identityA = isIdentity(permA);
    boolean identityB = isIdentity(permB);
    long contracted = 1;
    for (int c : ca) {
      contracted *= shape()[c];
    }
    Session s = Session.current();
    String name = s.nextName(op);
    List<Task> tasks = new ArrayList<>(out.blockCount());
    for (int ob = 0; ob < out.blockCount(); ob++) {
      int[] idx = out.unravel(ob);
      List<TaskKey> deps = new ArrayList<>(2 * kcount);
      int[] kidx = new int[ca.length];
      for (int k = 0; k < kcount; k++) {
        int rem = k;
        for (int i = ca.length - 1; i >= 0; i--) {
          kidx[i] = rem % kblocks[i];
          rem /= kblocks[i];
        }
        int[] ia = new int[ndim()];
        int[] ib = new int[other.ndim()];
        for (int i = 0; i < fa.length; i++) {
          ia[fa[i]] = idx[i];
        }
        for (int i = 0; i < fb.length; i++) {
          ib[fb[i]] = idx[fa.length + i];
        }
        for (int i = 0; i < ca.length; i++) {
          ia[ca[i]] = kidx[i];
          ib[cb[i]] = kidx[i];
        }
        deps.add(a.key(ia));
        deps.add(b.key(ib));
      }
      int[] bs = out.blockShape(idx);
      int m = 1;
      for (int i = 0; i < fa.length; i++) {
        m *= bs[i];
      }
      int n = 1;
      for (int i = fa.length; i < nout; i++) {
        n *= bs[i];
      }
      final int rows = m;
      final int cols = n;
      double cost = Math.max(1e-3, (double) rows * cols * contracted / 1e9);
      tasks.add(new Task(new TaskKey(name, idx), deps, parts -> {
        double[] c = new double[rows * cols];
        for (int k = 0; k < parts.length / 2; k++) {
          NdArray ab = GeneratedBlock.nd(parts[2 * k]);
          NdArray bb = GeneratedBlock.nd(parts[2 * k + 1]);
          NdArray am = identityA ? ab : BlockOps.transpose(ab, permA);
          NdArray bm = identityB ? bb : BlockOps.transpose(bb, permB);
          int inner = 1;
          for (int axis : ca) {
            inner *= ab.shapeRef()[axis];
          }
          Blas.gemmAccumulate((double[]) am.data(), (double[]) bm.data(), c, rows, inner, cols);
        }
        return NdArray.narrowed(t, c, bs);
      }, op, cost, -1));
    }
    return new DArray(name, t, out, new Layer(name, tasks, layers(List.of(a, b))));
  }

  private static int[] concat(int[] x, int[] y) {
    int[] r = Arrays.copyOf(x, x.length + y.length);
    System.arraycopy(y, 0, r, x.length, y.length);
    return r;
  }

  private static boolean isIdentity(int[] perm) {
    for (int i = 0; i < perm.length; i++) {
      if (perm[i] != i) {
        return false;
      }
    }
    return true;
  }

  /** Same as {@link #matmul}. */
  public DArray dot(DArray other) {
    return matmul(other);
  }

  // ---- reductions --------------------------------------------------------------------------

  public DArray sum(int... axis) {
    return reduce(Reduction.SUM, axis, false, 0);
  }

  public DArray prod(int... axis) {
    return reduce(Reduction.PROD, axis, false, 0);
  }

  public DArray min(int... axis) {
    return reduce(Reduction.MIN, axis, false, 0);
  }

  public DArray max(int... axis) {
    return reduce(Reduction.MAX, axis, false, 0);
  }

  public DArray any(int... axis) {
    return reduce(Reduction.ANY, axis, false, 0);
  }

  public DArray all(int... axis) {
    return reduce(Reduction.ALL, axis, false, 0);
  }

  public DArray mean(int... axis) {
    return reduce(Reduction.MEAN, axis, false, 0);
  }

  /** Population variance (ddof 0), as NumPy's default. */
  public DArray var(int... axis) {
    return reduce(Reduction.VAR, axis, false, 0);
  }

  public DArray std(int... axis) {
    return reduce(Reduction.STD, axis, false, 0);
  }

  /**
   * The general form: {@code op} in sum, prod, min, max, any, all, mean, var, std; {@code axes}
   * empty = all axes; {@code keepdims} keeps reduced axes with length 1; {@code ddof} for var/std.
   */
  public DArray reduce(String op, int[] axes, boolean keepdims, int ddof) {
    Reduction r;
    try {
      r = Reduction.valueOf(op.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ArrayException("unknown reduction '" + op + "'; use sum, prod, min, max, any, all, mean, var or std");
    }
    return reduce(r, axes, keepdims, ddof);
  }

  DArray reduce(Reduction op, int[] axisArg, boolean keepdims, int ddof) {
    boolean[] reduced = reducedAxes(op.numpyName(), axisArg);
    TransposedOperands t = transposedOperands;
    if (t != null && op.moments()) {
      // mean/var/std of a op b.T: the partials make a op b.T a band of rows at a time from the
      // operands' blocks (random ones generated in place), never the whole block; same bits
      PartialSource src = new PartialSource(List.of(t.a(), t.bt()), TRANSPOSED_PAIR,
          (in, idx) -> op.partialTransposed(t.op(), in[0], in[1], reduced));
      return treeReduction(op.numpyName(), reduced, keepGrid(reduced), keepdims ? new boolean[ndim()] : reduced,
          op.resultType(dtype), src, op::combine, part -> op.finish(part, ddof, dtype));
    }
    return treeReduction(op.numpyName(), reduced, keepdims, op.resultType(dtype),
        (block, idx) -> op.partial(block, reduced), op::combine, part -> op.finish(part, ddof, dtype));
  }

  /** Marks the axes a reduction runs over (all when none are given), checking them. */
  private boolean[] reducedAxes(String op, int[] axisArg) {
    int nd = ndim();
    boolean[] reduced = new boolean[nd];
    if (axisArg.length == 0) {
      Arrays.fill(reduced, true);
    }
    for (int a : axisArg) {
      int ax = a < 0 ? a + nd : a;
      if (ax < 0 || ax >= nd) {
        throw new ArrayException(op + ": axis " + a + " is out of bounds for array of dimension " + nd);
      }
      if (reduced[ax] && axisArg.length > 0) {
        throw new ArrayException(op + ": duplicate axis " + a + " in " + Arrays.toString(axisArg));
      }
      reduced[ax] = true;
    }
    return reduced;
  }

  /**
   * A reduction that skips NaN (xarray's default, {@code skipna=True}): {@code op} is sum, mean,
   * std, var, min, max or count, over the axes marked in {@code reduced}, which are dropped from
   * the result. With {@code groupOf} (one group number in [0, groups) per position along
   * {@code groupAxis}, a reduced axis), values go to their group instead, and that axis stays, of
   * length {@code groups}: a groupby reduction in one pass over every block, whatever the number
   * of groups. The result is float64 (count: int64); an output with no values is NaN (sum: 0).
   */
  public DArray nanReduce(String op, boolean[] reduced, int groupAxis, int[] groupOf, int groups, int ddof) {
    GroupReduction.Op o = GroupReduction.Op.parse(op);
    int nd = ndim();
    if (reduced.length != nd) {
      throw new ArrayException(op + ": " + reduced.length + " axis flags for a " + nd + "-d array");
    }
    if (groupOf != null) {
      if (groupAxis < 0 || groupAxis >= nd || !reduced[groupAxis]) {
        throw new ArrayException(op + ": the group axis " + groupAxis + " must be one of the reduced axes");
      }
      if (groupOf.length != shape()[groupAxis]) {
        throw new ArrayException(op + ": " + groupOf.length + " group numbers for axis " + groupAxis + " of length "
            + shape()[groupAxis]);
      }
      for (int g : groupOf) {
        if (g < 0 || g >= groups) {
          throw new ArrayException(op + ": group number " + g + " is outside [0, " + groups + ")");
        }
      }
    }
    grid.requireKnown(op);
    long[] kshape = grid.shape();
    int[][] kchunks = grid.chunks();
    boolean[] drop = reduced.clone();
    for (int a = 0; a < nd; a++) {
      if (reduced[a]) {
        int len = groupOf != null && a == groupAxis ? groups : 1;
        kshape[a] = len;
        kchunks[a] = new int[] {len};
      }
    }
    if (groupOf != null) {
      drop[groupAxis] = false;
    }
    GroupReduction r = new GroupReduction(o, reduced, groupOf == null ? -1 : groupAxis, groupOf, groups, ddof);
    GroupedOperands g = groupedOperands;
    PartialSource source;
    MeansMatch means = g == null || g.broadcast() || g.axis() != 0 || g.op() != BlockOps.Bin.SUB
        || !r.takesMoments(nd, false) ? null : g.x().groupedMeansFor(g.groupOf(), false);
    MeansMatch finer = g != null || groupOf == null || groupAxis != 0 || o != GroupReduction.Op.MEAN
        || !r.takesMoments(nd, true) ? null : groupedMeansFor(groupOf, true);
    boolean fromData = false;
    if (means != null) {
      // anomalies of a climatology of the same groups (std of data - climatology): the partials
      // come from the climatology's per-block moments and the climatology, so the data is read
      // once for both (the climatology's partials then carry M2 for var and std). The block is
      // still an input, read only where a value or the climatology is infinite; it is therefore
      // held until these partials run, as the streamed anomalies held it (counts of infinities
      // per group in the climatology's partials would let it go earlier).
      if (r.needsM2()) {
        means.means().reduction().wantMoments();
      }
      int[] pRowOf = means.groupMap();
      InputMap map = (k, idx) -> k == 1 ? g.map().blockOf(1, idx) : idx;
      source = new PartialSource(List.of(means.means().partials(), g.perGroup(), g.x()), map, (in, idx) -> {
        GroupReduction.State st = r.partialFromMoments((GroupReduction.State) in[0], GeneratedBlock.nd(in[1]), pRowOf,
            null, grid.blockShape(idx));
        return st != null ? st : r.partialOfGrouped(g.op(), dtype, GeneratedBlock.nd(in[2]), GeneratedBlock.nd(in[1]),
            g.groupOf(), grid.blockOffset(idx));
      });
    } else if (finer != null) {
      // means over groups made of whole groups of an earlier grouped mean of this array (seasons
      // of months): merged from its per-block partials, the block read only where a value is
      // infinite. Not var or std: their M2 per finer group would come from sums of squares,
      // less exact than the second pass over the block they get otherwise.
      int[] outGroupOf = finer.groupMap();
      source = new PartialSource(List.of(finer.means().partials(), this), (k, idx) -> idx, (in, idx) -> {
        GroupReduction.State st = r.partialFromMoments((GroupReduction.State) in[0], null, null, outGroupOf,
            grid.blockShape(idx));
        return st != null ? st : r.partial(GeneratedBlock.nd(in[1]), grid.blockOffset(idx));
      });
    } else if (g != null && !g.broadcast() && g.axis() == 0 && r.streamsRows(nd)) {
      // anomalies reduced (std of data - climatology): the partials remake the anomalies a row at
      // a time from the data and climatology blocks, never the whole anomaly block (same bits)
      source = new PartialSource(List.of(g.x(), g.perGroup()), g.map(), (in, idx) -> r.partialOfGrouped(g.op(),
          dtype, GeneratedBlock.nd(in[0]), GeneratedBlock.nd(in[1]), g.groupOf(), grid.blockOffset(idx)));
    } else {
      source = own((block, idx) -> r.partial(GeneratedBlock.nd(block), grid.blockOffset(idx)));
      fromData = true;
    }
    DArray out = treeReduction(o.label(), reduced, new ChunkGrid(kshape, kchunks), drop, o.resultType(), source,
        r::combine, r::finish);
    if (fromData && o == GroupReduction.Op.MEAN && g == null && groupOf != null && groupAxis == 0 && nd >= 2
        && onlyAxisZero(reduced)) {
      // its per-block partials, keyed as this array's blocks (treeReduction's "-partial" tasks)
      groupedMeans.add(new GroupedMeans(groupOf.clone(), r,
          new DArray(out.name() + "-partial", DType.FLOAT64, grid, out.layer())));
    }
    return out;
  }

  private static boolean onlyAxisZero(boolean[] reduced) {
    for (int a = 0; a < reduced.length; a++) {
      if (reduced[a] != (a == 0)) {
        return false;
      }
    }
    return true;
  }

  /**
   * A grouped mean over axis 0 of this array whose groups split axis 0 as {@code binGroupOf} does
   * or finer (the same positions together, whatever the numbering), with the mapping; or null.
   * The first such mean, or with {@code coarsest} the one of fewest groups.
   */
  private MeansMatch groupedMeansFor(int[] binGroupOf, boolean coarsest) {
    MeansMatch best = null;
    int steps = 0; // the longest block along axis 0 (the last is often shorter)
    for (int c : grid.chunks(0)) {
      steps = Math.max(steps, c);
    }
    for (GroupedMeans m : groupedMeans) {
      int groups = m.reduction().groups();
      // a block's partial holds every group: merging it must cost well under reading the block
      if (m.groupOf().length != binGroupOf.length || groups * 2L > steps
          || best != null && !(coarsest && groups < best.means().reduction().groups())) {
        continue;
      }
      int[] map = pRowOf(m.groupOf(), binGroupOf);
      if (map != null) {
        best = new MeansMatch(m, map);
      }
    }
    return best;
  }

  /**
   * For each group of {@code groupOf}, the group of {@code binGroupOf} its positions have (-1: no
   * position); null when some group's positions have several.
   */
  private static int[] pRowOf(int[] groupOf, int[] binGroupOf) {
    int groups = 0;
    for (int x : groupOf) {
      groups = Math.max(groups, x + 1);
    }
    int[] f = new int[groups];
    Arrays.fill(f, -1);
    for (int i = 0; i < groupOf.length; i++) {
      int gi = groupOf[i];
      if (f[gi] == -1) {
        f[gi] = binGroupOf[i];
      } else if (f[gi] != binGroupOf[i]) {
        return null;
      }
    }
    return f;
  }

  /**
   * {@code this op perGroup[groupOf[i]]} along {@code axis}: group-wise arithmetic such as
   * anomalies (data minus a climatology). {@code perGroup} has this array's axes with
   * {@code axis} of length groups (one block) and the same chunks elsewhere, or length 1 to
   * broadcast. One task per block of this array, reading the matching block of perGroup.
   */
  public DArray groupBinary(String op, DArray perGroup, int axis, int[] groupOf) {
    BlockOps.Bin bin = switch (op) {
      case "add", "+" -> BlockOps.Bin.ADD;
      case "sub", "-" -> BlockOps.Bin.SUB;
      case "mul", "*" -> BlockOps.Bin.MUL;
      case "div", "/" -> BlockOps.Bin.DIV;
      default -> throw new ArrayException("groupBinary: unknown operator '" + op + "'; use add, sub, mul or div");
    };
    int nd = ndim();
    if (perGroup.ndim() != nd) {
      throw new ArrayException("groupBinary: the per-group array has " + perGroup.ndim() + " axes, this one " + nd);
    }
    if (groupOf.length != shape()[axis]) {
      throw new ArrayException("groupBinary: " + groupOf.length + " group numbers for axis " + axis + " of length "
          + shape()[axis]);
    }
    int groups = (int) perGroup.shape()[axis];
    for (int g : groupOf) {
      if (g < 0 || g >= groups) {
        throw new ArrayException("groupBinary: group number " + g + " is outside [0, " + groups + ")");
      }
    }
    boolean[] bcast = new boolean[nd];
    for (int a = 0; a < nd; a++) {
      if (a == axis) {
        continue;
      }
      bcast[a] = perGroup.shape()[a] == 1 && shape()[a] != 1;
      if (!bcast[a] && !Arrays.equals(grid.chunks(a), perGroup.grid.chunks(a))) {
        throw new ArrayException("groupBinary: axis " + a + " has chunks " + Arrays.toString(grid.chunks(a))
            + " here and " + Arrays.toString(perGroup.grid.chunks(a)) + " in the per-group array; rechunk to match");
      }
    }
    if (perGroup.grid.numBlocks()[axis] != 1) {
      throw new ArrayException("groupBinary: the per-group array must have one block along axis " + axis);
    }
    DType rt = BlockOps.resultType(bin, dtype, perGroup.dtype);
    DType t = rt.isFloat() ? rt : DType.FLOAT64;
    InputMap map = (k, idx) -> {
      if (k == 0) {
        return idx;
      }
      int[] j = idx.clone();
      for (int a = 0; a < nd; a++) {
        if (a == axis || bcast[a]) {
          j[a] = 0;
        }
      }
      return j;
    };
    DArray r = build("group-" + bin.numpy, t, grid, List.of(this, perGroup), map,
        (b, idx) -> GroupReduction.applyByGroup(bin, t, b[0], b[1], axis, (int) grid.blockOffset(idx)[axis], groupOf),
        blockCost());
    boolean anyBcast = false;
    for (boolean b : bcast) {
      anyBcast |= b;
    }
    r.groupedOperands = new GroupedOperands(bin, this, perGroup, map, axis, groupOf, anyBcast);
    return r;
  }

  /** A block's partial result, given its block index. */
  @FunctionalInterface
  interface PartialFn {
    Object apply(Object block, int[] blockIndex) throws Exception;
  }

  /** Merges partials, in order. */
  @FunctionalInterface
  interface CombineFn {
    Object apply(Object[] parts) throws Exception;
  }

  /** Final values from the merged partial, with the reduced axes of length 1. */
  @FunctionalInterface
  interface FinishFn {
    NdArray apply(Object part) throws Exception;
  }

  /**
   * The shape of every reduction: a partial per block, then per output block a fixed tree (groups
   * of {@link #SPLIT_EVERY}, in C order of the blocks along the reduced axes), then a finish.
   */
  private DArray treeReduction(String op, boolean[] reduced, boolean keepdims, DType outType, PartialFn partial,
      CombineFn combine, FinishFn finish) {
    return treeReduction(op, reduced, keepGrid(reduced), keepdims ? new boolean[ndim()] : reduced, outType,
        own(partial), combine, finish);
  }

  /** What a reduction's partial for block idx reads ({@code map}) and computes from those blocks. */
  private record PartialSource(List<DArray> arrays, InputMap map, MultiPartialFn fn) {}

  @FunctionalInterface
  interface MultiPartialFn {
    Object apply(Object[] blocks, int[] blockIndex) throws Exception;
  }

  /** The usual source: the partial reads this array's block. */
  private PartialSource own(PartialFn partial) {
    return new PartialSource(List.of(this), (k, idx) -> idx, (in, idx) -> partial.apply(in[0], idx));
  }

  /**
   * The general form: {@code keepGrid} is the grid of the finished blocks before dropping (a
   * reduced axis has one block there, of length 1, or of the number of groups), {@code drop} the
   * axes removed from the result.
   */
  private DArray treeReduction(String op, boolean[] reduced, ChunkGrid keepGrid, boolean[] drop, DType outType,
      PartialSource source, CombineFn combine, FinishFn finish) {
    int nd = ndim();
    String base = Session.current().nextName(op);
    String pname = base + "-partial";
    List<Task> tasks = new ArrayList<>();
    for (int b = 0; b < grid.blockCount(); b++) {
      int[] idx = grid.unravel(b);
      List<TaskKey> deps = new ArrayList<>(source.arrays().size());
      for (int k = 0; k < source.arrays().size(); k++) {
        deps.add(source.arrays().get(k).key(source.map().blockOf(k, idx)));
      }
      tasks.add(new Task(new TaskKey(pname, idx), deps, in -> source.fn().apply(in, idx), op + "-chunk", blockCost(),
          -1));
    }
    String aname = base + "-agg";
    for (int ob = 0; ob < keepGrid.blockCount(); ob++) {
      int[] oidx = keepGrid.unravel(ob);
      List<TaskKey> level = new ArrayList<>();
      for (int b = 0; b < grid.blockCount(); b++) {
        int[] idx = grid.unravel(b);
        boolean match = true;
        for (int a = 0; a < nd && match; a++) {
          match = reduced[a] || idx[a] == oidx[a];
        }
        if (match) {
          level.add(new TaskKey(pname, idx));
        }
      }
      int depth = 0;
      while (level.size() > 1) {
        List<TaskKey> next = new ArrayList<>();
        for (int g = 0; g < level.size(); g += SPLIT_EVERY) {
          List<TaskKey> group = level.subList(g, Math.min(level.size(), g + SPLIT_EVERY));
          int[] kidx = new int[nd + 2];
          kidx[0] = depth;
          kidx[1] = g / SPLIT_EVERY;
          System.arraycopy(oidx, 0, kidx, 2, nd);
          TaskKey k = new TaskKey(aname, kidx);
          tasks.add(new Task(k, group, combine::apply, op + "-agg", 0.01, -1));
          next.add(k);
        }
        level = next;
        depth++;
      }
      int[] fidx = dropReduced(oidx, drop);
      tasks.add(new Task(new TaskKey(base, fidx), List.of(level.get(0)), in -> {
        NdArray r = finish.apply(in[0]);
        return r.reshape(dropReduced(r.shapeRef(), drop));
      }, op, 0.01, -1));
    }
    ChunkGrid outGrid = dropGrid(keepGrid, drop);
    return new DArray(base, outType, outGrid, new Layer(base, tasks, layers(source.arrays())));
  }

  /** Index of the smallest element (over all axes: flat C-order index; or along one axis). */
  public DArray argmin(int... axis) {
    return argExtreme(true, axis, false);
  }

  /** Index of the largest element, as {@link #argmin}. */
  public DArray argmax(int... axis) {
    return argExtreme(false, axis, false);
  }

  /** argmin/argmax with keepdims; NumPy's rules: the first occurrence wins, NaN counts as extreme. */
  public DArray argExtreme(boolean min, int[] axis, boolean keepdims) {
    String op = min ? "argmin" : "argmax";
    grid.requireKnown(op);
    if (axis.length > 1) {
      throw new ArrayException(op + ": give one axis or none, got " + Arrays.toString(axis));
    }
    boolean[] reduced = reducedAxes(op, axis);
    int along = axis.length == 0 ? -1 : (axis[0] < 0 ? axis[0] + ndim() : axis[0]);
    long[] shape = grid.shape();
    return treeReduction(op, reduced, keepdims, DType.INT64,
        (block, idx) -> ArgPartial.of(GeneratedBlock.nd(block), grid.blockOffset(idx), shape, along, reduced, min),
        parts -> ArgPartial.combine(parts, min), part -> ((ArgPartial) part).indices());
  }

  /** This grid with reduced axes as one block of length 1. */
  private ChunkGrid keepGrid(boolean[] reduced) {
    int nd = ndim();
    long[] shape = grid.shape();
    int[][] chunks = grid.chunks();
    for (int a = 0; a < nd; a++) {
      if (reduced[a]) {
        shape[a] = 1;
        chunks[a] = new int[] {1};
      }
    }
    return new ChunkGrid(shape, chunks);
  }

  private static ChunkGrid dropGrid(ChunkGrid g, boolean[] reduced) {
    List<Long> shape = new ArrayList<>();
    List<int[]> chunks = new ArrayList<>();
    for (int a = 0; a < reduced.length; a++) {
      if (!reduced[a]) {
        shape.add(g.shape()[a]);
        chunks.add(g.chunks(a));
      }
    }
    return new ChunkGrid(shape.stream().mapToLong(Long::longValue).toArray(), chunks.toArray(int[][]::new));
  }

  private static int[] dropReduced(int[] v, boolean[] reduced) {
    int n = 0;
    for (boolean r : reduced) {
      n += r ? 0 : 1;
    }
    int[] out = new int[n];
    int k = 0;
    for (int a = 0; a < reduced.length; a++) {
      if (!reduced[a]) {
        out[k++] = v[a];
      }
    }
    return out;
  }

  // ---- computing ---------------------------------------------------------------------------

  /** Runs the graph; the whole array on every rank (use reductions for large arrays). */
  public NdArray compute() {
    return compute(ComputeOptions.DEFAULT);
  }

  public NdArray compute(ComputeOptions options) {
    return (NdArray) Scheduler.compute(List.of(this), options)[0];
  }

  /** Computes several arrays in one graph (shared inputs run once). */
  public static NdArray[] compute(DArray... arrays) {
    Object[] r = Scheduler.compute(Arrays.asList(arrays), ComputeOptions.DEFAULT);
    return Arrays.copyOf(r, r.length, NdArray[].class);
  }

  /** Writes a picture of the graph on rank 0 (.svg/.png/.pdf via graphviz, or .dot). */
  public Path visualize(Path file, boolean optimizeGraph) {
    return Scheduler.visualize(this, file, optimizeGraph);
  }

  /** Like Dask's repr: {@code rankwise.array<mean, shape=(), dtype=float64, chunksize=(), ...>}. */
  @Override
  public String toString() {
    int[] cs = new int[ndim()];
    for (int a = 0; a < cs.length; a++) {
      cs[a] = Arrays.stream(grid.chunks(a)).max().orElse(0);
    }
    String op = name.contains("-") ? name.substring(0, name.lastIndexOf('-')) : name;
    return "rankwise.array<" + op + ", shape=" + tuple(grid.shape()) + ", dtype=" + dtype.numpyName()
        + ", chunksize=" + tuple(Arrays.stream(cs).asLongStream().toArray()) + ", blocks=" + grid.blockCount()
        + ", chunktype=NdArray>";
  }

  static String tuple(long[] v) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < v.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(v[i] == ChunkGrid.UNKNOWN ? "nan" : String.valueOf(v[i]));
    }
    return sb.append(v.length == 1 ? ",)" : ")").toString();
  }
}
