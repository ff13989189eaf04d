package io.rankwise.testing;

import io.rankwise.runtime.Driver;
import io.rankwise.runtime.Session;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;

/**
 * Runs SPMD test bodies on every rank of one mpirun job: {@code TEST_CLASS RESULT_DIR BODY...}.
 * Each rank appends {@code START}, {@code PASS} or {@code FAIL} lines to its own file, written
 * straight to the OS so that they survive the MPI abort that follows a failure.
 */
public final class SpmdTestDriver implements Driver {
  @Override
  public void run(Session s, String[] args) throws Exception {
    Class<?> cls = Class.forName(args[0]);
    Path file = Path.of(args[1]).resolve("rank-" + s.rank() + ".txt");
    for (int i = 2; i < args.length; i++) {
      String body = args[i];
      append(file, "START " + body);
      long t0 = System.nanoTime();
      try {
        SpmdBodies.invoke(cls, body, s);
      } catch (Exception | Error t) {
        append(file, "FAIL " + body + " " + encode(t));
        // The runtime reports it with the rank and aborts the job.
        if (t instanceof Error e) {
          throw e;
        }
        throw (Exception) t;
      }
      append(file, "PASS " + body + " " + (System.nanoTime() - t0));
      // No rank enters the next body while another is still in this one.
      s.comm().barrier();
    }
  }

  private static void append(Path file, String line) throws IOException {
    Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  static String stackTrace(Throwable t) {
    StringWriter sw = new StringWriter();
    t.printStackTrace(new PrintWriter(sw));
    return sw.toString();
  }

  static String encode(Throwable t) {
    return Base64.getEncoder().encodeToString(stackTrace(t).getBytes(StandardCharsets.UTF_8));
  }

  static String decode(String s) {
    return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
  }
}
