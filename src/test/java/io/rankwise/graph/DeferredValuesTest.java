package io.rankwise.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.comm.ReduceOp;
import io.rankwise.delayed.Delayed;
import io.rankwise.runtime.Session;
import io.rankwise.testing.SpmdRanks;
import io.rankwise.testing.SpmdTest;
import io.rankwise.testing.SpmdTestCase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Large bulk-coded values received from other ranks stay in the received memory until a task
 * needs them: every use sees the right value, each is decoded once per rank, values delivered to
 * the caller are decoded too, and the memory goes back to be reused, also when an exchange takes
 * many rounds (many receive buffers, each given back when the last value in it is decoded).
 */
@SpmdRanks(mpi = {1, 2, 3, 5}, local = {1, 2, 4})
class DeferredValuesTest extends SpmdTestCase {
  /** Decodes per blob id in this JVM. */
  static final ConcurrentHashMap<Integer, AtomicInteger> DECODES = new ConcurrentHashMap<>();

  /** A value that travels through a bulk codec: an id and its longs. */
  static final class Blob {
    static {
      BulkCodec.register(Blob.class, new BulkCodec<Blob>() {
        @Override
        public boolean accepts(Blob value) {
          return true;
        }

        @Override
        public int size(Blob value) {
          return 8 + 8 * value.data.length;
        }

        @Override
        public void write(Blob value, java.nio.ByteBuffer out) {
          out.putInt(value.id).putInt(value.data.length);
          out.asLongBuffer().put(value.data);
          out.position(out.position() + 8 * value.data.length);
        }

        @Override
        public Blob read(java.nio.ByteBuffer in) {
          int id = in.getInt();
          long[] data = new long[in.getInt()];
          in.asLongBuffer().get(data);
          DECODES.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
          return new Blob(id, data);
        }
      });
    }

    final int id;
    final long[] data;

    Blob(int id, long[] data) {
      this.id = id;
      this.data = data;
    }
  }

  static long value(int id, int k) {
    return id * 1_000_003L + k * 7919L - (k % 13);
  }

  /** Blob {@code id}: 5,000 + 37 id longs (40 KB and more: above the size that is deferred). */
  static Blob blob(int id) {
    long[] d = new long[5000 + 37 * id];
    for (int k = 0; k < d.length; k++) {
      d[k] = value(id, k);
    }
    return new Blob(id, d);
  }

  static long sum(Blob b) {
    long s = 0;
    for (long v : b.data) {
      s += v;
    }
    return s;
  }

  @SpmdTest
  void largeReceivedValuesAreDecodedOncePerRankForEveryUse(Session s) {
    // 9 blobs, and 2: fewer than the ranks (3, 5), so some ranks make none and only receive
    for (long roundBytes : new long[] {0, 100_000, -1}) {
      int n = roundBytes < 0 ? 2 : 9;
      if (roundBytes > 0) { // many rounds: many receive buffers in flight
        System.setProperty("rankwise.exchangeRoundBytes", Long.toString(roundBytes));
      }
      try {
        DECODES.clear();
        s.comm().barrier();
        ValueCodec.Kept.DEFERRED.set(0);
        run(s, n);
      } finally {
        System.clearProperty("rankwise.exchangeRoundBytes");
        s.comm().barrier();
      }
    }
  }

  private static void run(Session s, int n) {
    List<Delayed<Blob>> blobs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int id = i;
      blobs.add(Delayed.call("blob", () -> blob(id)));
    }
    List<Delayed<Long>> outs = new ArrayList<>();
    for (int i = 0; i < n; i++) { // two uses of every blob, usually on other ranks than its own
      outs.add(Delayed.delayed(DeferredValuesTest::pair).apply(blobs.get(i), blobs.get((i + 1) % n)));
      outs.add(Delayed.delayed(DeferredValuesTest::last).apply(blobs.get(i)));
    }
    List<Delayed<?>> all = new ArrayList<>(outs);
    int delivered = Math.min(3, n);
    all.addAll(blobs.subList(0, delivered)); // delivered to every rank as they are
    Object[] got = Delayed.compute(all.toArray(new Delayed<?>[0]));
    for (int i = 0; i < n; i++) {
      assertEquals(sum(blob(i)) + sum(blob((i + 1) % n)), got[2 * i], "pair " + i + " on rank " + s.rank());
      Blob b = blob(i);
      assertEquals(b.data[b.data.length - 1] * 3 + b.data.length, got[2 * i + 1], "last " + i);
    }
    for (int i = 0; i < delivered; i++) {
      Blob b = (Blob) got[2 * n + i];
      assertEquals(i, b.id);
      assertArrayEquals(blob(i).data, b.data, "blob " + i + " delivered to rank " + s.rank());
    }
    if (s.comm().receivesInPlace()) { // one JVM per rank: its counts are this rank's
      long[] decoded = {DECODES.size()};
      s.comm().allReduce(decoded, ReduceOp.SUM); // before any assertion: a failing rank leaves none waiting
      DECODES.forEach((id, count) -> assertEquals(1, count.get(), "blob " + id + " decoded on rank " + s.rank()));
      assertEquals(DECODES.size(), ValueCodec.Kept.DEFERRED.get(), "every blob received was deferred, nothing else");
      assertEquals(s.size() > 1, decoded[0] > 0, "blobs went to other ranks");
      // everything received was decoded and its memory given back for the next exchange
      assertEquals(0, ValueCodec.Kept.LIVE.get(), "receive memories not given back on rank " + s.rank());
    }
  }

  static long pair(Blob a, Blob b) {
    return sum(a) + sum(b);
  }

  static long last(Blob a) {
    return a.data[a.data.length - 1] * 3 + a.data.length;
  }
}
