package io.rankwise.array;

import java.util.Locale;

/**
 * Element types. Blocks store them as {@code double[]}, {@code long[]} and {@code boolean[]}.
 * Promotion follows NumPy: bool < int64 < float64; true division and transcendental functions
 * give float64.
 */
public enum DType {
  BOOL(1),
  INT64(8),
  FLOAT64(8);

  private final int itemSize;

  DType(int itemSize) {
    this.itemSize = itemSize;
  }

  /** Bytes per element (for "auto" chunking and memory estimates). */
  public int itemSize() {
    return itemSize;
  }

  public static DType promote(DType a, DType b) {
    return a.ordinal() >= b.ordinal() ? a : b;
  }

  /** NumPy's name: float64, int64, bool. */
  public String numpyName() {
    return this == BOOL ? "bool" : name().toLowerCase(Locale.ROOT);
  }

  public static DType parse(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "float64", "double", "f8" -> FLOAT64;
      case "int64", "long", "i8" -> INT64;
      case "bool", "boolean" -> BOOL;
      default -> throw new ArrayException("unknown dtype '" + s + "'; supported: float64, int64, bool");
    };
  }
}
