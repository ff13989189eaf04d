package io.rankwise.runtime.cli;

import io.rankwise.runtime.Installation;
import io.rankwise.runtime.MpirunCommand;
import io.rankwise.runtime.SpmdMain;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Class data sharing for the rank JVMs (the JDK's AppCDS): the classes a job loads (Rankwise's,
 * Kryo's, Open MPI's bindings, ...) are mapped from an archive instead of being read, verified and
 * parsed by every rank of every job: ~0.1 s less start-up per job on this project's benchmark
 * machine. The archive is made once per build, on the first MPI run after {@code mvn package}, by a
 * one-rank run of {@link Training} (a few seconds), under {@code target/cds/} (or
 * {@code $RANKWISE_CDS_DIR}); {@code RANKWISE_CDS=off} runs without it.
 *
 * <p>The JVM maps only jars, and only when the rank class path starts with the one the archive was
 * made with: the ranks then run the built jar instead of {@code target/classes}, which is done only
 * while the jar is at least as new as every compiled class (a bare {@code mvn compile} after the
 * last package leaves the ranks on {@code target/classes}, without sharing). Open MPI's
 * {@code mpirun} rewrites the class path of a program named {@code java}, so the ranks start
 * through {@code /usr/bin/env}.
 */
final class ClassSharing {
  /** Environment: "off" disables sharing. */
  static final String ENV = "RANKWISE_CDS";
  /** Environment: where archives are kept (default {@code <home>/target/cds}). */
  static final String ENV_DIR = "RANKWISE_CDS_DIR";
  /** The program that starts a rank's java when the archive is used. */
  static final String ENV_PROGRAM = "/usr/bin/env";

  /** How the ranks use an archive: their class path (the archive's, then the user's) and JVM options. */
  record Use(String classpath, List<String> jvmOptions) {}

  private ClassSharing() {}

  /**
   * The archive for ranks started with {@code launcherCp} (this JVM's class path) plus
   * {@code userCp}, made now if missing; null when sharing is off or not possible (the reason, if
   * the user should know it, on {@code err}).
   *
   * @param mayMake whether a missing archive may be made now (not for a dry run)
   */
  static Use forRanks(Installation inst, String launcherCp, String userCp, boolean mayMake, PrintStream err) {
    if ("off".equalsIgnoreCase(System.getenv().getOrDefault(ENV, ""))) {
      return null;
    }
    Path home = inst.home();
    Path jar = builtJar(home.resolve("target"));
    if (jar == null || !fresh(jar, home.resolve("target/classes"))) {
      return null;
    }
    List<String> base = baseClasspath(launcherCp, home.resolve("target/classes"), jar, inst.nativeJars());
    if (base == null) {
      return null;
    }
    String cp = String.join(File.pathSeparator, base);
    Path dir = System.getenv(ENV_DIR) != null ? Path.of(System.getenv(ENV_DIR)) : home.resolve("target/cds");
    String name = "ranks-" + key(base);
    Path archive = dir.resolve(name + ".jsa");
    if (!Files.isRegularFile(archive)) {
      if (!mayMake || Files.exists(dir.resolve(name + ".failed")) || !make(inst, cp, dir, name, err)) {
        return null;
      }
    }
    List<String> opts = new ArrayList<>(quiet());
    opts.add(0, "-XX:SharedArchiveFile=" + archive);
    return new Use(userCp.isEmpty() ? cp : cp + File.pathSeparator + userCp, opts);
  }

  /** A stale or unreadable archive only costs the sharing: no warnings in the job's output. */
  private static List<String> quiet() {
    return List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
  }

  /** {@code target/rankwise-<version>.jar}, or null. */
  static Path builtJar(Path target) {
    try (Stream<Path> s = Files.list(target)) {
      return s.filter(p -> {
        String f = p.getFileName().toString();
        return f.startsWith("rankwise-") && f.endsWith(".jar") && !f.endsWith("-sources.jar")
            && !f.endsWith("-javadoc.jar") && !f.endsWith("-tests.jar");
      }).sorted().findFirst().orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /** Whether {@code jar} is at least as new as every file under {@code classes}. */
  static boolean fresh(Path jar, Path classes) {
    try (Stream<Path> s = Files.walk(classes)) {
      long built = Files.getLastModifiedTime(jar).toMillis();
      return s.filter(Files::isRegularFile).allMatch(p -> {
        try {
          return Files.getLastModifiedTime(p).toMillis() <= built;
        } catch (IOException e) {
          return false;
        }
      });
    } catch (IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  /**
   * {@code launcherCp} with {@code classes} replaced by {@code jar} and the native jars after it,
   * without repeats; null if another entry is a directory (the JVM archives only jars).
   */
  static List<String> baseClasspath(String launcherCp, Path classes, Path jar, List<String> nativeJars) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    List<String> entries = new ArrayList<>(List.of(launcherCp.split(File.pathSeparator)));
    entries.addAll(nativeJars);
    for (String e : entries) {
      if (e.isEmpty()) {
        continue;
      }
      Path p = Path.of(e).toAbsolutePath().normalize();
      if (p.equals(classes.toAbsolutePath().normalize())) {
        out.add(jar.toAbsolutePath().normalize().toString());
      } else if (Files.isDirectory(p)) {
        return null;
      } else {
        out.add(p.toString());
      }
    }
    return out.contains(jar.toAbsolutePath().normalize().toString()) ? new ArrayList<>(out) : null;
  }

  /** Changes with the Java runtime and with any jar of the class path (path, size, time). */
  private static String key(List<String> base) {
    long h = 1469598103934665603L;
    List<String> parts = new ArrayList<>(base);
    parts.add(System.getProperty("java.home"));
    parts.add(System.getProperty("java.vm.version"));
    for (String e : base) {
      try {
        parts.add(Files.size(Path.of(e)) + "@" + Files.getLastModifiedTime(Path.of(e)).toMillis());
      } catch (IOException ex) {
        parts.add("missing");
      }
    }
    for (String part : parts) {
      for (int i = 0; i < part.length(); i++) {
        h = (h ^ part.charAt(i)) * 1099511628211L;
      }
      h = (h ^ 0xff) * 1099511628211L;
    }
    return Long.toHexString(h);
  }

  /** Makes the archive by a one-rank run of {@link Training}; false (and a .failed marker) if that fails. */
  private static boolean make(Installation inst, String cp, Path dir, String name, PrintStream err) {
    Path log = dir.resolve(name + ".log");
    Path tmp = dir.resolve(name + "." + ProcessHandle.current().pid() + ".tmp");
    try {
      Files.createDirectories(dir);
      err.println("rankwise: making the class-data-sharing archive of the rank JVMs (once per build, a few "
          + "seconds; RANKWISE_CDS=off skips it)");
      List<String> jvm = new ArrayList<>(quiet());
      jvm.add("-XX:ArchiveClassesAtExit=" + tmp);
      jvm.add("-Drankwise.home=" + inst.home());
      List<String> cmd = MpirunCommand.build(inst, 1, List.of(), jvm, cp, SpmdMain.class.getName(),
          List.of(Training.class.getName()));
      cmd.add(cmd.indexOf(MpirunCommand.javaExecutable()), ENV_PROGRAM);
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      MpirunCommand.configure(pb.environment());
      Process p = pb.start();
      boolean done = p.waitFor(180, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly();
      }
      if (done && p.exitValue() == 0 && Files.size(tmp) > 0) {
        Files.move(tmp, dir.resolve(name + ".jsa"), StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
        return true;
      }
      Files.writeString(dir.resolve(name + ".failed"), done ? "exit " + p.exitValue() + "\n" : "timed out\n");
      err.println("rankwise: no class data sharing (the archive run failed, see " + log + "); ranks start without it");
    } catch (IOException e) {
      err.println("rankwise: no class data sharing (" + e.getMessage() + "); ranks start without it");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException e) {
      // left behind: harmless
    }
    return false;
  }
}
