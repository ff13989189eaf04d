package io.rankwise.array;

import java.util.SplittableRandom;

/**
 * A block that is a recipe, not data: values drawn from a seeded stream (or one constant),
 * produced when asked. A reduction reads it tile by tile, so {@code random(...).mean()} never
 * holds a block in memory; anything else asks for {@link #materialize()}. Sending one to another
 * rank sends the recipe (a few bytes), which regenerates the same values there.
 */
final class GeneratedBlock {
  enum Kind { UNIFORM, NORMAL, FULL }

  /** Elements per tile when streaming: small enough for L2, a multiple of 4. */
  static final int TILE = 4096;

  Kind kind;
  long streamSeed;
  double a;
  double b;
  int[] shape;

  private GeneratedBlock() {} // for the serializer

  GeneratedBlock(Kind kind, long streamSeed, double a, double b, int[] shape) {
    this.kind = kind;
    this.streamSeed = streamSeed;
    this.a = a;
    this.b = b;
    this.shape = shape;
  }

  int size() {
    return NdArray.sizeOf(shape);
  }

  /** Receives consecutive tiles of the block's values: {@code tile[0..len)}. */
  @FunctionalInterface
  interface TileSink {
    void accept(double[] tile, int len);
  }

  /** Streams every value in C order, in tiles of {@link #TILE}. */
  void stream(TileSink sink) {
    int n = size();
    double[] tile = new double[Math.min(TILE, Math.max(1, n))];
    long[] bits = kind == Kind.UNIFORM ? new long[tile.length] : null;
    SplittableRandom r = kind == Kind.NORMAL ? new SplittableRandom(streamSeed) : null;
    if (kind == Kind.FULL) {
      java.util.Arrays.fill(tile, a);
    }
    for (int done = 0; done < n; done += tile.length) {
      int len = Math.min(tile.length, n - done);
      if (kind == Kind.UNIFORM) {
        uniform(streamSeed, done, a, b, tile, 0, bits, len);
      } else {
        fill(r, tile, len);
      }
      sink.accept(tile, len);
    }
  }

  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
  private static final long ONE_BITS = 0x3FF0000000000000L;

  /**
   * Uniform values {@code a + b * u} for elements {@code first .. first+len} of the stream: u has
   * the top 52 bits of SplitMix64's output for counter {@code seed + (k+1)·γ} (the sequence
   * SplittableRandom walks), put under the exponent of 1.0 and shifted down to [0, 1). A counter
   * and no int-to-double conversion keep every loop free of carried state, so the JIT turns them
   * into SIMD code (about 3x faster than SplittableRandom.nextDouble on Java 17; 52 random bits
   * where nextDouble has 53).
   */
  static void uniform(long seed, long first, double a, double b, double[] out, int off, long[] scratch, int len) {
    bits(seed, first, scratch, len);
    toUniform(scratch, len, a, b, out, off);
  }

  /** {@code a + b * u} from the bits of 1.0 + u, into out[off, off + len). */
  private static void toUniform(long[] bits, int len, double a, double b, double[] out, int off) {
    // separate simple loops vectorize where one fused loop does not (measured on Java 17)
    if (a == 0 && b == 1) {
      for (int i = 0; i < len; i++) {
        out[off + i] = Double.longBitsToDouble(bits[i]) - 1.0;
      }
    } else {
      for (int i = 0; i < len; i++) {
        out[off + i] = a + b * (Double.longBitsToDouble(bits[i]) - 1.0);
      }
    }
  }

  /** (k+1)·γ for k in [0, TILE): the counter offsets of a tile, so the mixing loop has no carried state. */
  private static final long[] STEP = new long[TILE];

  static {
    for (int k = 0; k < TILE; k++) {
      STEP[k] = (k + 1) * GOLDEN_GAMMA;
    }
  }

  /**
   * Rows of this uniform block's transpose, straight from the counters (no transposed copy):
   * this block is cols x rows, and element c of transposed row r is this[c, r], stream position
   * c·rows + r. {@link #transposedRow} fills one row with the values a materialized block holds.
   */
  final class TransposedRows {
    private final long[] offsets; // c·rows·γ
    private final long[] scratch;

    private TransposedRows() {
      if (kind != Kind.UNIFORM || shape.length != 2) {
        throw new IllegalStateException("transposed rows are made for 2-d uniform blocks");
      }
      int cols = shape[0];
      long stride = (long) shape[1] * GOLDEN_GAMMA;
      offsets = new long[cols];
      for (int c = 0; c < cols; c++) {
        offsets[c] = c * stride;
      }
      scratch = new long[cols];
    }

    /** Transposed row r (this block's column r) into out[off, off + cols). */
    void transposedRow(int r, double[] out, int off) {
      mix(streamSeed + ((long) r + 1) * GOLDEN_GAMMA, offsets, scratch, offsets.length);
      toUniform(scratch, offsets.length, a, b, out, off); // uniform()'s arithmetic: the same bits
    }
  }

  /** Elements [first, first + n) of this uniform block into out[0, n), tile by tile ({@code scratch}: TILE longs). */
  void uniformInto(long first, double[] out, int n, long[] scratch) {
    for (int done = 0; done < n; done += scratch.length) {
      uniform(streamSeed, first + done, a, b, out, done, scratch, Math.min(scratch.length, n - done));
    }
  }

  /** A maker of this block's transposed rows, or null unless this is a 2-d uniform block. */
  TransposedRows transposedRows() {
    return kind == Kind.UNIFORM && shape.length == 2 ? new TransposedRows() : null;
  }

  /** The bits of 1.0 + u for elements first .. first+len (len <= TILE). */
  private static void bits(long seed, long first, long[] scratch, int len) {
    mix(seed + first * GOLDEN_GAMMA, STEP, scratch, len);
  }

  /** The bits of 1.0 + u for the counters base + offsets[i], i < len (SplitMix64's mixing). */
  private static void mix(long base, long[] offsets, long[] scratch, int len) {
    for (int i = 0; i < len; i++) {
      long z = base + offsets[i];
      z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
      z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
      scratch[i] = ((z ^ (z >>> 31)) >>> 12) | ONE_BITS;
    }
  }

  /**
   * Adds every value of the block into {@code sum}, lane by lane in element order: the same bits
   * as materializing the block and {@link Sum8#add}ing it, without storing the values (uniform
   * blocks are generated straight into the lanes; about 1.5x faster than stream + add).
   */
  void sumInto(Sum8 sum) {
    if (kind != Kind.UNIFORM) {
      stream(sum::add);
      return;
    }
    int n = size();
    long[] scratch = new long[Math.min(TILE, Math.max(1, n))];
    double[] acc = sum.acc;
    boolean plain = a == 0 && b == 1;
    for (int done = 0; done < n; done += scratch.length) {
      int len = Math.min(scratch.length, n - done);
      bits(streamSeed, done, scratch, len);
      int i = 0;
      if (plain) {
        for (; i + Sum8.LANES <= len; i += Sum8.LANES) {
          acc[0] += Double.longBitsToDouble(scratch[i]) - 1.0;
          acc[1] += Double.longBitsToDouble(scratch[i + 1]) - 1.0;
          acc[2] += Double.longBitsToDouble(scratch[i + 2]) - 1.0;
          acc[3] += Double.longBitsToDouble(scratch[i + 3]) - 1.0;
          acc[4] += Double.longBitsToDouble(scratch[i + 4]) - 1.0;
          acc[5] += Double.longBitsToDouble(scratch[i + 5]) - 1.0;
          acc[6] += Double.longBitsToDouble(scratch[i + 6]) - 1.0;
          acc[7] += Double.longBitsToDouble(scratch[i + 7]) - 1.0;
        }
        for (; i < len; i++) {
          acc[i & 7] += Double.longBitsToDouble(scratch[i]) - 1.0;
        }
      } else {
        for (; i < len; i++) {
          acc[i & 7] += a + b * (Double.longBitsToDouble(scratch[i]) - 1.0);
        }
      }
      sum.added(len);
    }
  }

  private void fill(SplittableRandom r, double[] d, int len) {
    switch (kind) {
      case UNIFORM -> throw new IllegalStateException("uniform blocks are filled by uniform()");
      case NORMAL -> {
        for (int i = 0; i < len; i++) {
          d[i] = a + b * r.nextGaussian();
        }
      }
      case FULL -> { } // already filled
    }
  }

  NdArray materialize() {
    double[] d = new double[size()];
    if (kind == Kind.UNIFORM) { // straight into the block, tile by tile
      long[] scratch = new long[Math.min(TILE, Math.max(1, d.length))];
      for (int done = 0; done < d.length; done += scratch.length) {
        uniform(streamSeed, done, a, b, d, done, scratch, Math.min(scratch.length, d.length - done));
      }
      return NdArray.of(d, shape.clone());
    }
    int[] pos = {0};
    stream((tile, len) -> {
      System.arraycopy(tile, 0, d, pos[0], len);
      pos[0] += len;
    });
    return NdArray.of(d, shape.clone());
  }

  /** The value of a task output that is a block: data as it is, recipes materialized. */
  static NdArray nd(Object v) {
    return v instanceof GeneratedBlock g ? g.materialize() : (NdArray) v;
  }
}
