package io.rankwise.testing;

import io.rankwise.comm.Communicator;
import io.rankwise.comm.RankAbortedException;
import io.rankwise.comm.local.LocalWorld;
import io.rankwise.runtime.Installation;
import io.rankwise.runtime.MpirunCommand;
import io.rankwise.runtime.RankConfig;
import io.rankwise.runtime.Session;
import io.rankwise.runtime.SpmdMain;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs SPMD test bodies and collects a result per body, with failures attributed to ranks.
 *
 * <p><b>MPI</b>: one {@code mpirun} job runs all remaining bodies of a class in sequence, each rank
 * logging to its own file. A failing body aborts the job (that is the runtime's failure semantics,
 * and the only safe thing once ranks disagree); the harness records the failure and starts a new
 * job for the bodies that had not finished. Every job settles at least one body, so this ends.
 *
 * <p><b>Local</b>: each body runs on a fresh {@link LocalWorld} of threads in this JVM.
 */
public final class SpmdHarness {
  private static final long LOCAL_TIMEOUT_MILLIS = 120_000;

  private SpmdHarness() {}

  // ---- MPI -----------------------------------------------------------------------------------

  public static Map<String, BodyResult> runMpi(Class<?> cls, int ranks, List<String> bodies) {
    Installation inst = Installation.current();
    inst.requireMpi();
    Map<String, BodyResult> results = new LinkedHashMap<>();
    List<String> remaining = new ArrayList<>(bodies);
    while (!remaining.isEmpty()) {
      Job job = launch(inst, cls, ranks, remaining);
      List<String> next = new ArrayList<>();
      boolean someFailed = false;
      for (String body : remaining) {
        BodyResult r = job.result(body, ranks);
        if (r != null) {
          results.put(body, r);
          someFailed |= !r.passed();
        } else {
          next.add(body);
        }
      }
      if (!next.isEmpty() && !someFailed) {
        // The job died without any body reporting a failure (crash, timeout, kill): blame the body
        // that was running, and show what the job printed.
        String victim = next.remove(0);
        results.put(victim, BodyResult.fail(victim, "the mpirun job (" + ranks + " ranks) ended with exit code "
            + job.exitCode + (job.timedOut ? " after the harness timeout" : "") + " while this body was running; "
            + "no rank reported an assertion failure. Job output:\n" + job.outputTail()));
      }
      remaining = next;
    }
    return results;
  }

  private static final class Job {
    final Path dir;
    int exitCode;
    boolean timedOut;
    /** rank -> body -> "PASS"/"FAIL <trace>"/"START" */
    final Map<Integer, Map<String, String>> outcome = new TreeMap<>();

    Job(Path dir) {
      this.dir = dir;
    }

    void read(int ranks) throws IOException {
      for (int r = 0; r < ranks; r++) {
        Map<String, String> m = new LinkedHashMap<>();
        Path f = dir.resolve("rank-" + r + ".txt");
        if (Files.exists(f)) {
          for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            String[] p = line.split(" ", 3);
            switch (p[0]) {
              case "START" -> m.put(p[1], "START");
              case "PASS" -> m.put(p[1], "PASS");
              case "FAIL" -> m.put(p[1], "FAIL " + SpmdTestDriver.decode(p.length > 2 ? p[2] : ""));
              default -> {}
            }
          }
        }
        outcome.put(r, m);
      }
    }

    /** Settled result of {@code body}, or null when it must run again. */
    BodyResult result(String body, int ranks) {
      List<String> failures = new ArrayList<>();
      int passed = 0;
      for (int r = 0; r < ranks; r++) {
        String o = outcome.get(r).get(body);
        if (o == null) {
          continue;
        }
        if (o.equals("PASS")) {
          passed++;
        } else if (o.startsWith("FAIL ")) {
          failures.add("--- rank " + r + " of " + ranks + ":\n" + o.substring(5).stripTrailing());
        }
      }
      if (!failures.isEmpty()) {
        return BodyResult.fail(body, "failed on " + failures.size() + " of " + ranks + " ranks (mpi):\n"
            + String.join("\n", failures));
      }
      return passed == ranks ? BodyResult.pass(body) : null;
    }

    String outputTail() {
      try {
        List<String> lines = Files.readAllLines(dir.resolve("output.txt"), StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
      } catch (IOException e) {
        return "(no output: " + e.getMessage() + ")";
      }
    }
  }

  private static Job launch(Installation inst, Class<?> cls, int ranks, List<String> bodies) {
    try {
      Path dir = Files.createTempDirectory("rankwise-spmd-");
      long timeout = 120 + 30L * bodies.size();
      List<String> args = new ArrayList<>(List.of(SpmdTestDriver.class.getName(), cls.getName(), dir.toString()));
      args.addAll(bodies);
      List<String> jvm = new ArrayList<>(List.of("-Xmx1g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          "-Drankwise.home=" + inst.home()));
      // Two worker threads per rank, so that the multi-threaded paths run under MPI too.
      jvm.addAll(List.of(new RankConfig(2, 0, dir, timeout).toJvmArgs()));
      List<String> cmd = MpirunCommand.build(inst, ranks, List.of(), jvm, testClasspath(),
          SpmdMain.class.getName(), args);
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(dir.resolve("output.txt").toFile());
      MpirunCommand.configure(pb.environment());
      Process p = pb.start();
      Job job = new Job(dir);
      if (!p.waitFor(timeout + 30, TimeUnit.SECONDS)) {
        job.timedOut = true;
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor();
      }
      job.exitCode = p.exitValue();
      job.read(ranks);
      return job;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The test JVM's full classpath (Surefire hides it behind a manifest-only jar). */
  static String testClasspath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  // ---- local ---------------------------------------------------------------------------------

  public static Map<String, BodyResult> runLocal(Class<?> cls, int ranks, List<String> bodies) {
    Map<String, BodyResult> results = new LinkedHashMap<>();
    for (String body : bodies) {
      results.put(body, runLocalBody(cls, ranks, body));
    }
    return results;
  }

  private static BodyResult runLocalBody(Class<?> cls, int ranks, String body) {
    LocalWorld world = new LocalWorld(ranks);
    Throwable[] failures = new Throwable[ranks];
    Thread[] threads = new Thread[ranks];
    PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
    for (int r = 0; r < ranks; r++) {
      int rank = r;
      threads[r] = new Thread(() -> {
        Communicator comm = world.communicator(rank);
        RankConfig config = new RankConfig(2, 0, Path.of(System.getProperty("java.io.tmpdir")), 0);
        try (Session s = new Session(comm, config, quiet, System.err)) {
          SpmdBodies.invoke(cls, body, s);
          s.finish();
        } catch (RankAbortedException e) {
          // collateral of another rank's failure
        } catch (Throwable t) {
          failures[rank] = t;
          comm.abort(1, "rank " + rank + " failed: " + t);
        }
      }, "spmd-test-rank-" + r);
      threads[r].setDaemon(true);
      threads[r].start();
    }
    long deadline = System.currentTimeMillis() + LOCAL_TIMEOUT_MILLIS;
    for (Thread t : threads) {
      try {
        t.join(Math.max(1, deadline - System.currentTimeMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return BodyResult.fail(body, "interrupted");
      }
      if (t.isAlive()) {
        world.communicator(0).abort(1, "timeout");
        return BodyResult.fail(body, "timed out after " + LOCAL_TIMEOUT_MILLIS / 1000 + " s on the local backend ("
            + ranks + " ranks); thread " + t.getName() + " still running");
      }
    }
    List<String> msgs = new ArrayList<>();
    for (int r = 0; r < ranks; r++) {
      if (failures[r] != null) {
        msgs.add("--- rank " + r + " of " + ranks + ":\n" + SpmdTestDriver.stackTrace(failures[r]).stripTrailing());
      }
    }
    return msgs.isEmpty() ? BodyResult.pass(body)
        : BodyResult.fail(body, "failed on " + msgs.size() + " of " + ranks + " ranks (local):\n" + String.join("\n", msgs));
  }
}
