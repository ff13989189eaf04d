package io.rankwise.frame;

import java.util.Arrays;

/** Open addressing from long values to dense ids 0, 1, 2, ... (no boxing per row): group ids of int64 keys. */
final class LongIds {
  /**
   * Open addressing, linear probing, key and id side by side (slot s: {@code table[2s]} the key,
   * {@code table[2s + 1]} its id + 1, 0 when empty): a probe touches one cache line, where
   * separate key and id arrays cost two misses per row once the table outgrows the caches.
   */
  private long[] table;
  private int size;
  private long[] byId = new long[16]; // the key of each id (ids are dense: 0, 1, 2, ...)

  int size() {
    return size;
  }

  /** The keys in id order. */
  long[] keysById() {
    return Arrays.copyOf(byId, size);
  }

  /** Room for about {@code expected} keys before the table grows. */
  LongIds(int expected) {
    int cap = Integer.highestOneBit(Math.min(MAX_KEYS, Math.max(4, expected)) * 2);
    table = new long[2 * cap];
  }

  /** The id of v, or -1. */
  int find(long v) {
    int mask = (table.length >>> 1) - 1;
    for (int s = (int) (mix(v) & mask); table[2 * s + 1] != 0; s = (s + 1) & mask) {
      if (table[2 * s] == v) {
        return (int) table[2 * s + 1] - 1;
      }
    }
    return -1;
  }

  /** The id of v, or {@code next} (recorded as v's id) when v is new. */
  int get(long v, int next) {
    long[] t = table;
    int mask = (t.length >>> 1) - 1;
    int s = (int) (mix(v) & mask);
    long id;
    while ((id = t[2 * s + 1]) != 0) {
      if (t[2 * s] == v) {
        return (int) id - 1;
      }
      s = (s + 1) & mask;
    }
    t[2 * s] = v;
    t[2 * s + 1] = next + 1L;
    if (next >= byId.length) {
      byId = Arrays.copyOf(byId, Math.max(next + 1, byId.length * 2));
    }
    byId[next] = v;
    if (++size * 4 > t.length) { // more than half the slots used
      grow();
    }
    return next;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    return z ^ (z >>> 33);
  }

  /** Keys one table holds: its array of 2 longs a slot, at most half of them used, stays under 2^31. */
  static final int MAX_KEYS = 1 << 28;

  private void grow() {
    long[] old = table;
    if (old.length >= 1 << 30) {
      throw new FrameException("more than " + MAX_KEYS + " distinct int64 keys in one partition or bucket: "
          + "use more partitions (repartition) or more ranks");
    }
    long[] t = new long[old.length * 2];
    int mask = (t.length >>> 1) - 1;
    for (int j = 0; j < old.length; j += 2) {
      if (old[j + 1] != 0) {
        int s = (int) (mix(old[j]) & mask);
        while (t[2 * s + 1] != 0) {
          s = (s + 1) & mask;
        }
        t[2 * s] = old[j];
        t[2 * s + 1] = old[j + 1];
      }
    }
    table = t;
  }
}
