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
      assertEquals(Bags.JSON.readValue(line, LinkedHashMap.class), parse(line), line);
      assertEquals(Bags.JSON.readValue(line, LinkedHashMap.class).getClass(), parse(line).getClass());
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
