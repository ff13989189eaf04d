package io.rankwise.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** TextBlocks.chunks hands out whole lines, every byte once, whatever the reads and line lengths. */
class ChunksTest {
  @Test
  void chunksAreWholeLinesAndCoverTheInput() throws IOException {
    SplittableRandom r = new SplittableRandom(9);
    for (int round = 0; round < 200; round++) {
      StringBuilder sb = new StringBuilder();
      for (int i = r.nextInt(30); i >= 0; i--) {
        int len = r.nextInt(10) == 0 ? 70_000 + r.nextInt(100_000) : r.nextInt(40); // some longer than the buffer
        for (int k = 0; k < len; k++) {
          sb.append((char) ('a' + r.nextInt(26)));
        }
        if (i > 0 || r.nextBoolean()) {
          sb.append(r.nextInt(5) == 0 ? "\r\n" : "\n");
        }
      }
      byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
      ByteArrayInputStream in = new ByteArrayInputStream(text) {
        @Override
        public synchronized int read(byte[] b, int off, int len) {
          return super.read(b, off, Math.min(len, 1 + r.nextInt(50_000))); // short reads
        }
      };
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      List<Integer> ends = new ArrayList<>();
      TextBlocks.chunks(in, (buf, from, to) -> {
        assertTrue(to > from, "no empty chunks");
        all.write(buf, from, to - from);
        ends.add(all.size());
      });
      assertEquals(sb.toString(), all.toString(StandardCharsets.UTF_8), "every byte once, in order");
      for (int k = 0; k < ends.size(); k++) {
        boolean last = k == ends.size() - 1;
        assertTrue(text[ends.get(k) - 1] == '\n' || (last && ends.get(k) == text.length),
            "a chunk ends after a line break, or at the end of the input");
      }
    }
  }
}
