package io.rankwise.bag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JSON lines built into maps from Jackson's tokens give what Jackson's data binding gives. */
class JsonRecordTest {
  static Object parse(String line) throws Exception {
    byte[] b = ("xx" + line + "yy").getBytes(StandardCharsets.UTF_8);
    return Bags.record(b, 2, b.length - 4);
  }

  @Test
  void sameValuesAsDataBinding() throws Exception {
    for (String line : List.of("{}", "{\"a\": 1, \"b\": [1, 2.5, \"x\", null, true, false, {\"c\": []}]}",
        "{\"big\": 12345678901, \"huge\": 123456789012345678901234567890, \"neg\": -7, \"e\": 1e-3}",
        "{\"uni\": \"Zo\\u00eb \u00c5ngstr\u00f6m \\\"q\\\"\", \"nested\": {\"deep\": {\"deeper\": [[1], [2, [3]]]}}}",
        "{\"dup\": 1, \"dup\": 2}")) {
      assertEquals(Bags.json().readValue(line, LinkedHashMap.class), parse(line), line);
      assertEquals(Bags.json().readValue(line, LinkedHashMap.class).getClass(), parse(line).getClass());
    }
    assertEquals(Integer.class, ((java.util.Map<?, ?>) parse("{\"n\": 5}")).get("n").getClass());
    assertEquals(Long.class, ((java.util.Map<?, ?>) parse("{\"n\": 5000000000}")).get("n").getClass());
  }

  @Test
  void aLineMustHoldOneObject() {
    assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class, () -> parse("[1, 2]"));
    assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class, () -> parse("{\"a\": 1} {\"b\": 2}"));
    assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class, () -> parse("{\"a\": "));
  }
}

/** JSON lines read with one parser per chunk of lines give what reading each line on its own gives. */
class JsonChunkTest {
  private static final String[] FRAGMENTS = {"{\"a\": 1}", "{\"a\": [1, {\"b\": null}], \"c\": \"x y\"}", "  {\"t\": true}  ",
      "{\"u\": \"\u00e9\u4e2d\"}\r", "", "   ", "\t\r", "{\"a\": 1} {\"b\": 2}", "{\"a\": 1}\r{\"b\": 2}", "[1, 2]", "7",
      "{\"open\": [1,", "2]}", "{\"a\": oops}", "}", "{\"a\": 1}  x", "\"s\"", "{\"n\": 12345678901234567890123}",
      "{\u0000\"\u0000a\u0000\"\u0000:\u00001\u0000}\u0000"}; // the last: UTF-16LE bytes (Jackson sniffs them)

  private record Read(List<Object> items, long skipped, String first) {}

  private static Read read(Bags.ChunkParser parser, byte[] text, java.util.SplittableRandom cuts) {
    List<Object> items = new java.util.ArrayList<>();
    Bags.Lines lines = new Bags.Lines(java.nio.file.Path.of("t.json"), null, 0, Bags.OnError.SKIP, items::add);
    int from = 0;
    while (from < text.length) { // chunks of whole lines, cut at random line breaks
      int to = from;
      for (int lines2 = 1 + cuts.nextInt(4); lines2 > 0 && to < text.length; lines2--) {
        while (to < text.length && text[to++] != '\n') {
          // to the next break
        }
      }
      parser.parse(text, from, to, lines);
      from = to;
    }
    return new Read(items, lines.skipped, lines.firstSkipped);
  }

  @Test
  void sameRecordsAndBadLinesAsLineByLine() {
    Bags.ChunkParser byLine = Bags.byLine((file, line, buf, off, len, out) -> {
      if (!Bags.blank(buf, off, len)) {
        out.add(Bags.jsonLine(file, line, buf, off, len));
      }
    });
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    int withBadLines = 0;
    for (int round = 0; round < 300; round++) {
      StringBuilder sb = new StringBuilder();
      for (int i = r.nextInt(12); i >= 0; i--) {
        sb.append(FRAGMENTS[r.nextInt(FRAGMENTS.length)]);
        if (i > 0 || r.nextBoolean()) {
          sb.append('\n');
        }
      }
      byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
      Read want = read(byLine, text, new java.util.SplittableRandom(round));
      Read got = read(Bags.JSON_RECORDS, text, new java.util.SplittableRandom(round));
      assertEquals(want, got, sb.toString());
      withBadLines += want.skipped() > 0 ? 1 : 0;
    }
    org.junit.jupiter.api.Assertions.assertTrue(withBadLines > 50 && withBadLines < 290, "bad lines in " + withBadLines);
  }

  @Test
  void failModeNamesTheLine() {
    byte[] text = "{\"a\": 1}\n\n{\"a\": [1,\n2]}\n".getBytes(StandardCharsets.UTF_8);
    Bags.Lines lines = new Bags.Lines(java.nio.file.Path.of("t.json"), null, 0, Bags.OnError.FAIL, o -> { });
    BagException e = assertThrows(BagException.class, () -> Bags.JSON_RECORDS.parse(text, 0, text.length, lines));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("t.json, line 3: not valid JSON"), e.getMessage());
  }
}
