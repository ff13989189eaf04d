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
    SplittableRandom r = kind == Kind.FULL ? null : new SplittableRandom(streamSeed);
    if (kind == Kind.FULL) {
      java.util.Arrays.fill(tile, a);
    }
    for (int done = 0; done < n; done += tile.length) {
      int len = Math.min(tile.length, n - done);
      fill(r, tile, len);
      sink.accept(tile, len);
    }
  }

  private void fill(SplittableRandom r, double[] d, int len) {
    switch (kind) {
      case UNIFORM -> {
        for (int i = 0; i < len; i++) {
          d[i] = a + b * r.nextDouble();
        }
      }
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
