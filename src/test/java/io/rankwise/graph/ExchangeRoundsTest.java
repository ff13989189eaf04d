package io.rankwise.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a message to one rank is cut into the rounds of an exchange, and what each round carries. */
class ExchangeRoundsTest {
  /** A message of values of the given sizes (each entry takes 8 more bytes: id and length). */
  private static ValueCodec.Message message(int... sizes) {
    ValueCodec.Message m = new ValueCodec.Message();
    for (int i = 0; i < sizes.length; i++) {
      byte[] v = new byte[sizes[i]];
      java.util.Arrays.fill(v, (byte) i);
      m.add(100 + i, v);
    }
    return m;
  }

  @Test
  void wholeEntriesWhileTheyFitAndAtLeastOnePerRound() {
    // entries of 18, 28, 8 and 108 bytes
    ValueCodec.Message m = message(10, 20, 0, 100);
    assertArrayEquals(new int[] {0, 4}, m.rounds(1 << 20), "all in one round");
    assertArrayEquals(new int[] {0, 2, 3, 4}, m.rounds(50), "18 + 28 fit in 50; 8 + 108 do not");
    assertArrayEquals(new int[] {0, 1, 2, 3, 4}, m.rounds(10), "each entry alone, even when larger than the budget");
    assertArrayEquals(new int[] {0, 1, 3, 4}, m.rounds(36), "18 | 28 + 8 | 108");
    assertArrayEquals(new int[] {0, 0}, new ValueCodec.Message().rounds(100), "nothing: one empty round");
  }

  @Test
  void theRoundsTogetherCarryTheMessageInOrder() {
    ValueCodec.Message m = message(10, 20, 0, 100, 3, 7);
    ByteBuffer whole = m.writeTo(ByteBuffer.allocate(m.bytes()));
    for (long budget : new long[] {1, 20, 40, 64, 1000}) {
      int[] cuts = m.rounds(budget);
      ByteBuffer joined = ByteBuffer.allocate(m.bytes());
      long total = 0;
      for (int r = 0; r + 1 < cuts.length; r++) {
        long b = m.bytes(cuts[r], cuts[r + 1]);
        int start = joined.position();
        m.writeTo(joined, cuts[r], cuts[r + 1]);
        assertEquals(b, joined.position() - start, "round " + r + " writes what it counts");
        total += b;
        if (cuts[r + 1] - cuts[r] > 1) {
          assertEquals(true, b <= budget, "a round of several entries fits the budget " + budget);
        }
      }
      assertEquals(m.bytes(), total);
      assertArrayEquals(whole.array(), joined.array(), "budget " + budget);
      List<Integer> ids = new ArrayList<>();
      ValueCodec.entries(joined.flip(), (id, v) -> ids.add(id));
      assertEquals(List.of(100, 101, 102, 103, 104, 105), ids);
    }
  }
}
