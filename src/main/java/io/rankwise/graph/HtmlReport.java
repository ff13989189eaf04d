package io.rankwise.graph;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The performance report ({@code --report FILE}): one self-contained HTML file (inline CSS and SVG,
 * no scripts, nothing fetched from the network) written by rank 0 from every rank's
 * {@link ExecutionStats}.
 *
 * <p>It shows a header (date, ranks x threads, computes, total wall time), a per-rank table over
 * the whole run, a table of all computes, and for each of the first {@value #DETAILED_COMPUTES}
 * computes a section with its summary, a Dask-like task stream (one lane per rank and worker slot,
 * one rectangle per task coloured by label, exchange periods as grey bands), the label legend,
 * per-superstep compute/exchange bars and tables, and a per-rank table. Hovering any rectangle shows
 * its details (SVG {@code <title>}).
 *
 * <p>Size is bounded: a compute with more task events than {@value #MAX_RECTS_PER_COMPUTE} (or its
 * share of {@value #MAX_RECTS_TOTAL} for the whole report) first merges consecutive same-label
 * tasks on a lane that are less than a pixel apart, and if that is not enough draws only the
 * longest rectangles, saying so. Legends and tables always count every event.
 */
final class HtmlReport {
  /** Computes shown with a full section; the rest appear only in the computes table. */
  static final int DETAILED_COMPUTES = 20;
  /** Rectangles drawn in one compute's task stream at most. */
  static final int MAX_RECTS_PER_COMPUTE = 20_000;
  /** Rectangles drawn in all task streams together at most (split among the computes). */
  static final int MAX_RECTS_TOTAL = 200_000;
  static final int MIN_RECTS_PER_COMPUTE = 2_000;
  static final int MAX_LEGEND_ROWS = 40;
  static final int MAX_STEP_ROWS = 500;
  static final int MAX_STEP_RANK_ROWS = 2_000;
  static final int MAX_STEP_SEGMENTS = 20_000;

  /**
   * Label colours, Tableau-like without greys (grey means communication in this report): ten clearly
   * different hues first, then ten lighter ones.
   */
  private static final String[] PALETTE = {
    "#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#edc948", "#76b7b2", "#ff9da7", "#9c755f", "#17becf",
    "#a0cbe8", "#ffbe7d", "#ff9d9a", "#8cd17d", "#d4a6c8", "#f1ce63", "#86bcb6", "#fabfd2", "#d7b5a6", "#6b6ecf"
  };
  private static final int TIER = 10;
  private static final String COMPUTE_COLOUR = "#5b8db8";
  private static final String EXCHANGE_COLOUR = "#b3b3b3";
  private static final String BAND_COLOUR = "#e3e3e3";
  private static final String BUSY_COLOUR = "#d5dde8";
  private static final String[] LANE_BACKGROUND = {"#fafbfc", "#f1f3f6"};
  /** SVG presentation attributes (not CSS, so the pictures survive being copied out of the page). */
  private static final String GRID = " stroke=\"#e9ecf0\"";
  private static final String AXIS = " stroke=\"#667085\"";
  private static final String BOUNDARY = " stroke=\"#bdbdbd\" stroke-dasharray=\"3 3\"";

  /** SVG geometry: total width, label column, right margin, plot width. */
  private static final int W = 1200;
  private static final int LEFT = 112;
  private static final int RIGHT = 24;
  private static final int PLOT = W - LEFT - RIGHT;

  private static final long[] POW10 = {1, 10, 100, 1000, 10_000, 100_000, 1_000_000};
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT).withZone(ZoneId.systemDefault());

  private static final String CSS = """
      :root{color-scheme:light}
      body{margin:0;background:#f3f4f6;color:#1f2328;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,\
      "Helvetica Neue",Arial,sans-serif}
      main{max-width:1280px;margin:0 auto;padding:20px 24px 40px}
      h1{font-size:26px;margin:0 0 2px}
      h2{font-size:19px;margin:0 0 10px}
      h3{font-size:15px;margin:18px 0 6px}
      section{background:#fff;border:1px solid #d9dde3;border-radius:8px;padding:16px 20px;margin:16px 0}
      .muted{color:#667085}
      .cards{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
      .card{background:#f6f8fa;border:1px solid #e3e7ec;border-radius:6px;padding:5px 12px;min-width:90px}
      .card b{display:block;font-size:16px;font-variant-numeric:tabular-nums}
      .card span{font-size:12px;color:#667085}
      .note{color:#7a4d00;background:#fff7e0;border:1px solid #f0d9a0;border-radius:4px;padding:5px 9px}
      .scroll{overflow-x:auto}
      table{border-collapse:collapse;font-size:13px;margin:4px 0}
      th,td{padding:3px 10px;border-bottom:1px solid #eceff3;text-align:right;white-space:nowrap}
      th{background:#f6f8fa;font-weight:600;border-bottom:1px solid #d9dde3}
      td{font-variant-numeric:tabular-nums}
      th.l,td.l{text-align:left}
      td.lbl{text-align:left;max-width:420px;overflow:hidden;text-overflow:ellipsis}
      tr.tot td{font-weight:600;border-top:1px solid #d9dde3}
      .sw{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:-1px;margin-right:4px}
      details{margin:6px 0}
      summary{cursor:pointer;color:#344054}
      svg{display:block;max-width:100%;height:auto}
      svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:11px}
      a{color:#2f6fb3;text-decoration:none}
      a:hover{text-decoration:underline}
      footer{margin-top:20px;font-size:12px;color:#667085}
      """;

  private final List<List<ExecutionStats>> perRank;
  private final int ranks;
  private final int threads;
  private final int computes;
  private final Map<String, Integer> labelIndex = new HashMap<>();
  private final List<String> labels = new ArrayList<>();
  private final List<String> colours = new ArrayList<>();
  private final ComputeSummary[] summaries;
  private final int rectLimit;
  private final StringBuilder sb = new StringBuilder(1 << 16);
  private Writer out;

  private HtmlReport(List<List<ExecutionStats>> perRank, int ranks, int threadsPerRank) {
    this.perRank = perRank == null ? List.of() : perRank;
    this.ranks = ranks;
    this.threads = Math.max(1, threadsPerRank);
    int n = 0;
    for (List<ExecutionStats> l : this.perRank) {
      n = Math.max(n, l == null ? 0 : l.size());
    }
    this.computes = n;
    assignColours();
    summaries = new ComputeSummary[computes];
    int withEvents = 0;
    for (int k = 0; k < computes; k++) {
      summaries[k] = summarize(k);
      if (k < DETAILED_COMPUTES && summaries[k].events > 0) {
        withEvents++;
      }
    }
    rectLimit = Math.min(MAX_RECTS_PER_COMPUTE,
        Math.max(MIN_RECTS_PER_COMPUTE, MAX_RECTS_TOTAL / Math.max(1, withEvents)));
  }

  /**
   * Writes the report for {@code perRank.get(r)} = rank r's computes (same count and order on
   * every rank).
   *
   * @throws UncheckedIOException if the file cannot be written
   */
  static void write(List<List<ExecutionStats>> perRank, Path file, int ranks, int threadsPerRank) {
    HtmlReport report = new HtmlReport(perRank, ranks, threadsPerRank);
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        report.out = w;
        report.render();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the performance report " + file.toAbsolutePath() + ": " + e, e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Data

  /** One compute, aggregated over ranks. */
  private record ComputeSummary(int tasks, int levels, int steps, long wall, long plan, long maxCompute,
      long maxExchange, long sent, long received, long peakHeap, long events, long startMillis, long tasksRun) {}

  /** One rectangle of the task stream: a task, or several merged same-label tasks on one lane. */
  private record Bar(int rank, int slot, int label, long start, long end, int count, long busy) {}

  private ExecutionStats stat(int r, int k) {
    List<ExecutionStats> l = perRank.get(r);
    return l != null && k < l.size() ? l.get(k) : null;
  }

  private int rankCount() {
    return perRank.size();
  }

  private static String labelOf(ExecutionStats.TaskEvent e) {
    return e.label() == null ? "(unnamed)" : e.label();
  }

  /**
   * Gives every label a colour: the slot its hash picks in the first tier of the palette, or the
   * next free one there, then likewise in the second tier (so up to 20 labels never share a colour,
   * and up to 10 get clearly different ones); beyond the palette, evenly spread hues.
   */
  private void assignColours() {
    TreeSet<String> all = new TreeSet<>();
    for (List<ExecutionStats> l : perRank) {
      if (l == null) {
        continue;
      }
      for (ExecutionStats st : l) {
        String last = null;
        for (ExecutionStats.TaskEvent e : st.events) {
          String s = labelOf(e);
          if (!s.equals(last)) {
            all.add(s);
            last = s;
          }
        }
      }
    }
    boolean[] used = new boolean[PALETTE.length];
    int extra = 0;
    for (String s : all) {
      labelIndex.put(s, labels.size());
      labels.add(s);
      int h = s.hashCode();
      h ^= h >>> 16;
      int slot = Math.floorMod(h, TIER);
      String c = null;
      for (int i = 0; i < PALETTE.length && c == null; i++) {
        int p = (i / TIER) * TIER + (slot + i) % TIER;
        if (!used[p]) {
          used[p] = true;
          c = PALETTE[p];
        }
      }
      if (c == null) {
        double hue = (extra++ * 137.508 + 17) % 360;
        c = String.format(Locale.ROOT, "hsl(%.0f,55%%,%d%%)", hue, 52 + (extra % 3) * 8);
      }
      colours.add(c);
    }
  }

  private ComputeSummary summarize(int k) {
    int tasks = 0;
    int levels = 0;
    int steps = 0;
    long wall = 0;
    long plan = 0;
    long maxCompute = 0;
    long maxExchange = 0;
    long sent = 0;
    long received = 0;
    long heap = 0;
    long events = 0;
    long start = 0;
    long run = 0;
    boolean first = true;
    for (int r = 0; r < rankCount(); r++) {
      ExecutionStats st = stat(r, k);
      if (st == null) {
        continue;
      }
      if (first) {
        tasks = st.totalTasks;
        levels = st.levels;
        start = st.startEpochMillis;
        first = false;
      }
      steps = Math.max(steps, st.steps.size());
      wall = Math.max(wall, st.totalNanos);
      plan = Math.max(plan, st.planNanos);
      long c = 0;
      long x = 0;
      for (ExecutionStats.Step p : st.steps) {
        c += p.computeNanos();
        x += p.exchangeNanos();
        sent += p.bytesSent();
        received += p.bytesReceived();
        run += p.tasks();
      }
      maxCompute = Math.max(maxCompute, c);
      maxExchange = Math.max(maxExchange, x);
      heap = Math.max(heap, st.peakHeapBytes);
      events += st.events.size();
    }
    return new ComputeSummary(tasks, levels, steps, wall, plan, maxCompute, maxExchange, sent, received, heap, events,
        start, run);
  }

  /** Length of compute k's time axis: everything any rank recorded fits. */
  private long span(int k) {
    long span = 1;
    for (int r = 0; r < rankCount(); r++) {
      ExecutionStats st = stat(r, k);
      if (st == null) {
        continue;
      }
      span = Math.max(span, st.totalNanos);
      long t = 0;
      for (ExecutionStats.Step p : st.steps) {
        t += p.computeNanos() + p.exchangeNanos();
      }
      span = Math.max(span, t);
      for (ExecutionStats.TaskEvent e : st.events) {
        span = Math.max(span, e.endNanos());
      }
    }
    return span;
  }

  // ---------------------------------------------------------------------------------------------
  // Document

  private void render() throws IOException {
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>Rankwise performance report</title>\n<style>\n").append(CSS);
    sb.append("</style>\n</head>\n<body>\n<main>\n");
    header();
    if (computes == 0) {
      sb.append("<section><p>No computes were recorded in this session.</p></section>\n");
    } else {
      rankTable();
      computeTable();
      for (int k = 0; k < Math.min(computes, DETAILED_COMPUTES); k++) {
        computeSection(k);
        flush();
      }
      if (computes > DETAILED_COMPUTES) {
        sb.append("<p class=\"note\">Details are shown for the first ").append(DETAILED_COMPUTES).append(" of ")
            .append(computes).append(" computes; the computes table above lists all of them.</p>\n");
      }
    }
    sb.append("<footer>Generated by Rankwise. Self-contained: no scripts, nothing loaded from the network. ")
        .append("Hover over bars for details.</footer>\n</main>\n</body>\n</html>\n");
    flush();
  }

  private void flush() throws IOException {
    out.append(sb);
    sb.setLength(0);
  }

  private void flushIfLarge() throws IOException {
    if (sb.length() > (1 << 20)) {
      flush();
    }
  }

  private void header() {
    long first = computes > 0 ? summaries[0].startMillis : 0;
    long wall = 0;
    long plan = 0;
    long moved = 0;
    long heap = 0;
    long tasks = 0;
    for (ComputeSummary s : summaries) {
      wall += s.wall;
      plan += s.plan;
      moved += s.sent;
      heap = Math.max(heap, s.peakHeap);
      tasks += s.tasks;
    }
    String date = first > 0 ? DATE.format(Instant.ofEpochMilli(first)) : "unknown date";
    sb.append("<header>\n<h1>Rankwise performance report</h1>\n<p class=\"muted\">").append(esc(date))
        .append(" &middot; ").append(ranks).append(" rank").append(ranks == 1 ? "" : "s").append(" &times; ")
        .append(threads).append(" thread").append(threads == 1 ? "" : "s").append(" per rank &middot; ")
        .append(computes).append(" compute").append(computes == 1 ? "" : "s").append(" &middot; total wall time ")
        .append(nanos(wall)).append("</p>\n<div class=\"cards\">\n");
    card("Started", esc(date));
    card("Ranks &times; threads", ranks + " &times; " + threads);
    card("Computes", Integer.toString(computes));
    card("Total wall time", nanos(wall));
    if (computes > 1 && first > 0) {
      ComputeSummary last = summaries[computes - 1];
      if (last.startMillis >= first) {
        long elapsed = (last.startMillis - first) * 1_000_000L + last.wall;
        card("First to last compute", nanos(elapsed));
      }
    }
    card("Planning", nanos(plan));
    card("Tasks", group(tasks));
    card("Data exchanged", bytes(moved));
    card("Peak heap / rank", bytes(heap));
    sb.append("</div>\n</header>\n");
  }

  /** value is trusted markup (numbers, entities); use esc() for anything user-provided. */
  private void card(String name, String value) {
    sb.append("<div class=\"card\"><b>").append(value).append("</b><span>").append(name).append("</span></div>\n");
  }

  // ---------------------------------------------------------------------------------------------
  // Whole-run tables

  private void rankTable() {
    int n = rankCount();
    long[] wall = new long[n];
    long[] comp = new long[n];
    long[] exch = new long[n];
    long[] sent = new long[n];
    long[] recv = new long[n];
    long[] heap = new long[n];
    long[] run = new long[n];
    for (int r = 0; r < n; r++) {
      List<ExecutionStats> l = perRank.get(r);
      if (l == null) {
        continue;
      }
      for (ExecutionStats st : l) {
        wall[r] += st.totalNanos;
        heap[r] = Math.max(heap[r], st.peakHeapBytes);
        for (ExecutionStats.Step p : st.steps) {
          comp[r] += p.computeNanos();
          exch[r] += p.exchangeNanos();
          sent[r] += p.bytesSent();
          recv[r] += p.bytesReceived();
          run[r] += p.tasks();
        }
      }
    }
    long maxWall = 1;
    for (int r = 0; r < n; r++) {
      maxWall = Math.max(maxWall, Math.max(wall[r], comp[r] + exch[r]));
    }
    sb.append("<section>\n<h2>Ranks</h2>\n<p class=\"muted\">Totals over all computes. Exchange time includes ")
        .append("waiting for the slowest rank to reach the exchange, so a large share often means load imbalance.")
        .append(" Bar: <span class=\"sw\" style=\"background:").append(COMPUTE_COLOUR).append("\"></span>compute ")
        .append("<span class=\"sw\" style=\"background:").append(EXCHANGE_COLOUR).append("\"></span>exchange, ")
        .append("relative to the longest rank.</p>\n<div class=\"scroll\"><table>\n<tr><th>Rank</th><th>Wall</th>")
        .append("<th>Compute</th><th>Exchange</th><th>Exchange share</th><th>Tasks run</th><th>Sent</th>")
        .append("<th>Received</th><th>Peak heap</th><th class=\"l\">Compute / exchange</th></tr>\n");
    long[] tot = new long[6];
    long maxHeap = 0;
    for (int r = 0; r < n; r++) {
      sb.append("<tr><td>").append(r).append("</td><td>").append(nanos(wall[r])).append("</td><td>")
          .append(nanos(comp[r])).append("</td><td>").append(nanos(exch[r])).append("</td><td>")
          .append(percent(exch[r], comp[r] + exch[r])).append("</td><td>").append(group(run[r])).append("</td><td>")
          .append(bytes(sent[r])).append("</td><td>").append(bytes(recv[r])).append("</td><td>")
          .append(bytes(heap[r])).append("</td><td class=\"l\">");
      double cw = 180.0 * comp[r] / maxWall;
      double xw = 180.0 * exch[r] / maxWall;
      sb.append("<svg width=\"180\" height=\"10\" viewBox=\"0 0 180 10\">")
          .append("<rect fill=\"").append(LANE_BACKGROUND[1]).append("\" width=\"180\" height=\"10\"/>")
          .append("<rect class=\"cs\" fill=\"").append(COMPUTE_COLOUR).append("\" width=\"");
      fixed(sb, cw, 1);
      sb.append("\" height=\"10\"><title>rank ").append(r).append(": compute ").append(nanos(comp[r]))
          .append("</title></rect><rect class=\"xs\" fill=\"")
          .append(EXCHANGE_COLOUR).append("\" x=\"");
      fixed(sb, cw, 1);
      sb.append("\" width=\"");
      fixed(sb, xw, 1);
      sb.append("\" height=\"10\"><title>rank ").append(r).append(": exchange ").append(nanos(exch[r]))
          .append("</title></rect></svg></td></tr>\n");
      tot[0] += wall[r];
      tot[1] += comp[r];
      tot[2] += exch[r];
      tot[3] += run[r];
      tot[4] += sent[r];
      tot[5] += recv[r];
      maxHeap = Math.max(maxHeap, heap[r]);
    }
    if (n > 1) {
      sb.append("<tr class=\"tot\"><td class=\"l\">all</td><td>").append(nanos(tot[0])).append("</td><td>")
          .append(nanos(tot[1])).append("</td><td>").append(nanos(tot[2])).append("</td><td>")
          .append(percent(tot[2], tot[1] + tot[2])).append("</td><td>").append(group(tot[3])).append("</td><td>")
          .append(bytes(tot[4])).append("</td><td>").append(bytes(tot[5])).append("</td><td>max ")
          .append(bytes(maxHeap)).append("</td><td></td></tr>\n");
    }
    sb.append("</table></div>\n</section>\n");
  }

  private void computeTable() {
    sb.append("<section>\n<h2>Computes</h2>\n<p class=\"muted\">Wall, compute and exchange: the slowest rank. ")
        .append("Moved: bytes sent by all ranks.</p>\n<div class=\"scroll\"><table>\n<tr><th>#</th>")
        .append("<th class=\"l\">Started</th><th>Tasks</th><th>Levels</th><th>Supersteps</th><th>Wall</th>")
        .append("<th>Planning</th><th>Compute</th><th>Exchange</th><th>Moved</th><th>Peak heap / rank</th>")
        .append("<th>Task events</th></tr>\n");
    DateTimeFormatter time = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneId.systemDefault());
    for (int k = 0; k < computes; k++) {
      ComputeSummary s = summaries[k];
      sb.append("<tr><td>");
      if (k < DETAILED_COMPUTES) {
        sb.append("<a href=\"#c").append(k + 1).append("\">").append(k + 1).append("</a>");
      } else {
        sb.append(k + 1);
      }
      sb.append("</td><td class=\"l\">")
          .append(s.startMillis > 0 ? time.format(Instant.ofEpochMilli(s.startMillis)) : "&ndash;")
          .append("</td><td>").append(group(s.tasks)).append("</td><td>").append(s.levels).append("</td><td>")
          .append(s.steps).append("</td><td>").append(nanos(s.wall)).append("</td><td>").append(nanos(s.plan))
          .append("</td><td>").append(nanos(s.maxCompute)).append("</td><td>").append(nanos(s.maxExchange))
          .append("</td><td>").append(bytes(s.sent)).append("</td><td>").append(bytes(s.peakHeap)).append("</td><td>")
          .append(s.events == 0 ? "none" : group(s.events)).append("</td></tr>\n");
    }
    sb.append("</table></div>\n</section>\n");
  }

  // ---------------------------------------------------------------------------------------------
  // One compute

  private void computeSection(int k) throws IOException {
    ComputeSummary s = summaries[k];
    long span = span(k);
    int lanesPerRank = threads;
    for (int r = 0; r < rankCount(); r++) {
      ExecutionStats st = stat(r, k);
      if (st != null) {
        for (ExecutionStats.TaskEvent e : st.events) {
          lanesPerRank = Math.max(lanesPerRank, e.worker() + 1);
        }
      }
    }
    sb.append("<section class=\"compute\" id=\"c").append(k + 1).append("\">\n<h2>Compute ").append(k + 1);
    if (s.startMillis > 0) {
      sb.append(" <span class=\"muted\">started ").append(esc(DATE.format(Instant.ofEpochMilli(s.startMillis))))
          .append("</span>");
    }
    sb.append("</h2>\n<div class=\"cards\">\n");
    card("Tasks", group(s.tasks));
    card("Levels", Integer.toString(s.levels));
    card("Supersteps", Integer.toString(s.steps));
    card("Wall time", nanos(s.wall));
    card("Planning", nanos(s.plan));
    card("Bytes moved", bytes(s.sent));
    card("Peak heap / rank", bytes(s.peakHeap));
    long busy = 0;
    long capacity = 0;
    for (int r = 0; r < rankCount(); r++) {
      ExecutionStats st = stat(r, k);
      if (st != null) {
        capacity += st.totalNanos * lanesPerRank;
        for (ExecutionStats.TaskEvent e : st.events) {
          busy += Math.max(0, e.endNanos() - e.startNanos());
        }
      }
    }
    if (s.events > 0) {
      card("Worker utilisation", percent(busy, capacity));
    }
    sb.append("</div>\n<h3>Task stream</h3>\n");
    if (s.events == 0) {
      sb.append("<p class=\"muted\">Task stream: no task events recorded for this compute.</p>\n");
    } else {
      taskStream(k, span, lanesPerRank);
      legend(k, busy);
    }
    flushIfLarge();
    sb.append("<h3>Supersteps</h3>\n");
    stepChart(k, span);
    stepTables(k);
    sb.append("<h3>Per rank</h3>\n");
    computeRankTable(k);
    sb.append("</section>\n");
  }

  private void taskStream(int k, long span, int lanesPerRank) throws IOException {
    int n = rankCount();
    long total = summaries[k].events;
    List<Bar> bars = new ArrayList<>();
    List<Bar> busySpans = List.of();
    String note = null;
    if (total <= rectLimit) {
      for (int r = 0; r < n; r++) {
        ExecutionStats st = stat(r, k);
        if (st == null) {
          continue;
        }
        for (ExecutionStats.TaskEvent e : st.events) {
          bars.add(new Bar(r, Math.max(0, e.worker()), labelIndex.get(labelOf(e)), e.startNanos(), e.endNanos(), 1,
              Math.max(0, e.endNanos() - e.startNanos())));
        }
      }
    } else {
      long pixel = Math.max(1, span / PLOT);
      for (int r = 0; r < n; r++) {
        ExecutionStats st = stat(r, k);
        if (st != null) {
          merge(r, st, lanesPerRank, pixel, false, bars);
        }
      }
      if (bars.size() <= rectLimit) {
        note = group(total) + " task events drawn as " + group(bars.size())
            + (bars.size() == 1 ? " rectangle" : " rectangles") + ": consecutive tasks with "
            + "the same label on the same worker less than a pixel apart are merged (hover shows how many).";
      } else {
        int merged = bars.size();
        // when each worker was busy (any label), so that sampling does not fake idle time
        busySpans = new ArrayList<>();
        for (int r = 0; r < n; r++) {
          ExecutionStats st = stat(r, k);
          if (st != null) {
            merge(r, st, lanesPerRank, pixel, true, busySpans);
          }
        }
        if (busySpans.size() > rectLimit / 2) {
          busySpans = List.of();
        }
        bars = sample(bars, rectLimit - busySpans.size(), pixel);
        note = "Sampled: " + group(total) + " task events (" + group(merged) + " rectangles after merging same-label "
            + "tasks less than a pixel apart) exceed the limit of " + group(rectLimit) + " rectangles for this "
            + "compute, so " + group(bars.size()) + " are drawn: the widest, and an even sample of the rest"
            + (busySpans.isEmpty() ? "" : ", over a pale shading of when each worker was busy") + ". The legend "
            + "and tables count every event.";
      }
    }
    if (note != null) {
      sb.append("<p class=\"note\">").append(esc(note)).append("</p>\n");
    }

    int lanes = n * lanesPerRank;
    double laneH = Math.min(14, Math.max(1.0, 1400.0 / Math.max(1, lanes)));
    double gap = laneH >= 8 ? 4 : 1;
    double blockH = laneH * lanesPerRank;
    double top = 6;
    double plotBottom = top + n * blockH + (n - 1) * gap;
    double height = plotBottom + 36;
    double pad = laneH >= 6 ? 1 : 0;
    double scale = (double) PLOT / span;

    svgOpen(height, "task stream of compute " + (k + 1));
    // rank backgrounds
    for (int r = 0; r < n; r++) {
      double y = top + r * (blockH + gap);
      sb.append("<rect fill=\"").append(LANE_BACKGROUND[r % 2]).append("\" x=\"").append(LEFT).append("\" y=\"");
      fixed(sb, y, 1);
      sb.append("\" width=\"").append(PLOT).append("\" height=\"");
      fixed(sb, blockH, 1);
      sb.append("\"/>\n");
    }
    long step = niceStep(span, 8);
    grid(span, step, top, plotBottom);
    // exchange bands and superstep boundaries, per rank
    int bandBudget = MAX_STEP_SEGMENTS;
    for (int r = 0; r < n; r++) {
      ExecutionStats st = stat(r, k);
      if (st == null) {
        continue;
      }
      double y = top + r * (blockH + gap);
      long t = 0;
      for (int i = 0; i < st.steps.size() && bandBudget > 0; i++) {
        ExecutionStats.Step p = st.steps.get(i);
        if (i > 0) {
          double x = LEFT + t * scale;
          sb.append("<line").append(BOUNDARY).append(" x1=\"");
          fixed(sb, x, 1);
          sb.append("\" x2=\"");
          fixed(sb, x, 1);
          sb.append("\" y1=\"");
          fixed(sb, y, 1);
          sb.append("\" y2=\"");
          fixed(sb, y + blockH, 1);
          sb.append("\"/>\n");
        }
        long ex0 = t + p.computeNanos();
        t = ex0 + p.exchangeNanos();
        if (p.exchangeNanos() > 0) {
          bandBudget--;
          sb.append("<rect class=\"x\" fill=\"").append(BAND_COLOUR).append("\" x=\"");
          fixed(sb, LEFT + ex0 * scale, 1);
          sb.append("\" y=\"");
          fixed(sb, y, 1);
          sb.append("\" width=\"");
          fixed(sb, Math.max(0.5, p.exchangeNanos() * scale), 1);
          sb.append("\" height=\"");
          fixed(sb, blockH, 1);
          sb.append("\"><title>rank ").append(r).append(", superstep ").append(i + 1).append(" (")
              .append(levelRange(p)).append("): exchange ").append(nanos(p.exchangeNanos())).append(waiting(p))
              .append(", sent ").append(bytes(p.bytesSent())).append(", received ").append(bytes(p.bytesReceived()))
              .append("</title></rect>\n");
        }
      }
    }
    // busy shading under sampled tasks
    if (!busySpans.isEmpty()) {
      sb.append("<g fill=\"").append(BUSY_COLOUR).append("\">\n");
      for (Bar b : busySpans) {
        sb.append("<rect class=\"u\" x=\"");
        fixed(sb, LEFT + Math.max(0, b.start) * scale, 1);
        sb.append("\" y=\"");
        fixed(sb, top + b.rank * (blockH + gap) + b.slot * laneH + pad, 1);
        sb.append("\" width=\"");
        double w = Math.max(0.4, (b.end - b.start) * scale);
        fixed(sb, w, w < 10 ? 2 : 1);
        sb.append("\" height=\"");
        fixed(sb, Math.max(0.5, laneH - 2 * pad), 1);
        sb.append("\"><title>rank ").append(b.rank).append(", slot ").append(b.slot).append(": ")
            .append(group(b.count)).append(b.count == 1 ? " task, " : " tasks, ");
        fixed(sb, b.start / 1e6, 3);
        sb.append("&ndash;");
        fixed(sb, b.end / 1e6, 3);
        sb.append(" ms (busy ").append(nanos(b.busy)).append(")</title></rect>\n");
        flushIfLarge();
      }
      sb.append("</g>\n");
    }
    // tasks, grouped by label (one fill per group)
    bars.sort(Comparator.comparingInt(Bar::label).thenComparingInt(Bar::rank).thenComparingInt(Bar::slot)
        .thenComparingLong(Bar::start));
    int group = -1;
    for (Bar b : bars) {
      if (b.label != group) {
        sb.append(group < 0 ? "" : "</g>\n").append("<g fill=\"").append(colours.get(b.label)).append("\">\n");
        group = b.label;
      }
      double x = LEFT + Math.max(0, b.start) * scale;
      double w = Math.max(0.4, (b.end - b.start) * scale);
      double y = top + b.rank * (blockH + gap) + b.slot * laneH + pad;
      sb.append("<rect class=\"t\" x=\"");
      fixed(sb, x, 1);
      sb.append("\" y=\"");
      fixed(sb, y, 1);
      sb.append("\" width=\"");
      fixed(sb, w, w < 10 ? 2 : 1);
      sb.append("\" height=\"");
      fixed(sb, Math.max(0.5, laneH - 2 * pad), 1);
      sb.append("\"><title>").append(esc(labels.get(b.label)));
      if (b.count > 1) {
        sb.append(" &times;").append(group(b.count));
      }
      sb.append(", rank ").append(b.rank).append(", slot ").append(b.slot).append(", ");
      fixed(sb, b.start / 1e6, 3);
      sb.append("&ndash;");
      fixed(sb, b.end / 1e6, 3);
      sb.append(" ms (");
      if (b.count > 1) {
        sb.append("busy ");
      }
      sb.append(nanos(b.busy)).append(")</title></rect>\n");
      flushIfLarge();
    }
    if (group >= 0) {
      sb.append("</g>\n");
    }
    // lane labels
    for (int r = 0; r < n; r++) {
      double y = top + r * (blockH + gap);
      if (laneH >= 9) {
        for (int w = 0; w < lanesPerRank; w++) {
          sb.append("<text x=\"").append(LEFT - 6).append("\" y=\"");
          fixed(sb, y + w * laneH + laneH / 2 + 4, 1);
          sb.append("\" text-anchor=\"end\">rank ").append(r).append(" / ").append(w).append("</text>\n");
        }
      } else {
        int every = (int) Math.ceil(12 / (blockH + gap));
        if (r % Math.max(1, every) == 0) {
          sb.append("<text x=\"").append(LEFT - 6).append("\" y=\"");
          fixed(sb, y + blockH / 2 + 4, 1);
          sb.append("\" text-anchor=\"end\">rank ").append(r).append("</text>\n");
        }
      }
    }
    axis(span, step, plotBottom, "time since the compute started");
    sb.append("</svg>\n</div>\n");
    sb.append("<p class=\"muted\">One lane per rank and worker thread (&ldquo;rank r / w&rdquo;). ")
        .append("<span class=\"sw\" style=\"background:").append(BAND_COLOUR).append("\"></span>grey bands: ")
        .append("exchanges between supersteps; dashed lines: superstep boundaries");
    if (!busySpans.isEmpty()) {
      sb.append("; <span class=\"sw\" style=\"background:").append(BUSY_COLOUR).append("\"></span>pale shading: ")
          .append("worker busy (tasks not drawn in this sample)");
    }
    sb.append(".</p>\n");
  }

  /**
   * Keeps at most {@code budget} bars: the widest (at least two pixels; up to half the budget), then
   * an even sample of the rest in lane and time order, so that no rank or period is favoured.
   */
  private static List<Bar> sample(List<Bar> bars, int budget, long pixel) {
    List<Bar> bySize = new ArrayList<>(bars);
    bySize.sort(Comparator.comparingLong((Bar b) -> b.end - b.start).reversed());
    int wide = 0;
    while (wide < bySize.size() && wide < budget / 2 && bySize.get(wide).end - bySize.get(wide).start >= 2 * pixel) {
      wide++;
    }
    List<Bar> kept = new ArrayList<>(bySize.subList(0, wide));
    List<Bar> rest = new ArrayList<>(bySize.subList(wide, bySize.size()));
    rest.sort(Comparator.comparingInt(Bar::rank).thenComparingInt(Bar::slot).thenComparingLong(Bar::start));
    int m = Math.min(rest.size(), budget - wide);
    for (int i = 0; i < m; i++) {
      kept.add(rest.get((int) ((long) i * rest.size() / m)));
    }
    return kept;
  }

  /**
   * Adds lane-merged bars for one rank: consecutive tasks on a worker less than {@code pixel} apart
   * with the same label (or with any label, as label -1, if {@code anyLabel}).
   */
  private void merge(int r, ExecutionStats st, int lanesPerRank, long pixel, boolean anyLabel, List<Bar> bars) {
    List<List<ExecutionStats.TaskEvent>> lanes = new ArrayList<>();
    for (int w = 0; w < lanesPerRank; w++) {
      lanes.add(new ArrayList<>());
    }
    for (ExecutionStats.TaskEvent e : st.events) {
      lanes.get(Math.max(0, e.worker())).add(e);
    }
    for (int w = 0; w < lanesPerRank; w++) {
      List<ExecutionStats.TaskEvent> lane = lanes.get(w);
      lane.sort(Comparator.comparingLong(ExecutionStats.TaskEvent::startNanos));
      int label = -1;
      long start = 0;
      long end = 0;
      int count = 0;
      long busy = 0;
      for (ExecutionStats.TaskEvent e : lane) {
        int l = anyLabel ? -1 : labelIndex.get(labelOf(e));
        long d = Math.max(0, e.endNanos() - e.startNanos());
        if (count > 0 && l == label && e.startNanos() - end <= pixel) {
          end = Math.max(end, e.endNanos());
          count++;
          busy += d;
          continue;
        }
        if (count > 0) {
          bars.add(new Bar(r, w, label, start, end, count, busy));
        }
        label = l;
        start = e.startNanos();
        end = e.endNanos();
        count = 1;
        busy = d;
      }
      if (count > 0) {
        bars.add(new Bar(r, w, label, start, end, count, busy));
      }
    }
  }

  private void legend(int k, long busy) {
    int n = labels.size();
    long[] count = new long[n];
    long[] time = new long[n];
    for (int r = 0; r < rankCount(); r++) {
      ExecutionStats st = stat(r, k);
      if (st == null) {
        continue;
      }
      for (ExecutionStats.TaskEvent e : st.events) {
        int l = labelIndex.get(labelOf(e));
        count[l]++;
        time[l] += Math.max(0, e.endNanos() - e.startNanos());
      }
    }
    Integer[] order = new Integer[n];
    int m = 0;
    for (int i = 0; i < n; i++) {
      if (count[i] > 0) {
        order[m++] = i;
      }
    }
    Integer[] used = Arrays.copyOf(order, m);
    Arrays.sort(used, Comparator.comparingLong((Integer i) -> time[i]).reversed().thenComparing(i -> i));
    sb.append("<h3>Task labels</h3>\n<div class=\"scroll\"><table>\n<tr><th class=\"l\">Label</th><th>Tasks</th>")
        .append("<th>Total time</th><th>Share</th><th>Mean</th></tr>\n");
    long otherCount = 0;
    long otherTime = 0;
    for (int j = 0; j < used.length; j++) {
      int i = used[j];
      if (j >= MAX_LEGEND_ROWS) {
        otherCount += count[i];
        otherTime += time[i];
        continue;
      }
      String label = esc(labels.get(i));
      sb.append("<tr><td class=\"lbl\" title=\"").append(label).append("\"><span class=\"sw\" style=\"background:")
          .append(colours.get(i)).append("\"></span>").append(label).append("</td><td>").append(group(count[i]))
          .append("</td><td>").append(nanos(time[i])).append("</td><td>").append(percent(time[i], busy))
          .append("</td><td>").append(nanos(time[i] / count[i])).append("</td></tr>\n");
    }
    if (used.length > MAX_LEGEND_ROWS) {
      sb.append("<tr><td class=\"l muted\">").append(used.length - MAX_LEGEND_ROWS).append(" more labels</td><td>")
          .append(group(otherCount)).append("</td><td>").append(nanos(otherTime)).append("</td><td>")
          .append(percent(otherTime, busy)).append("</td><td>").append(nanos(otherTime / Math.max(1, otherCount)))
          .append("</td></tr>\n");
    }
    sb.append("</table></div>\n");
  }

  /** One row per rank: its supersteps back to back, compute then exchange. */
  private void stepChart(int k, long span) {
    int n = rankCount();
    long segments = 0;
    for (int r = 0; r < n; r++) {
      ExecutionStats st = stat(r, k);
      segments += st == null ? 0 : 2L * st.steps.size();
    }
    if (segments == 0) {
      sb.append("<p class=\"muted\">No supersteps recorded.</p>\n");
      return;
    }
    if (segments > MAX_STEP_SEGMENTS) {
      sb.append("<p class=\"note\">").append(group(segments)).append(" superstep segments are too many to draw; ")
          .append("see the tables below.</p>\n");
      return;
    }
    double rowH = Math.min(16, Math.max(2, 480.0 / n));
    double gap = rowH >= 8 ? 3 : 0;
    double top = 6;
    double plotBottom = top + n * (rowH + gap) - gap;
    double scale = (double) PLOT / span;
    sb.append("<p class=\"muted\"><span class=\"sw\" style=\"background:").append(COMPUTE_COLOUR)
        .append("\"></span>compute <span class=\"sw\" style=\"background:").append(EXCHANGE_COLOUR)
        .append("\"></span>exchange, per rank, supersteps back to back.</p>\n");
    svgOpen(plotBottom + 36, "supersteps per rank of compute " + (k + 1));
    long step = niceStep(span, 8);
    grid(span, step, top, plotBottom);
    for (int r = 0; r < n; r++) {
      ExecutionStats st = stat(r, k);
      if (st == null) {
        continue;
      }
      double y = top + r * (rowH + gap);
      long t = 0;
      for (int i = 0; i < st.steps.size(); i++) {
        ExecutionStats.Step p = st.steps.get(i);
        segment(COMPUTE_COLOUR, t, p.computeNanos(), y, rowH, scale);
        sb.append("<title>rank ").append(r).append(", superstep ").append(i + 1).append(" (").append(levelRange(p))
            .append("): compute ").append(nanos(p.computeNanos())).append(", ").append(group(p.tasks()))
            .append(" tasks</title></rect>\n");
        t += p.computeNanos();
        if (p.exchangeNanos() > 0) {
          segment(EXCHANGE_COLOUR, t, p.exchangeNanos(), y, rowH, scale);
          sb.append("<title>rank ").append(r).append(", superstep ").append(i + 1).append(": exchange ")
              .append(nanos(p.exchangeNanos())).append(waiting(p)).append(", sent ").append(bytes(p.bytesSent()))
              .append(", received ").append(bytes(p.bytesReceived())).append("</title></rect>\n");
        }
        t += p.exchangeNanos();
      }
      int every = (int) Math.ceil(12 / (rowH + gap));
      if (r % Math.max(1, every) == 0) {
        sb.append("<text x=\"").append(LEFT - 6).append("\" y=\"");
        fixed(sb, y + rowH / 2 + 4, 1);
        sb.append("\" text-anchor=\"end\">rank ").append(r).append("</text>\n");
      }
    }
    axis(span, step, plotBottom, "time since the compute started");
    sb.append("</svg>\n</div>\n");
  }

  /** Opens a rect (caller appends the title and closes it). */
  private void segment(String fill, long t, long d, double y, double h, double scale) {
    sb.append("<rect fill=\"").append(fill).append("\" x=\"");
    fixed(sb, LEFT + t * scale, 1);
    sb.append("\" y=\"");
    fixed(sb, y, 1);
    sb.append("\" width=\"");
    double w = Math.max(0.4, d * scale);
    fixed(sb, w, w < 10 ? 2 : 1);
    sb.append("\" height=\"");
    fixed(sb, h, 1);
    sb.append("\">");
  }

  private void stepTables(int k) {
    int n = rankCount();
    int steps = summaries[k].steps;
    if (steps == 0) {
      return;
    }
    sb.append("<div class=\"scroll\"><table>\n<tr><th>Superstep</th><th>Levels</th><th>Tasks</th>")
        .append("<th>Compute max</th><th>Compute min</th><th>Exchange max</th><th>Exchange min</th>")
        .append("<th>Sent (all ranks)</th><th>Received (all ranks)</th></tr>\n");
    for (int i = 0; i < Math.min(steps, MAX_STEP_ROWS); i++) {
      String levels = "";
      long tasks = 0;
      long cmax = 0;
      long cmin = Long.MAX_VALUE;
      long xmax = 0;
      long xmin = Long.MAX_VALUE;
      long sent = 0;
      long recv = 0;
      for (int r = 0; r < n; r++) {
        ExecutionStats st = stat(r, k);
        if (st == null || i >= st.steps.size()) {
          continue;
        }
        ExecutionStats.Step p = st.steps.get(i);
        if (levels.isEmpty()) {
          levels = levelRange(p);
        }
        tasks += p.tasks();
        cmax = Math.max(cmax, p.computeNanos());
        cmin = Math.min(cmin, p.computeNanos());
        xmax = Math.max(xmax, p.exchangeNanos());
        xmin = Math.min(xmin, p.exchangeNanos());
        sent += p.bytesSent();
        recv += p.bytesReceived();
      }
      sb.append("<tr><td>").append(i + 1).append("</td><td>").append(levels).append("</td><td>").append(group(tasks))
          .append("</td><td>").append(nanos(cmax)).append("</td><td>")
          .append(cmin == Long.MAX_VALUE ? "&ndash;" : nanos(cmin)).append("</td><td>").append(nanos(xmax))
          .append("</td><td>").append(xmin == Long.MAX_VALUE ? "&ndash;" : nanos(xmin)).append("</td><td>")
          .append(bytes(sent)).append("</td><td>").append(bytes(recv)).append("</td></tr>\n");
    }
    sb.append("</table></div>\n");
    if (steps > MAX_STEP_ROWS) {
      sb.append("<p class=\"muted\">First ").append(MAX_STEP_ROWS).append(" of ").append(steps)
          .append(" supersteps shown.</p>\n");
    }
    sb.append("<details><summary>Each rank in each superstep</summary>\n<div class=\"scroll\"><table>\n")
        .append("<tr><th>Superstep</th><th>Rank</th><th>Tasks</th><th>Compute</th><th>Exchange</th>")
        .append("<th>Sent</th><th>Received</th></tr>\n");
    int rows = 0;
    outer:
    for (int i = 0; i < steps; i++) {
      for (int r = 0; r < n; r++) {
        ExecutionStats st = stat(r, k);
        if (st == null || i >= st.steps.size()) {
          continue;
        }
        if (rows++ >= MAX_STEP_RANK_ROWS) {
          break outer;
        }
        ExecutionStats.Step p = st.steps.get(i);
        sb.append("<tr><td>").append(i + 1).append("</td><td>").append(r).append("</td><td>")
            .append(group(p.tasks())).append("</td><td>").append(nanos(p.computeNanos())).append("</td><td>")
            .append(nanos(p.exchangeNanos())).append("</td><td>").append(bytes(p.bytesSent())).append("</td><td>")
            .append(bytes(p.bytesReceived())).append("</td></tr>\n");
      }
    }
    sb.append("</table></div>\n");
    if (rows > MAX_STEP_RANK_ROWS) {
      sb.append("<p class=\"muted\">First ").append(MAX_STEP_RANK_ROWS).append(" rows shown.</p>\n");
    }
    sb.append("</details>\n");
  }

  private void computeRankTable(int k) {
    sb.append("<div class=\"scroll\"><table>\n<tr><th>Rank</th><th>Wall</th><th>Compute</th><th>Exchange</th>")
        .append("<th>Other</th><th>Tasks run</th><th>Task time</th><th>Sent</th><th>Received</th>")
        .append("<th>Peak heap</th></tr>\n");
    for (int r = 0; r < rankCount(); r++) {
      ExecutionStats st = stat(r, k);
      if (st == null) {
        continue;
      }
      long c = 0;
      long x = 0;
      long sent = 0;
      long recv = 0;
      for (ExecutionStats.Step p : st.steps) {
        c += p.computeNanos();
        x += p.exchangeNanos();
        sent += p.bytesSent();
        recv += p.bytesReceived();
      }
      long busy = 0;
      for (ExecutionStats.TaskEvent e : st.events) {
        busy += Math.max(0, e.endNanos() - e.startNanos());
      }
      sb.append("<tr><td>").append(r).append("</td><td>").append(nanos(st.totalNanos)).append("</td><td>")
          .append(nanos(c)).append("</td><td>").append(nanos(x)).append("</td><td>")
          .append(nanos(Math.max(0, st.totalNanos - c - x))).append("</td><td>").append(group(st.tasksRun()))
          .append("</td><td>").append(st.events.isEmpty() ? "&ndash;" : nanos(busy)).append("</td><td>")
          .append(bytes(sent)).append("</td><td>").append(bytes(recv)).append("</td><td>")
          .append(bytes(st.peakHeapBytes)).append("</td></tr>\n");
    }
    sb.append("</table></div>\n<p class=\"muted\">Other: wall time outside supersteps' compute and exchange ")
        .append("(bookkeeping). Task time: sum of recorded task durations over all workers.</p>\n");
  }

  // ---------------------------------------------------------------------------------------------
  // SVG pieces

  private void svgOpen(double height, String what) {
    sb.append("<div class=\"scroll\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W)
        .append("\" height=\"");
    fixed(sb, height, 0);
    sb.append("\" viewBox=\"0 0 ").append(W).append(' ');
    fixed(sb, height, 0);
    sb.append("\" font-family=\"system-ui, sans-serif\" font-size=\"11\" fill=\"#344054\"")
        .append(" role=\"img\" aria-label=\"").append(esc(what)).append("\">\n");
  }

  private void grid(long span, long step, double top, double bottom) {
    double scale = (double) PLOT / span;
    for (long t = 0; t <= span; t += step) {
      double x = LEFT + t * scale;
      sb.append("<line").append(GRID).append(" x1=\"");
      fixed(sb, x, 1);
      sb.append("\" x2=\"");
      fixed(sb, x, 1);
      sb.append("\" y1=\"");
      fixed(sb, top, 1);
      sb.append("\" y2=\"");
      fixed(sb, bottom, 1);
      sb.append("\"/>\n");
    }
  }

  private void axis(long span, long step, double y, String caption) {
    double scale = (double) PLOT / span;
    long div;
    String unit;
    if (span < 2_000_000L) {
      div = 1_000;
      unit = "µs";
    } else if (span < 20_000_000_000L) {
      div = 1_000_000;
      unit = "ms";
    } else {
      div = 1_000_000_000;
      unit = "s";
    }
    int decimals = (int) Math.max(0, Math.min(6, -Math.floor(Math.log10((double) step / div) + 1e-9)));
    double ay = y + 2;
    sb.append("<line").append(AXIS).append(" x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + PLOT)
        .append("\" y1=\"");
    fixed(sb, ay, 1);
    sb.append("\" y2=\"");
    fixed(sb, ay, 1);
    sb.append("\"/>\n");
    for (long t = 0; t <= span; t += step) {
      double x = LEFT + t * scale;
      sb.append("<line").append(AXIS).append(" x1=\"");
      fixed(sb, x, 1);
      sb.append("\" x2=\"");
      fixed(sb, x, 1);
      sb.append("\" y1=\"");
      fixed(sb, ay, 1);
      sb.append("\" y2=\"");
      fixed(sb, ay + 4, 1);
      sb.append("\"/><text x=\"");
      fixed(sb, x, 1);
      sb.append("\" y=\"");
      fixed(sb, ay + 16, 1);
      sb.append("\" text-anchor=\"middle\">");
      fixed(sb, (double) t / div, decimals);
      sb.append("</text>\n");
    }
    sb.append("<text x=\"").append(LEFT + PLOT).append("\" y=\"");
    fixed(sb, ay + 31, 1);
    sb.append("\" text-anchor=\"end\" fill=\"#667085\">").append(esc(caption)).append(" (").append(unit)
        .append(")</text>\n");
  }

  /** A 1, 2 or 5 times a power of ten giving about {@code target} ticks over {@code span}. */
  /**
   * " in N rounds" for an exchange of several rounds, then " (of which waiting N for other ranks)"
   * when the exchange began with a wait, and what moving the data took: packing, the all-to-alls,
   * decoding (when measured: reports of older runs have none).
   */
  static String waiting(ExecutionStats.Step p) {
    long moving = p.packNanos() + p.transferNanos() + p.decodeNanos();
    return (p.rounds() > 1 ? " in " + p.rounds() + " rounds" : "")
        + (p.waitNanos() > 0 ? " (of which waiting for other ranks " + nanos(p.waitNanos()) + ")" : "")
        + (moving > 0 ? "; packing " + nanos(p.packNanos()) + ", all-to-all " + nanos(p.transferNanos())
            + ", decoding " + nanos(p.decodeNanos()) : "");
  }

  static long niceStep(long span, int target) {
    double raw = Math.max(1.0, (double) span / target);
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double norm = raw / mag;
    double nice = norm < 1.5 ? 1 : norm < 3.5 ? 2 : norm < 7.5 ? 5 : 10;
    return Math.max(1, Math.round(nice * mag));
  }

  // ---------------------------------------------------------------------------------------------
  // Formatting

  private static String levelRange(ExecutionStats.Step p) {
    return p.firstLevel() == p.lastLevel() ? "level " + p.firstLevel()
        : "levels " + p.firstLevel() + "&ndash;" + p.lastLevel();
  }

  /** Human time: ns, µs, ms, s, min, h. */
  static String nanos(long ns) {
    if (ns < 0) {
      return "-" + nanos(ns == Long.MIN_VALUE ? Long.MAX_VALUE : -ns);
    }
    if (ns < 1_000) {
      return ns + " ns";
    }
    if (ns < 1_000_000) {
      return sig(ns / 1e3) + " µs";
    }
    if (ns < 1_000_000_000) {
      return sig(ns / 1e6) + " ms";
    }
    double s = ns / 1e9;
    if (s < 60) {
      return sig(s) + " s";
    }
    long secs = Math.round(s);
    if (secs < 3600) {
      return secs / 60 + " min " + secs % 60 + " s";
    }
    return secs / 3600 + " h " + (secs % 3600) / 60 + " min";
  }

  /** Human size in binary units: B, KiB, MiB, GiB, TiB. */
  static String bytes(long b) {
    if (b < 0) {
      return "-" + bytes(b == Long.MIN_VALUE ? Long.MAX_VALUE : -b);
    }
    if (b < 1024) {
      return b + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = b;
    int i = -1;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, v < 100 ? "%.1f %s" : "%.0f %s", v, units[i]);
  }

  private static String sig(double v) {
    return String.format(Locale.ROOT, v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%.0f", v);
  }

  private static String percent(long part, long whole) {
    if (whole <= 0) {
      return "&ndash;";
    }
    return String.format(Locale.ROOT, "%.0f%%", 100.0 * part / whole);
  }

  /** 1234567 as 1,234,567 (thin separators would need a font that has them). */
  private static String group(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  /** Appends v with exactly {@code decimals} decimals, fast (no String.format). */
  static void fixed(StringBuilder sb, double v, int decimals) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      sb.append('0');
      return;
    }
    long p = POW10[decimals];
    long t = Math.round(Math.abs(v) * p);
    if (v < 0 && t != 0) {
      sb.append('-');
    }
    sb.append(t / p);
    if (decimals > 0) {
      sb.append('.');
      String f = Long.toString(t % p);
      for (int i = f.length(); i < decimals; i++) {
        sb.append('0');
      }
      sb.append(f);
    }
  }

  /**
   * Escapes text for HTML element content and attribute values (also inside inline SVG):
   * {@code & < > " '}, control characters and unpaired surrogates (which UTF-8 cannot encode).
   */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep = switch (c) {
        case '&' -> "&amp;";
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        case '"' -> "&quot;";
        case '\'' -> "&#39;";
        default -> null;
      };
      if (rep == null) {
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
          rep = "\uFFFD";
        } else if (Character.isHighSurrogate(c)) {
          if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            if (b != null) {
              b.append(c).append(s.charAt(i + 1));
            }
            i++;
            continue;
          }
          rep = "\uFFFD";
        } else if (Character.isLowSurrogate(c)) {
          rep = "\uFFFD";
        }
      }
      if (rep != null) {
        if (b == null) {
          b = new StringBuilder(s.length() + 16).append(s, 0, i);
        }
        b.append(rep);
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? s : b.toString();
  }
}
