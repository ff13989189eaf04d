package io.rankwise.array;

import java.util.Locale;

/**
 * Element types. Blocks store them in three storage kinds: {@code boolean[]} (bool),
 * {@code long[]} (int32, int64) and {@code double[]} (float32, float64). The 32-bit types keep
 * their values exactly as NumPy would (float32 rounded to single precision after every
 * operation, int32 wrapping at 32 bits) but are held widened, so a float32 block takes as much
 * memory as a float64 one; HDF5 files read and write them at their own width.
 *
 * <p>Promotion follows NumPy: bool &lt; int32 &lt; int64 and float32 &lt; float64 within a kind;
 * an integer with a float gives float64 (as NumPy does for int32/int64 with float32); true
 * division and math functions of integers give float64, of float32 give float32.
 */
public enum DType {
  BOOL(1),
  INT32(4),
  INT64(8),
  FLOAT32(4),
  FLOAT64(8);

  private final int itemSize;

  DType(int itemSize) {
    this.itemSize = itemSize;
  }

  /** Bytes per element as NumPy and HDF5 count them (for "auto" chunking and file types). */
  public int itemSize() {
    return itemSize;
  }

  /** The type whose Java array holds this type's values: BOOL, INT64 or FLOAT64. */
  public DType storage() {
    return switch (this) {
      case BOOL -> BOOL;
      case INT32, INT64 -> INT64;
      case FLOAT32, FLOAT64 -> FLOAT64;
    };
  }

  public boolean isFloat() {
    return this == FLOAT32 || this == FLOAT64;
  }

  public boolean isInteger() {
    return this == INT32 || this == INT64;
  }

  /** True for the 32-bit types, whose values are narrowed after every operation. */
  boolean narrow() {
    return this == INT32 || this == FLOAT32;
  }

  public static DType promote(DType a, DType b) {
    if (a == b || b == BOOL) {
      return a;
    }
    if (a == BOOL) {
      return b;
    }
    if (a.isFloat() != b.isFloat()) {
      return FLOAT64;
    }
    return a.ordinal() >= b.ordinal() ? a : b;
  }

  /** The float type that math on this type gives: float32 for float32, float64 otherwise. */
  public DType floatResult() {
    return this == FLOAT32 ? FLOAT32 : FLOAT64;
  }

  /** NumPy's name: float64, float32, int64, int32, bool. */
  public String numpyName() {
    return this == BOOL ? "bool" : name().toLowerCase(Locale.ROOT);
  }

  public static DType parse(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "float64", "double", "float", "f8" -> FLOAT64; // NumPy: dtype("float") is float64
      case "float32", "single", "f4" -> FLOAT32;
      case "int64", "long", "int", "i8" -> INT64; // NumPy on 64-bit Linux: dtype("int") is int64
      case "int32", "intc", "i4" -> INT32;
      case "bool", "boolean" -> BOOL;
      default -> throw new ArrayException("unknown dtype '" + s + "'; supported: float64, float32, int64, int32, bool");
    };
  }
}
