package io.rankwise.array;

/**
 * One axis of a basic slice: {@code Slice.of(start, stop)} is NumPy's {@code start:stop},
 * {@code Slice.of(start, stop, step)} with a positive step, {@code Slice.all()} is {@code :},
 * {@code Slice.index(i)} picks one position and drops the axis. Negative positions count from the
 * end, as in NumPy.
 */
public final class Slice {
  final Long start;
  final Long stop;
  final long step;
  final boolean index;

  private Slice(Long start, Long stop, long step, boolean index) {
    this.start = start;
    this.stop = stop;
    this.step = step;
    this.index = index;
  }

  public static Slice of(long start, long stop) {
    return new Slice(start, stop, 1, false);
  }

  public static Slice of(long start, long stop, long step) {
    if (step <= 0) {
      throw new ArrayException("slice step must be positive, got " + step + " (negative steps are not supported)");
    }
    return new Slice(start, stop, step, false);
  }

  public static Slice from(long start) {
    return new Slice(start, null, 1, false);
  }

  public static Slice to(long stop) {
    return new Slice(null, stop, 1, false);
  }

  public static Slice all() {
    return new Slice(null, null, 1, false);
  }

  public static Slice index(long i) {
    return new Slice(i, null, 1, true);
  }

  /** True for {@code Slice.index(i)}, which drops its axis. */
  public boolean isIndex() {
    return index;
  }

  /** Resolved {start, stop, step, count} for an axis of {@code length}, NumPy's clipping rules. */
  public long[] resolve(long length, int axis) {
    if (index) {
      long i = start < 0 ? start + length : start;
      if (i < 0 || i >= length) {
        throw new ArrayException("index " + start + " is out of bounds for axis " + axis + " with size " + length);
      }
      return new long[] {i, i + 1, 1, 1};
    }
    long s = start == null ? 0 : clip(start < 0 ? start + length : start, length);
    long e = stop == null ? length : clip(stop < 0 ? stop + length : stop, length);
    long count = e <= s ? 0 : (e - s + step - 1) / step;
    return new long[] {s, e, step, count};
  }

  private static long clip(long v, long length) {
    return Math.max(0, Math.min(length, v));
  }

  @Override
  public String toString() {
    if (index) {
      return String.valueOf(start);
    }
    return (start == null ? "" : start) + ":" + (stop == null ? "" : stop) + (step == 1 ? "" : ":" + step);
  }
}
