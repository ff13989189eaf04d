package io.rankwise.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs bin/rankwise (or any command) as a separate process and captures what it did. */
public record ProcessRun(int exitCode, String stdout, String stderr, long millis, boolean finished) {

  public static Path home() {
    return Path.of(System.getProperty("rankwise.home", ".")).toAbsolutePath().normalize();
  }

  /** {@code bin/rankwise ARGS...} from the checkout, with the test classes on its classpath. */
  public static ProcessRun rankwise(long timeoutSeconds, String... args) {
    List<String> cmd = new ArrayList<>(List.of("bash", home().resolve("bin/rankwise").toString()));
    cmd.addAll(List.of(args));
    return run(timeoutSeconds, cmd);
  }

  /** The directory of the compiled test classes, for {@code --classpath}. */
  public static String testClasses() {
    return home().resolve("target/test-classes").toString();
  }

  public static ProcessRun run(long timeoutSeconds, List<String> cmd) {
    try {
      File out = File.createTempFile("rankwise-out", ".txt");
      File err = File.createTempFile("rankwise-err", ".txt");
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(home().toFile())
          .redirectOutput(out).redirectError(err);
      long t0 = System.nanoTime();
      Process p = pb.start();
      boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
      if (!finished) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor();
      }
      long millis = (System.nanoTime() - t0) / 1_000_000;
      ProcessRun r = new ProcessRun(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
          Files.readString(err.toPath(), StandardCharsets.UTF_8), millis, finished);
      out.delete();
      err.delete();
      return r;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** For assertion messages. */
  public String describe() {
    return "exit " + exitCode + " after " + millis + " ms" + (finished ? "" : " (killed: did not finish)")
        + "\n--- stdout:\n" + stdout + "\n--- stderr:\n" + stderr;
  }
}
