package io.rankwise.graph;

import io.rankwise.runtime.Session;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every rank's {@link ExecutionStats} during a session and, when the driver returns,
 * gathers them on rank 0, which writes the performance report given by {@code --report FILE}.
 */
final class Reports {
  static final String PROPERTY = "rankwise.report";

  private Reports() {}

  static boolean enabled() {
    String p = System.getProperty(PROPERTY);
    return p != null && !p.isBlank();
  }

  /** This rank's computes so far; registered for writing at session end on first use. */
  static final class Log {
    final List<ExecutionStats> computes = new ArrayList<>();
  }

  static void record(Session s, ExecutionStats stats) {
    Log log = s.attribute(Log.class, () -> {
      Log l = new Log();
      s.onClose(() -> write(s, l, Path.of(System.getProperty(PROPERTY))));
      return l;
    });
    synchronized (log) {
      log.computes.add(stats);
    }
  }

  private static void write(Session s, Log log, Path file) {
    byte[][] all = s.comm().gather(encode(log.computes), 0);
    if (all == null) {
      return;
    }
    List<List<ExecutionStats>> perRank = new ArrayList<>();
    for (byte[] b : all) {
      perRank.add(decode(b));
    }
    HtmlReport.write(perRank, file, s.size(), s.config().threadsPerRank());
    s.log().info("performance report written to " + file.toAbsolutePath());
  }

  static byte[] encode(List<ExecutionStats> computes) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(computes.size());
      for (ExecutionStats st : computes) {
        out.writeInt(st.rank);
        out.writeInt(st.totalTasks);
        out.writeInt(st.levels);
        out.writeLong(st.planNanos);
        out.writeLong(st.startEpochMillis);
        out.writeLong(st.totalNanos);
        out.writeLong(st.peakHeapBytes);
        out.writeInt(st.steps.size());
        for (ExecutionStats.Step p : st.steps) {
          out.writeInt(p.firstLevel());
          out.writeInt(p.lastLevel());
          out.writeInt(p.tasks());
          out.writeLong(p.computeNanos());
          out.writeLong(p.exchangeNanos());
          out.writeLong(p.bytesSent());
          out.writeLong(p.bytesReceived());
          out.writeLong(p.waitNanos());
          out.writeInt(p.rounds());
          out.writeLong(p.packNanos());
          out.writeLong(p.transferNanos());
          out.writeLong(p.decodeNanos());
        }
        out.writeInt(st.events.size());
        for (ExecutionStats.TaskEvent e : st.events) {
          out.writeUTF(e.label());
          out.writeInt(e.worker());
          out.writeLong(e.startNanos());
          out.writeLong(e.endNanos());
        }
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<ExecutionStats> decode(byte[] data) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
      int n = in.readInt();
      List<ExecutionStats> out = new ArrayList<>(n);
      for (int c = 0; c < n; c++) {
        ExecutionStats st = new ExecutionStats(in.readInt(), in.readInt(), in.readInt(), in.readLong());
        st.startEpochMillis = in.readLong();
        st.totalNanos = in.readLong();
        st.peakHeapBytes = in.readLong();
        int steps = in.readInt();
        for (int i = 0; i < steps; i++) {
          st.steps.add(new ExecutionStats.Step(in.readInt(), in.readInt(), in.readInt(), in.readLong(),
              in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readInt(), in.readLong(), in.readLong(),
              in.readLong()));
        }
        int events = in.readInt();
        for (int i = 0; i < events; i++) {
          st.events.add(new ExecutionStats.TaskEvent(in.readUTF(), in.readInt(), in.readLong(), in.readLong()));
        }
        out.add(st);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
