package io.rankwise.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rankwise.frame.Column;
import io.rankwise.frame.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The CSV reader's string dictionary: one code per distinct word whatever its length, chars or
 * place in the buffer; a string column whose dictionary starts from another block's words ends up
 * exactly as one read from scratch (the same values, codes in order of first appearance, only the
 * words it holds).
 */
class CharDictionaryTest {
  private static CsvColumns.ColumnBuilder filled(List<String> values, CsvColumns.CharDictionary seed) {
    CsvColumns.ColumnBuilder b = new CsvColumns.ColumnBuilder("s", ColumnType.STRING, seed);
    for (int i = 0; i < values.size(); i++) {
      char[] v = values.get(i) == null ? new char[0] : values.get(i).toCharArray();
      b.set(i, v, 0, v.length);
    }
    return b;
  }

  private static Object field(Column c, String name) throws Exception {
    java.lang.reflect.Field f = Column.class.getDeclaredField(name);
    f.setAccessible(true);
    return f.get(c);
  }

  @Test
  void aSeededColumnEqualsAnUnseededOne() throws Exception {
    Random r = new Random(7);
    for (int trial = 0; trial < 200; trial++) {
      List<String> words = new ArrayList<>();
      for (int w = 0; w < 1 + r.nextInt(30); w++) {
        words.add("w" + r.nextInt(40));
      }
      List<String> before = new ArrayList<>();
      List<String> block = new ArrayList<>();
      for (int i = 0; i < r.nextInt(50); i++) {
        before.add(words.get(r.nextInt(words.size())));
      }
      for (int i = 0; i < r.nextInt(80); i++) {
        block.add(r.nextInt(10) == 0 ? null : words.get(r.nextInt(words.size())) + (r.nextInt(5) == 0 ? "x" : ""));
      }
      CsvColumns.CharDictionary seed = filled(before, null).dict;
      Column plain = filled(block, null).build(block.size());
      Column seeded = filled(block, seed).build(block.size());
      assertArrayEquals((int[]) field(plain, "data"), (int[]) field(seeded, "data"));
      assertArrayEquals((String[]) field(plain, "dictionary"), (String[]) field(seeded, "dictionary"));
      for (int i = 0; i < block.size(); i++) {
        if (block.get(i) == null) {
          assertNull(seeded.getString(i));
        } else {
          assertEquals(block.get(i), seeded.getString(i));
        }
      }
      assertEquals(seed.size(), filled(before, null).dict.size(), "the seed itself is left as it was");
    }
  }

  @Test
  void oneCodePerDistinctWordInOrderOfFirstAppearance() {
    Random r = new Random(11);
    char[] alphabet = {'a', 'b', 'Z', ' ', '\u00e9', '\u0416', '\u0000', '9', '\uffff'};
    for (int trial = 0; trial < 300; trial++) {
      List<String> pool = new ArrayList<>();
      pool.add("NA");
      pool.add(" n/a");
      for (int w = 0; w < 1 + r.nextInt(40); w++) {
        StringBuilder sb = new StringBuilder();
        int len = r.nextInt(13);
        for (int k = 0; k < len; k++) {
          sb.append(alphabet[r.nextInt(r.nextBoolean() ? 3 : alphabet.length)]);
        }
        pool.add(sb.toString());
      }
      CsvColumns.CharDictionary d = new CsvColumns.CharDictionary();
      java.util.Map<String, Integer> expected = new java.util.LinkedHashMap<>();
      for (int i = 0; i < 200; i++) {
        String w = pool.get(r.nextInt(pool.size()));
        // the word somewhere in a buffer, with other chars after it, or right at its end
        int before = r.nextInt(5);
        int after = r.nextBoolean() ? 0 : r.nextInt(10);
        char[] buf = new char[before + w.length() + after];
        java.util.Arrays.fill(buf, alphabet[r.nextInt(alphabet.length)]);
        w.getChars(0, w.length(), buf, before);
        if (Csv.isNull(w)) { // pandas' null tokens ("", blanks, NA, ...) are nulls, not words
          assertEquals(-1, d.code(buf, before, w.length()), "null '" + w + "' in trial " + trial);
          continue;
        }
        expected.putIfAbsent(w, expected.size());
        assertEquals(expected.get(w), d.code(buf, before, w.length()), "word '" + w + "' in trial " + trial);
      }
      assertArrayEquals(expected.keySet().toArray(String[]::new), d.values());
    }
  }
}
