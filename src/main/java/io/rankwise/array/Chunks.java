package io.rankwise.array;

import java.util.Arrays;

/**
 * How to cut an array into blocks, as Dask accepts it: one size for every axis
 * ({@code Chunks.of(1000)}), one size per axis ({@code Chunks.of(10, 100)}), explicit block sizes
 * per axis ({@code Chunks.explicit(new int[]{3, 3, 4}, ...)}), {@code -1} for a whole axis, or
 * {@code Chunks.auto()} (blocks of about {@value #AUTO_BYTES} bytes, like Dask's array.chunk-size).
 */
public final class Chunks {
  public static final long AUTO_BYTES = 128L << 20;

  private final int[] sizes; // one per axis, or one for all; -1 = whole axis; null when explicit/auto
  private final int[][] explicit;
  private final long autoBytes;

  private Chunks(int[] sizes, int[][] explicit, long autoBytes) {
    this.sizes = sizes;
    this.explicit = explicit;
    this.autoBytes = autoBytes;
  }

  /** One size per axis, or a single size for all axes; -1 means the whole axis. */
  public static Chunks of(int... sizes) {
    if (sizes.length == 0) {
      throw new ArrayException("Chunks.of needs at least one size");
    }
    for (int s : sizes) {
      if (s == 0 || s < -1) {
        throw new ArrayException("chunk size must be positive or -1 (whole axis), got " + s
            + " in " + Arrays.toString(sizes));
      }
    }
    return new Chunks(sizes.clone(), null, 0);
  }

  /** Explicit block sizes for every axis. */
  public static Chunks explicit(int[]... perAxis) {
    int[][] copy = new int[perAxis.length][];
    for (int a = 0; a < perAxis.length; a++) {
      copy[a] = perAxis[a].clone();
    }
    return new Chunks(null, copy, 0);
  }

  public static Chunks auto() {
    return autoBytes(AUTO_BYTES);
  }

  public static Chunks autoBytes(long bytes) {
    if (bytes < 1) {
      throw new ArrayException("auto chunk target must be at least 1 byte, got " + bytes);
    }
    return new Chunks(null, null, bytes);
  }

  /** The block sizes of every axis of an array of {@code shape} and {@code dtype}. */
  int[][] resolve(long[] shape, DType dtype) {
    int nd = shape.length;
    int[][] out = new int[nd][];
    if (explicit != null) {
      if (explicit.length != nd) {
        throw new ArrayException("chunks give " + explicit.length + " axes but the shape " + Arrays.toString(shape)
            + " has " + nd);
      }
      for (int a = 0; a < nd; a++) {
        long sum = 0;
        for (int c : explicit[a]) {
          if (c < 0 || (c == 0 && shape[a] != 0)) {
            throw new ArrayException("chunk sizes of axis " + a + " must be positive, got " + Arrays.toString(explicit[a]));
          }
          sum += c;
        }
        if (sum != shape[a]) {
          throw new ArrayException("chunks of axis " + a + " " + Arrays.toString(explicit[a]) + " add up to " + sum
              + ", but the axis has length " + shape[a]);
        }
        out[a] = explicit[a].clone();
      }
      return out;
    }
    int[] per = new int[nd];
    if (sizes != null) {
      if (sizes.length != 1 && sizes.length != nd) {
        throw new ArrayException("chunks " + Arrays.toString(sizes) + " give " + sizes.length + " sizes for a "
            + nd + "-d array of shape " + Arrays.toString(shape) + " (give one size, or one per axis)");
      }
      for (int a = 0; a < nd; a++) {
        int s = sizes.length == 1 ? sizes[0] : sizes[a];
        per[a] = s == -1 ? (int) Math.max(1, Math.min(Integer.MAX_VALUE, shape[a])) : s;
      }
    } else {
      per = autoSizes(shape, dtype, autoBytes);
    }
    for (int a = 0; a < nd; a++) {
      out[a] = regular(shape[a], per[a]);
    }
    return out;
  }

  /**
   * Equal-ish cube-like blocks of about {@code bytes} in memory (float32/int32 blocks are held
   * widened, 8 bytes an element): the same edge on every axis, capped by the axis.
   */
  private static int[] autoSizes(long[] shape, DType dtype, long bytes) {
    int nd = shape.length;
    int[] per = new int[nd];
    if (nd == 0) {
      return per;
    }
    long elems = Math.max(1, bytes / dtype.storage().itemSize());
    double edge = Math.pow(elems, 1.0 / nd);
    // Axes shorter than the edge are taken whole; spread the rest over the other axes.
    boolean[] whole = new boolean[nd];
    for (int round = 0; round < nd; round++) {
      long fixed = 1;
      int free = 0;
      for (int a = 0; a < nd; a++) {
        if (whole[a]) {
          fixed *= Math.max(1, shape[a]);
        } else {
          free++;
        }
      }
      if (free == 0) {
        break;
      }
      edge = Math.pow(Math.max(1.0, (double) elems / fixed), 1.0 / free);
      boolean changed = false;
      for (int a = 0; a < nd; a++) {
        if (!whole[a] && shape[a] <= edge) {
          whole[a] = true;
          changed = true;
        }
      }
      if (!changed) {
        break;
      }
    }
    for (int a = 0; a < nd; a++) {
      per[a] = whole[a] ? (int) Math.max(1, shape[a]) : (int) Math.max(1, Math.floor(edge));
    }
    return per;
  }

  static int[] regular(long length, int size) {
    if (length == 0) {
      return new int[] {0};
    }
    long n = (length + size - 1) / size;
    if (n > Integer.MAX_VALUE) {
      throw new ArrayException("axis of length " + length + " in blocks of " + size + " gives too many blocks");
    }
    int[] out = new int[(int) n];
    for (int i = 0; i < n; i++) {
      out[i] = (int) Math.min(size, length - (long) i * size);
    }
    return out;
  }

  @Override
  public String toString() {
    if (explicit != null) {
      return Arrays.deepToString(explicit);
    }
    return sizes != null ? Arrays.toString(sizes) : "auto(" + autoBytes + " B)";
  }
}
