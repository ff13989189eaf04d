package io.rankwise.graph;

import io.rankwise.RankwiseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Pictures of a plan, like Dask's {@code visualize}: one node per task (its operation and block
 * index, filled with its owner rank's colour), one edge per input. {@code .dot} files are written
 * directly; {@code .svg}, {@code .png} and {@code .pdf} go through graphviz's {@code dot}.
 */
public final class Dot {
  /** Above this many tasks the picture is unreadable and graphviz very slow. */
  public static final int MAX_TASKS = 20_000;

  private static final String[] COLOURS = {
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5", "#d9d9d9", "#bc80bd"
  };

  private Dot() {}

  public static String toDot(Plan p) {
    if (p.taskCount() > MAX_TASKS) {
      throw new RankwiseException("the graph has " + p.taskCount() + " tasks; pictures are limited to " + MAX_TASKS
          + " (use larger chunks, or visualize a smaller example of the same pipeline)");
    }
    StringBuilder sb = new StringBuilder("digraph rankwise {\n  rankdir=BT;\n");
    sb.append("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n");
    for (int i = 0; i < p.taskCount(); i++) {
      Task t = p.task(i);
      String colour = COLOURS[p.owner(i) % COLOURS.length];
      String shape = p.isOutput[i] ? ", peripheries=2" : "";
      sb.append(String.format(Locale.ROOT, "  t%d [label=\"%s\\n%s\", fillcolor=\"%s\", tooltip=\"%s on rank %d\"%s];%n",
          i, esc(t.label()), esc(index(t.key())), colour, esc(t.key().toString()), p.owner(i), shape));
    }
    for (int i = 0; i < p.taskCount(); i++) {
      for (int d : p.deps[i]) {
        sb.append("  t").append(d).append(" -> t").append(i).append(";\n");
      }
    }
    return sb.append("}\n").toString();
  }

  /**
   * Writes the picture; the format follows the extension (.dot, .svg, .png, .pdf).
   *
   * @return the file written (a .dot next to the requested one when graphviz is missing)
   */
  public static Path write(Plan p, Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    String text = toDot(p);
    try {
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      if (ext.equals("dot") || ext.equals("gv")) {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
      }
      if (!ext.equals("svg") && !ext.equals("png") && !ext.equals("pdf")) {
        throw new RankwiseException("cannot write a graph picture as '" + name + "': use .svg, .png, .pdf or .dot");
      }
      Path dotFile = file.resolveSibling(dot < 0 ? name + ".dot" : name.substring(0, dot) + ".dot");
      if (!graphvizAvailable()) {
        Files.writeString(dotFile, text, StandardCharsets.UTF_8);
        throw new RankwiseException("graphviz 'dot' is not installed, so " + file + " could not be drawn; the graph "
            + "was written to " + dotFile + " instead. Install graphviz (Debian: apt-get install graphviz) or "
            + "ask for a .dot file");
      }
      Process proc = new ProcessBuilder("dot", "-T" + ext, "-o", file.toString()).redirectErrorStream(true).start();
      proc.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
      proc.getOutputStream().close();
      String msg = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!proc.waitFor(120, TimeUnit.SECONDS) || proc.exitValue() != 0) {
        proc.destroyForcibly();
        throw new RankwiseException("graphviz 'dot' failed to draw " + file + ": " + msg.strip());
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RankwiseException("interrupted while drawing " + file, e);
    }
  }

  static boolean graphvizAvailable() {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String d : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, "dot"))) {
        return true;
      }
    }
    return false;
  }

  private static String index(TaskKey k) {
    String s = k.toString();
    int comma = s.indexOf(',');
    return comma < 0 ? "" : "(" + s.substring(comma + 2);
  }

  private static String esc(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
