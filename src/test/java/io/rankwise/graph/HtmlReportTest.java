package io.rankwise.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML performance report: content, escaping, and bounded size for big task streams. */
class HtmlReportTest {
  private static final long MS = 1_000_000L;
  private static final long MIB = 1L << 20;

  @TempDir
  Path dir;

  /** Rank r's first compute: two supersteps, events on both worker slots, a label needing escapes. */
  private static ExecutionStats recorded(int rank) {
    ExecutionStats st = new ExecutionStats(rank, 8, 3, 2 * MS);
    st.startEpochMillis = 1_700_000_000_000L;
    st.totalNanos = 10 * MS + rank * MS;
    st.peakHeapBytes = 64 * MIB + rank;
    st.steps.add(new ExecutionStats.Step(0, 1, 3, 4 * MS, 2 * MS, 1536, 2048, MS / 2));
    st.steps.add(new ExecutionStats.Step(2, 2, 1, 3 * MS, 0, 0, 0));
    st.events.add(new ExecutionStats.TaskEvent("load", 0, 0, 2 * MS));
    st.events.add(new ExecutionStats.TaskEvent("load", 1, 0, 3 * MS));
    st.events.add(new ExecutionStats.TaskEvent("a<b&c", 0, 2 * MS, 4 * MS));
    st.events.add(new ExecutionStats.TaskEvent("sum", 1, 6 * MS, 9 * MS));
    return st;
  }

  /** Rank r's second compute: recording off (no events). */
  private static ExecutionStats unrecorded(int rank) {
    ExecutionStats st = new ExecutionStats(rank, 4, 1, MS);
    st.startEpochMillis = 1_700_000_001_000L;
    st.totalNanos = 5 * MS;
    st.peakHeapBytes = 32 * MIB;
    st.steps.add(new ExecutionStats.Step(0, 0, 2, 5 * MS, 0, 0, 0));
    return st;
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }

  private Path writeTwoByTwo() {
    List<List<ExecutionStats>> perRank = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      perRank.add(List.of(recorded(r), unrecorded(r)));
    }
    Path file = dir.resolve("report.html");
    HtmlReport.write(perRank, file, 2, 2);
    return file;
  }

  @Test
  void reportShowsHeaderLanesLabelsAndUnits() throws IOException {
    Path file = writeTwoByTwo();
    assertTrue(Files.isRegularFile(file));
    String html = Files.readString(file, StandardCharsets.UTF_8);

    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertTrue(html.contains("Rankwise performance report"));
    assertTrue(html.contains("2 ranks &times; 2 threads per rank"), "ranks x threads in the header");
    assertTrue(html.contains("2 computes"));
    // total wall time: max over ranks per compute, summed: 11 ms + 5 ms
    assertTrue(html.contains("total wall time 16.0 ms"), "total wall time");
    assertTrue(html.contains("<svg"));
    assertTrue(html.contains("id=\"c1\"") && html.contains("id=\"c2\""), "one section per compute");

    // exactly one lane label per (rank, worker slot): only compute 1 has a task stream
    for (int r = 0; r < 2; r++) {
      for (int w = 0; w < 2; w++) {
        assertEquals(1, count(html, ">rank " + r + " / " + w + "</text>"), "lane rank " + r + " / " + w);
      }
    }
    assertEquals(0, count(html, ">rank 0 / 2</text>"), "no lane beyond the thread count");

    // one task rectangle per event (4 per rank), with a tooltip naming label, rank, slot and times
    assertEquals(8, count(html, "<rect class=\"t\""));
    assertTrue(html.contains("<title>sum, rank 1, slot 1, 6.000&ndash;9.000 ms (3.00 ms)</title>"));
    // legend: labels with totals (load: 2 ranks x (2 + 3) ms)
    assertTrue(html.contains(">load</td><td>4</td><td>10.0 ms</td>"), "legend row for load");
    assertTrue(html.contains(">sum</td>"));

    // summary line values and human units
    assertTrue(html.contains("1.5 KiB"), "bytes sent per step");
    assertTrue(html.contains("3.0 KiB"), "bytes moved: 1536 B on each of 2 ranks");
    assertTrue(html.contains("64.0 MiB"), "peak heap");
    assertTrue(html.contains("2.00 ms"), "planning time");
    // exchange band for superstep 1 on each rank, with the bytes
    assertEquals(2, count(html, "<rect class=\"x\""));
    assertTrue(html.contains(
        "rank 0, superstep 1 (levels 0&ndash;1): exchange 2.00 ms (of which waiting for other ranks 500 µs), sent "
        + "1.5 KiB, received 2.0 KiB"));

    // compute 2 had recording off
    assertEquals(1, count(html, "no task events recorded"));
    assertFalse(html.contains("<link") || html.contains("src=") || html.contains("url("), "no external resources");
    assertFalse(html.contains("<script"));
  }

  /** Packing, all-to-all and decoding times travel with the statistics and show in the titles. */
  @Test
  void theExchangesPartsTravelAndShow() {
    ExecutionStats st = new ExecutionStats(0, 4, 2, MS);
    st.steps.add(new ExecutionStats.Step(0, 1, 3, 4 * MS, 9 * MS, 1536, 2048, 2 * MS, 14, 3 * MS, MS, MS / 2));
    ExecutionStats.Step back = Reports.decode(Reports.encode(List.of(st))).get(0).steps.get(0);
    assertEquals(st.steps.get(0), back, "every field, through the report's encoding");
    assertEquals(" in 14 rounds (of which waiting for other ranks 2.00 ms); packing 3.00 ms, all-to-all 1.00 ms, "
        + "decoding 500 µs", HtmlReport.waiting(back));
  }

  @Test
  void theWaitForOtherRanksIsShownApartAndTravelsWithTheStatistics() throws IOException {
    String html = Files.readString(writeTwoByTwo(), StandardCharsets.UTF_8);
    assertTrue(html.contains("exchange 2.00 ms (of which waiting for other ranks 500 µs)"), "superstep titles");
    ExecutionStats.Step back = Reports.decode(Reports.encode(List.of(recorded(1)))).get(0).steps.get(0);
    assertEquals(MS / 2, back.waitNanos());
    assertEquals(2 * MS - MS / 2, back.movingNanos());
  }

  @Test
  void userLabelsAreEscaped() throws IOException {
    String html = Files.readString(writeTwoByTwo(), StandardCharsets.UTF_8);
    assertTrue(html.contains("a&lt;b&amp;c"));
    assertFalse(html.contains("a<b"), "raw label must never appear");
    assertFalse(html.contains("b&c"), "raw ampersand must never appear");
  }

  @Test
  void escapeHandlesQuotesControlsAndBrokenSurrogates() {
    assertEquals("&lt;x y=&quot;1&quot; z=&#39;2&#39;&gt;&amp;", HtmlReport.esc("<x y=\"1\" z='2'>&"));
    assertEquals("a\uFFFDb", HtmlReport.esc("a\u0001b"));
    assertEquals("\uFFFD!", HtmlReport.esc("\uD800!"));
    assertEquals("\uD83D\uDE00", HtmlReport.esc("\uD83D\uDE00"));
    assertEquals("plain", HtmlReport.esc("plain"));
  }

  @Test
  void unitsAreHuman() {
    assertEquals("512 B", HtmlReport.bytes(512));
    assertEquals("1.5 KiB", HtmlReport.bytes(1536));
    assertEquals("2.0 GiB", HtmlReport.bytes(2L << 30));
    assertEquals("750 ns", HtmlReport.nanos(750));
    assertEquals("12.3 ms", HtmlReport.nanos(12_300_000));
    assertEquals("1.50 s", HtmlReport.nanos(1_500_000_000));
    assertEquals("2 min 5 s", HtmlReport.nanos(125_000_000_000L));
  }

  @Test
  void hugeTaskStreamIsSampledAndStaysSmall() throws IOException {
    List<List<ExecutionStats>> perRank = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      ExecutionStats st = new ExecutionStats(r, 50_000, 10, MS);
      st.startEpochMillis = 1_700_000_000_000L;
      st.totalNanos = 2_000 * MS;
      st.peakHeapBytes = 256 * MIB;
      st.steps.add(new ExecutionStats.Step(0, 9, 25_000, 2_000 * MS, 0, 0, 0));
      // 25,000 events per rank on 4 slots; labels alternate along each lane, so nothing merges
      for (int i = 0; i < 25_000; i++) {
        int slot = i % 4;
        long start = (i / 4) * 300_000L;
        st.events.add(new ExecutionStats.TaskEvent((i / 4) % 2 == 0 ? "even" : "odd", slot, start,
            start + 10_000 + (i % 97) * 1_000));
      }
      perRank.add(List.of(st));
    }
    Path file = dir.resolve("big.html");
    HtmlReport.write(perRank, file, 2, 4);
    long size = Files.size(file);
    assertTrue(size < 10L * 1024 * 1024, "report is " + size + " bytes");
    String html = Files.readString(file, StandardCharsets.UTF_8);
    assertTrue(html.contains("Sampled: 50,000 task events"), "says it sampled");
    int tasks = count(html, "<rect class=\"t\"");
    int busy = count(html, "<rect class=\"u\"");
    assertTrue(tasks + busy <= HtmlReport.MAX_RECTS_PER_COMPUTE, tasks + " task and " + busy + " busy rectangles");
    assertTrue(tasks > HtmlReport.MAX_RECTS_PER_COMPUTE / 2, tasks + " task rectangles");
    // the busy shading covers each of the 8 lanes (tasks on a lane are less than a pixel apart)
    assertEquals(8, busy);
    // the even sample reaches the end of the compute on every rank, not only its longest tasks
    for (int r = 0; r < 2; r++) {
      assertTrue(html.contains("rank " + r + ", slot 3, 187"), "late tasks of rank " + r + " drawn");
    }
    // legend counts every event, not only the drawn ones
    assertTrue(html.contains(">even</td><td>25,000</td>"));
  }

  @Test
  void adjacentTinyTasksAreMergedNotDropped() throws IOException {
    ExecutionStats st = new ExecutionStats(0, 30_000, 1, MS);
    st.totalNanos = 30_000 * 10_000L;
    st.steps.add(new ExecutionStats.Step(0, 0, 30_000, st.totalNanos, 0, 0, 0));
    for (int i = 0; i < 30_000; i++) {
      st.events.add(new ExecutionStats.TaskEvent("tiny", 0, i * 10_000L, i * 10_000L + 9_000));
    }
    Path file = dir.resolve("merged.html");
    HtmlReport.write(List.of(List.of(st)), file, 1, 1);
    String html = Files.readString(file, StandardCharsets.UTF_8);
    assertTrue(html.contains("30,000 task events drawn as 1 rectangle:"), "merged note");
    assertTrue(html.contains("tiny &times;30,000, rank 0, slot 0"));
    assertFalse(html.contains("Sampled"));
    assertTrue(html.contains("unknown date"), "no start time recorded");
  }

  @Test
  void manyComputesGetATableAndTwentyDetailedSections() throws IOException {
    List<ExecutionStats> computes = new ArrayList<>();
    for (int k = 0; k < 25; k++) {
      computes.add(unrecorded(0));
    }
    Path file = dir.resolve("many.html");
    HtmlReport.write(List.of(computes), file, 1, 1);
    String html = Files.readString(file, StandardCharsets.UTF_8);
    assertEquals(HtmlReport.DETAILED_COMPUTES, count(html, "<section class=\"compute\""));
    assertTrue(html.contains("first 20 of 25 computes"));
    assertTrue(html.contains("<td>25</td>"), "the table lists every compute");
  }

  @Test
  void noComputesStillWritesAReport() throws IOException {
    Path file = dir.resolve("empty.html");
    HtmlReport.write(List.of(List.of(), List.of()), file, 2, 1);
    assertTrue(Files.readString(file, StandardCharsets.UTF_8).contains("No computes were recorded"));
  }

  @Test
  void writeFailureNamesThePath() throws IOException {
    Path blocker = Files.createFile(dir.resolve("not-a-dir"));
    Path file = blocker.resolve("report.html");
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> HtmlReport.write(List.of(List.of(recorded(0))), file, 1, 2));
    assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()), e.getMessage());
  }
}
