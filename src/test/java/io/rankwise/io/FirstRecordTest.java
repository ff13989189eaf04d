package io.rankwise.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rankwise.testing.OneRank;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file's header is cut off its rows where FastCSV ends the first record, whatever the line breaks. */
class FirstRecordTest {
  private static void cut(String text, String header) throws Exception {
    BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    assertEquals(header, new String(TextBlocks.firstRecord(in), StandardCharsets.UTF_8), text);
    assertEquals(text.substring(header.length()), new String(in.readAllBytes(), StandardCharsets.UTF_8), text);
  }

  @Test
  void theHeaderEndsWhereFastCsvEndsTheFirstRecord() throws Exception {
    cut("a,b\n1,2\n", "a,b\n");
    cut("a,b\r\n1,2", "a,b\r\n");
    cut("a,b\r1,2\r", "a,b\r");
    cut("\n\r\n\"x\ny\",b\n1\n", "\n\r\n\"x\ny\",b\n");
    cut("si\"ze,b\n1,2\n", "si\"ze,b\n");
    cut("\"a\"\"b\",c\n1,2\n", "\"a\"\"b\",c\n");
    cut("\"a\",\"b\r\nc\"\r\n1,2\r\n", "\"a\",\"b\r\nc\"\r\n");
    cut("", "");
    cut("a,b", "a,b");
    cut(",\n1,2\n", ",\n");
  }

  @Test
  void filesWithOldMacLineBreaksOrAStrayQuoteInTheHeaderKeepTheirRows(@TempDir Path dir) throws Exception {
    Path cr = Files.writeString(dir.resolve("cr.csv"), "id,v\r1,2\r3,4\r");
    assertEquals(2, OneRank.run(() -> Csv.read(cr.toString()).compute().rows()));
    Path quote = Files.writeString(dir.resolve("quote.csv"), "si\"ze,v\n1,2\n\"3\",4\n");
    assertEquals(2, OneRank.run(() -> Csv.read(quote.toString()).compute().rows()));
    assertEquals("si\"ze", OneRank.run(() -> Csv.read(quote.toString()).columns().get(0)));
  }
}
