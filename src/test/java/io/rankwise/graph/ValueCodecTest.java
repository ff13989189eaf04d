package io.rankwise.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Values of the kinds tasks return survive the trip through the exchange's codec, each made the way it should be. */
class ValueCodecTest {
  private static final Task TASK = new Task(new TaskKey("codec-test", 0), List.of(), in -> null, "codec-test", 1, -1);

  /** Encodes with one codec and decodes with another, as two ranks do. */
  private static Object trip(Object value) {
    Object enc = new ValueCodec().encode(value, TASK, 0);
    return new ValueCodec().decode(ByteBuffer.wrap((byte[]) enc), TASK, 0, 1);
  }

  /** Only a private no-argument constructor, which counts its calls. */
  static final class PrivatelyMade {
    static final AtomicInteger MADE = new AtomicInteger();
    int[] shape;
    double[] values;
    String name;

    private PrivatelyMade() {
      MADE.incrementAndGet();
    }

    static PrivatelyMade of(String name, int[] shape, double[] values) {
      PrivatelyMade p = new PrivatelyMade();
      p.name = name;
      p.shape = shape;
      p.values = values;
      return p;
    }
  }

  /** No no-argument constructor; the one there is must not run on decoding (it would throw). */
  static final class ArgumentsOnly {
    final long count;
    final List<String> names;

    ArgumentsOnly(long count, List<String> names) {
      if (count < 0) {
        throw new IllegalArgumentException("count");
      }
      this.count = count;
      this.names = names;
    }
  }

  record Pair(int n, long[] values) {}

  @Test
  void aClassWithAPrivateConstructorIsMadeThroughIt() {
    PrivatelyMade p = PrivatelyMade.of("air", new int[] {12, 25}, new double[] {1.5, Double.NaN, -0.0});
    int before = PrivatelyMade.MADE.get();
    PrivatelyMade back = (PrivatelyMade) trip(p);
    assertEquals(before + 1, PrivatelyMade.MADE.get(), "decoding calls the private constructor once");
    assertNotSame(p, back);
    assertEquals("air", back.name);
    assertArrayEquals(new int[] {12, 25}, back.shape);
    assertArrayEquals(new double[] {1.5, Double.NaN, -0.0}, back.values);
  }

  @Test
  void aClassWithoutANoArgumentConstructorIsMadeWithoutOne() {
    ArgumentsOnly back = (ArgumentsOnly) trip(new ArgumentsOnly(7, List.of("a", "b")));
    assertEquals(7, back.count);
    assertEquals(List.of("a", "b"), back.names);
  }

  @Test
  void recordsCollectionsAndArraysComeBackEqual() {
    Pair back = (Pair) trip(new Pair(3, new long[] {4, 5}));
    assertEquals(3, back.n());
    assertArrayEquals(new long[] {4, 5}, back.values());
    Map<String, Object> m = new HashMap<>();
    m.put("x", 1.5);
    m.put("list", new ArrayList<>(List.of(1, 2L, "three")));
    assertEquals(m, trip(m));
    assertEquals(List.of("a", "b"), trip(List.of("a", "b")));
    assertEquals(Map.of("k", 1), trip(Map.of("k", 1)));
    assertArrayEquals(new String[] {"a", null}, (String[]) trip(new String[] {"a", null}));
  }
}
