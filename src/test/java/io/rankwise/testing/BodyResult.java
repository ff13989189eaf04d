package io.rankwise.testing;

/** Outcome of one SPMD test body over all ranks of one run. */
public record BodyResult(String body, boolean passed, String message) {
  static BodyResult pass(String body) {
    return new BodyResult(body, true, "");
  }

  static BodyResult fail(String body, String message) {
    return new BodyResult(body, false, message);
  }
}
