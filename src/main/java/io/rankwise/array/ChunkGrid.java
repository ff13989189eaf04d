package io.rankwise.array;

import java.util.Arrays;

/**
 * An array's shape and how it is cut into blocks: block sizes per axis, blocks numbered in C order.
 * Immutable.
 */
public final class ChunkGrid {
  /** The size of a block that is not known until computed (after boolean masking); Dask's NaN. */
  public static final int UNKNOWN = -1;

  private final long[] shape;
  private final int[][] chunks;
  private final long[][] offsets;
  private final int[] numBlocks;
  private final int blockCount;

  ChunkGrid(long[] shape, int[][] chunks) {
    this.shape = shape.clone();
    this.chunks = new int[chunks.length][];
    this.offsets = new long[chunks.length][];
    this.numBlocks = new int[chunks.length];
    long count = 1;
    for (int a = 0; a < chunks.length; a++) {
      this.chunks[a] = chunks[a].clone();
      this.numBlocks[a] = chunks[a].length;
      offsets[a] = new long[chunks[a].length + 1];
      for (int i = 0; i < chunks[a].length; i++) {
        offsets[a][i + 1] = offsets[a][i] + chunks[a][i];
      }
      if (Arrays.stream(chunks[a]).anyMatch(c -> c == UNKNOWN)) {
        this.shape[a] = UNKNOWN;
      }
      count *= chunks[a].length;
    }
    if (count > Integer.MAX_VALUE) {
      throw new ArrayException("an array of shape " + Arrays.toString(shape) + " in these chunks has " + count
          + " blocks; use larger chunks");
    }
    this.blockCount = (int) count;
  }

  public static ChunkGrid of(long[] shape, Chunks spec, DType dtype) {
    for (long s : shape) {
      if (s < 0) {
        throw new ArrayException("negative dimension in shape " + Arrays.toString(shape));
      }
    }
    ChunkGrid g = new ChunkGrid(shape, spec.resolve(shape, dtype));
    for (int b = 0; b < g.blockCount; b++) {
      long n = 1;
      for (int s : g.blockShape(g.unravel(b))) {
        n *= s;
      }
      if (n > Integer.MAX_VALUE - 8) {
        throw new ArrayException("block of " + n + " elements is too large for one Java array; use smaller chunks");
      }
    }
    return g;
  }

  /** True when every block size is known. */
  public boolean known() {
    for (long s : shape) {
      if (s == UNKNOWN) {
        return false;
      }
    }
    return true;
  }

  /** Fails with advice when block sizes are unknown: {@code op} needs them. */
  public void requireKnown(String op) {
    if (!known()) {
      throw new ArrayException(op + ": the array has unknown chunk sizes (it comes from a boolean mask); call "
          + "computeChunkSizes() first, which computes them");
    }
  }

  public int ndim() {
    return shape.length;
  }

  public long[] shape() {
    return shape.clone();
  }

  public long size() {
    requireKnown("size");
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    return n;
  }

  /** Block sizes of {@code axis}. */
  public int[] chunks(int axis) {
    return chunks[axis].clone();
  }

  public int[][] chunks() {
    int[][] c = new int[chunks.length][];
    for (int a = 0; a < c.length; a++) {
      c[a] = chunks[a].clone();
    }
    return c;
  }

  public int[] numBlocks() {
    return numBlocks.clone();
  }

  public int blockCount() {
    return blockCount;
  }

  public int[] blockShape(int[] index) {
    requireKnown("block shape");
    int[] s = new int[index.length];
    for (int a = 0; a < index.length; a++) {
      s[a] = chunks[a][index[a]];
    }
    return s;
  }

  /** Position of the block's first element along each axis. */
  public long[] blockOffset(int[] index) {
    requireKnown("block offset");
    long[] o = new long[index.length];
    for (int a = 0; a < index.length; a++) {
      o[a] = offsets[a][index[a]];
    }
    return o;
  }

  /** Block index of linear block number {@code b} (C order). */
  public int[] unravel(int b) {
    int[] idx = new int[numBlocks.length];
    for (int a = numBlocks.length - 1; a >= 0; a--) {
      idx[a] = b % numBlocks[a];
      b /= numBlocks[a];
    }
    return idx;
  }

  public int ravel(int[] idx) {
    int b = 0;
    for (int a = 0; a < idx.length; a++) {
      b = b * numBlocks[a] + idx[a];
    }
    return b;
  }

  /** The largest block's element count. */
  public long maxBlockElements() {
    if (!known()) {
      return 1_000_000; // a guess, for cost estimates only
    }
    long n = 1;
    for (int[] c : chunks) {
      n *= Arrays.stream(c).max().orElse(0);
    }
    return n;
  }

  boolean sameChunks(ChunkGrid o) {
    return Arrays.equals(shape, o.shape) && Arrays.deepEquals(chunks, o.chunks);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("(");
    for (int a = 0; a < chunks.length; a++) {
      sb.append(a == 0 ? "" : ", ");
      int[] c = chunks[a];
      boolean regular = c.length <= 1 || Arrays.stream(c, 0, c.length - 1).allMatch(x -> x == c[0]);
      sb.append(shape[a] == UNKNOWN ? "nan" : regular ? String.valueOf(c.length == 0 ? 0 : c[0]) : Arrays.toString(c));
    }
    return sb.append(c1(chunks.length)).toString();
  }

  private static String c1(int nd) {
    return nd == 1 ? ",)" : ")";
  }
}
