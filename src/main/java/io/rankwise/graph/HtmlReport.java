package io.rankwise.graph;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Placeholder; replaced by the full report writer. */
final class HtmlReport {
  private HtmlReport() {}

  static void write(List<List<ExecutionStats>> perRank, Path file, int ranks, int threadsPerRank) {
    try {
      Files.writeString(file, "<html><body>" + perRank.size() + " ranks</body></html>");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
