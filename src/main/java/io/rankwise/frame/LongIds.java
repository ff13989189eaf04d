package io.rankwise.frame;

import java.util.Arrays;

/** Open addressing from long values to dense ids 0, 1, 2, ... (no boxing per row): group ids of int64 keys. */
final class LongIds {
  private long[] keys;
  private int[] ids; // id + 1; 0 = empty
  private int size;
  private long[] byId = new long[16]; // the key of each id (ids are dense: 0, 1, 2, ...)

  int size() {
    return size;
  }

  /** The keys in id order. */
  long[] keysById() {
    return Arrays.copyOf(byId, size);
  }

  LongIds(int expected) {
    int cap = Integer.highestOneBit(Math.max(4, expected) * 2);
    keys = new long[cap];
    ids = new int[cap];
  }

  /** The id of v, or -1. */
  int find(long v) {
    int mask = keys.length - 1;
    for (int s = (int) (mix(v) & mask); ids[s] != 0; s = (s + 1) & mask) {
      if (keys[s] == v) {
        return ids[s] - 1;
      }
    }
    return -1;
  }

  /** The id of v, or {@code next} (recorded as v's id) when v is new. */
  int get(long v, int next) {
    int mask = keys.length - 1;
    int s = (int) (mix(v) & mask);
    while (ids[s] != 0) {
      if (keys[s] == v) {
        return ids[s] - 1;
      }
      s = (s + 1) & mask;
    }
    keys[s] = v;
    ids[s] = next + 1;
    if (next >= byId.length) {
      byId = Arrays.copyOf(byId, Math.max(next + 1, byId.length * 2));
    }
    byId[next] = v;
    if (++size * 2 > keys.length) {
      grow();
    }
    return next;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    return z ^ (z >>> 33);
  }

  private void grow() {
    long[] ok = keys;
    int[] oi = ids;
    keys = new long[ok.length * 2];
    ids = new int[ok.length * 2];
    int mask = keys.length - 1;
    for (int j = 0; j < ok.length; j++) {
      if (oi[j] != 0) {
        int s = (int) (mix(ok[j]) & mask);
        while (ids[s] != 0) {
          s = (s + 1) & mask;
        }
        keys[s] = ok[j];
        ids[s] = oi[j];
      }
    }
  }
}
