package io.rankwise.bag;

import java.util.ArrayList;
import java.util.List;

/**
 * One partition of a bag: its items, plus the bad input lines skipped while reading it (with
 * {@code OnError.SKIP}), so that they are counted and reported, never silently dropped.
 */
final class Part {
  ArrayList<Object> items;
  long skipped;
  String firstSkipped; // "file, line N: reason", or null

  private Part() {} // for the serializer

  Part(ArrayList<Object> items, long skipped, String firstSkipped) {
    this.items = items;
    this.skipped = skipped;
    this.firstSkipped = firstSkipped;
  }

  static Part of(List<?> items) {
    return new Part(new ArrayList<>(items), 0, null);
  }

  /** New items, the same skip record. */
  Part with(ArrayList<Object> newItems) {
    return new Part(newItems, skipped, firstSkipped);
  }
}
