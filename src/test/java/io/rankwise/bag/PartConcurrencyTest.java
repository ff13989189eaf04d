package io.rankwise.bag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** Worker threads visiting one streamed partition while another thread materializes it. */
class PartConcurrencyTest {
  @Test
  void visitsDuringMaterializationSeeEveryItemOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      for (int round = 0; round < 40; round++) {
        AtomicInteger reads = new AtomicInteger();
        Part p = Part.streamed(sink -> {
          reads.incrementAndGet();
          for (int i = 0; i < 20_000; i++) {
            sink.accept(i);
          }
          return new Part.Skips(1, "line 7: bad");
        });
        Part mapped = p.map(o -> (Integer) o + 1).filter(o -> (Integer) o % 2 == 0);
        List<Future<Long>> visits = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
          boolean viaMapped = t % 2 == 0;
          visits.add(pool.submit(() -> {
            LongAdder n = new LongAdder();
            (viaMapped ? mapped : p).forEach(o -> n.increment());
            return n.sum();
          }));
        }
        Future<Integer> held = pool.submit(() -> p.items().size());
        assertEquals(20_000, held.get());
        for (int t = 0; t < visits.size(); t++) {
          assertEquals(t % 2 == 0 ? 10_000L : 20_000L, visits.get(t).get(), "visitor " + t + " in round " + round);
        }
        assertEquals(1, p.skipped);
        assertEquals(20_000, p.items().size());
        assertEquals(true, reads.get() >= 1 && reads.get() <= 6, "reads " + reads.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
