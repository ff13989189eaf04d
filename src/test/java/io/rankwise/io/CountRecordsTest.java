package io.rankwise.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Counting CSV records eight bytes at a time gives what a byte-by-byte count gives. */
class CountRecordsTest {
  /**
   * The definition, stated another way than the reader's loop: cut the text at line breaks outside
   * quotes; every piece holding something besides '\r' is a record.
   */
  private static long reference(byte[] b) {
    List<String> pieces = new ArrayList<>();
    StringBuilder piece = new StringBuilder();
    boolean quoted = false;
    for (byte c : b) {
      quoted ^= c == '"';
      if (c == '\n' && !quoted) {
        pieces.add(piece.toString());
        piece.setLength(0);
      } else {
        piece.append((char) c);
      }
    }
    pieces.add(piece.toString());
    return pieces.stream().filter(p -> !p.replace("\r", "").isEmpty()).count();
  }

  /** Hands out the bytes in reads of random lengths (word boundaries fall anywhere). */
  private static InputStream choppy(byte[] b, SplittableRandom r) {
    return new ByteArrayInputStream(b) {
      @Override
      public synchronized int read(byte[] out, int off, int len) {
        return super.read(out, off, Math.min(len, 1 + r.nextInt(40)));
      }
    };
  }

  @Test
  void sameCountAsByteByByte() throws IOException {
    SplittableRandom r = new SplittableRandom(11);
    byte[] alphabet = {'a', 'b', ',', '\n', '\n', '\r', '"', '1'};
    for (int round = 0; round < 3000; round++) {
      byte[] b = new byte[r.nextInt(120)];
      int kinds = 2 + r.nextInt(alphabet.length - 1); // some inputs without quotes or '\r': the fast path
      for (int i = 0; i < b.length; i++) {
        b[i] = alphabet[r.nextInt(kinds)];
      }
      assertEquals(reference(b), TextBlocks.countRecords(choppy(b, r)), new String(b));
      assertEquals(reference(b), TextBlocks.countRecords(new ByteArrayInputStream(b)), new String(b));
    }
  }

  @Test
  void byteFlagsAreExact() {
    SplittableRandom r = new SplittableRandom(5);
    for (int round = 0; round < 10000; round++) {
      long w = r.nextLong();
      if (r.nextBoolean()) {
        w = (w & ~(0xFFL << (8 * r.nextInt(8)))) | (0x0AL << (8 * r.nextInt(8)));
      }
      long want = 0;
      for (int k = 0; k < 8; k++) {
        want |= ((w >>> (8 * k)) & 0xFF) == '\n' ? 0x80L << (8 * k) : 0;
      }
      assertEquals(want, TextBlocks.byteFlags(w, '\n'));
    }
  }
}
