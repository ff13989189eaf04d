package io.rankwise.frame;

/** Column types: float64 (double[]), int64 (long[]), bool (boolean[]), string (dictionary codes), datetime64[ns] (long[] epoch nanos). */
public enum ColumnType {
  FLOAT64("float64"), INT64("int64"), BOOL("bool"), STRING("object"), DATETIME("datetime64[ns]");

  private final String pandas;

  ColumnType(String pandas) {
    this.pandas = pandas;
  }

  /** pandas' dtype name. */
  public String pandasName() {
    return pandas;
  }
}
