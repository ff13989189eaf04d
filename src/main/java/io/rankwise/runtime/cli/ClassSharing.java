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

/**
 * Class data sharing for the rank JVMs (the JDK's AppCDS): the classes a job loads (Rankwise's,
 * Kryo's, Open MPI's bindings, ...) are mapped from an archive instead of being read, verified and
 * parsed by every rank of every job: ~0.1 s less start-up per job on this project's benchmark
 * machine. The archive is made once per build, on the first MPI run after {@code mvn package}, by a
 * two-rank run of {@link Training} (a few seconds), under {@code target/cds/} (or
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
   * Where the archive for ranks started with {@code launcherCp} (this JVM's class path) lives:
   * {@code name} is null and {@code notUsed} says why when sharing is off or not possible.
   */
  private record Place(Path dir, String name, Path jar, List<String> built, String notUsed) {
    Path file(String ext) {
      return dir.resolve(name + ext);
    }

    /** The archive's class path: the built jar's place taken by its copy next to the archive. */
    String classpath() {
      List<String> base = new ArrayList<>(built);
      base.set(base.indexOf(jar.toAbsolutePath().normalize().toString()), file(".jar").toAbsolutePath().toString());
      return String.join(File.pathSeparator, base);
    }
  }

  private static Place notUsed(String why) {
    return new Place(null, null, null, null, why);
  }

  private static Place locate(Installation inst, String launcherCp) {
    if ("off".equalsIgnoreCase(System.getenv().getOrDefault(ENV, ""))) {
      return notUsed("off (" + ENV + "=off)");
    }
    Path home = inst.home();
    Path jar = builtJar(home.resolve("target"));
    if (jar == null) {
      return notUsed("not used: no target/rankwise-*.jar (run mvn package)");
    }
    if (!fresh(jar, home.resolve("target/classes"))) {
      return notUsed("not used: " + jar.getFileName() + " is older than target/classes (run mvn package)");
    }
    List<String> built = baseClasspath(launcherCp, home.resolve("target/classes"), jar, inst.nativeJars());
    if (built == null) {
      return notUsed("not used: a directory on the launcher's class path");
    }
    Path dir = System.getenv(ENV_DIR) != null ? Path.of(System.getenv(ENV_DIR)) : home.resolve("target/cds");
    return new Place(dir, "ranks-" + key(built), jar, built, null);
  }

  /**
   * The archive for ranks started with {@code launcherCp} (this JVM's class path) plus
   * {@code userCp}, made now if missing; null when sharing is off or not possible (the reason, if
   * the user should know it, on {@code err}). The ranks run a copy of the built jar kept next to
   * the archive, so a rebuild never rewrites a jar under a running job.
   *
   * @param mpirunOpts the job's mpirun options (the training run is started like the job)
   * @param mayMake whether a missing archive may be made now (not for a dry run)
   */
  static Use forRanks(Installation inst, String launcherCp, String userCp, List<String> mpirunOpts, boolean mayMake,
      PrintStream err) {
    Place at = locate(inst, launcherCp);
    if (at.name() == null) {
      return null;
    }
    String cp = at.classpath();
    if (!Files.isRegularFile(at.file(".jsa")) || !Files.isRegularFile(at.file(".jar"))) {
      if (!mayMake) {
        if (!Files.exists(at.file(".failed"))) {
          err.println("rankwise: (the run itself first makes the class-data-sharing archive of the rank JVMs, "
              + "then starts them through " + ENV_PROGRAM + " with -XX:SharedArchiveFile)");
        }
        return null;
      }
      if (Files.exists(at.file(".failed")) || !copyJar(at.jar(), at.file(".jar"), err)
          || !make(inst, cp, mpirunOpts, at.dir(), at.name(), err)) {
        return null;
      }
    }
    List<String> opts = new ArrayList<>(quiet());
    opts.add(0, "-XX:SharedArchiveFile=" + at.file(".jsa"));
    return new Use(userCp.isEmpty() ? cp : cp + File.pathSeparator + userCp, opts);
  }

  /** The build's jar copied to {@code copy} (atomically: concurrent launchers may do the same). */
  private static boolean copyJar(Path jar, Path copy, PrintStream err) {
    try {
      Files.createDirectories(copy.getParent());
      if (!Files.isRegularFile(copy)) {
        Path tmp = copy.resolveSibling(copy.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      return true;
    } catch (IOException e) {
      err.println("rankwise: no class data sharing (" + e.getMessage() + "); ranks start without it");
      return false;
    }
  }

  /** One line for {@code bin/rankwise info}: whether rank JVMs share classes, and if not, why. */
  static String describe(Installation inst, String launcherCp) {
    Place at = locate(inst, launcherCp);
    if (at.name() == null) {
      return at.notUsed();
    }
    if (Files.isRegularFile(at.file(".jsa"))) {
      return "on (" + at.file(".jsa") + ")";
    }
    if (Files.exists(at.file(".failed"))) {
      return "not used: the archive run failed (see " + at.file(".log") + "; delete " + at.file(".failed")
          + " to try again)";
    }
    return "the next MPI run makes " + at.file(".jsa");
  }

  /** A stale or unreadable archive only costs the sharing: no warnings in the job's output. */
  private static List<String> quiet() {
    return List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
  }

  /** {@code target/rankwise-<version>.jar}, or null. */
  static Path builtJar(Path target) {
    Path best = null;
    try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(target, "rankwise-*.jar")) {
      for (Path p : ds) {
        String f = p.getFileName().toString();
        boolean main = !f.endsWith("-sources.jar") && !f.endsWith("-javadoc.jar") && !f.endsWith("-tests.jar");
        if (main && (best == null || f.compareTo(best.getFileName().toString()) < 0)) {
          best = p;
        }
      }
    } catch (IOException e) {
      return null;
    }
    return best;
  }

  /**
   * Whether {@code jar} is at least as new as every file under {@code classes} (plain loops: this
   * runs in every launch, where the first stream pipeline alone costs milliseconds of class loading).
   */
  static boolean fresh(Path jar, Path classes) {
    try {
      return newest(classes.toFile()) <= Files.getLastModifiedTime(jar).toMillis();
    } catch (IOException e) {
      return false;
    }
  }

  /** The last modification time of the files under {@code dir}; a missing one counts as newest. */
  private static long newest(File dir) {
    File[] files = dir.listFiles();
    if (files == null) {
      return Long.MAX_VALUE;
    }
    long t = 0;
    for (File f : files) {
      t = Math.max(t, f.isDirectory() ? newest(f) : f.lastModified());
    }
    return t;
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

  /**
   * Starts a training rank: rank 0 (Open MPI's {@code OMPI_COMM_WORLD_RANK}) writes the archive
   * and runs interpreted only, the others run plainly; {@code $0} is the java program, {@code $1}
   * the archive's temporary path, the rest the JVM's arguments. Interpreted, because JDK 17
   * archives a method's "not compilable" marks with its class, and a mark the JIT set in that short
   * run (after recompiling a loop too often, say) kept the method interpreted in every job that
   * used the archive (found: the main loop of the xarray reductions, 2.5x slower).
   */
  static final String TRAINING_RANK_SCRIPT = "java=$0; tmp=$1; shift; "
      + "if [ \"$OMPI_COMM_WORLD_RANK\" = 0 ]; then exec " + ENV_PROGRAM
      + " \"$java\" -XX:ArchiveClassesAtExit=\"$tmp\" -Xint \"$@\"; fi; exec " + ENV_PROGRAM + " \"$java\" \"$@\"";

  /**
   * The training job: two ranks, so that what only a job of several ranks loads (the value codec
   * and Kryo's serializers, the exchange's message classes, the collectives) is archived too; ~170
   * classes that each rank otherwise reads, verifies and parses from jars. Both ranks run the same
   * driver with the same options (one app context, so the job's mpirun options apply to both);
   * a small shell script adds the archive options to rank 0 only.
   */
  static List<String> trainingCommand(Installation inst, String cp, List<String> mpirunOpts, Path tmp) {
    List<String> jvm = new ArrayList<>(quiet());
    jvm.add("-Drankwise.home=" + inst.home());
    List<String> cmd = MpirunCommand.build(inst, 2, mpirunOpts, jvm, cp, SpmdMain.class.getName(),
        List.of(Training.class.getName()));
    int j = cmd.indexOf(MpirunCommand.javaExecutable());
    List<String> before = cmd.subList(0, j);
    if (!before.contains("--oversubscribe") && !before.contains("--nooversubscribe")) {
      cmd.add(1, "--oversubscribe"); // a batch allocation of one slot still fits the second rank
      j++;
    }
    cmd.addAll(j, List.of("/bin/sh", "-c", TRAINING_RANK_SCRIPT));
    cmd.add(j + 4, tmp.toString()); // after the java program: $1
    return cmd;
  }

  /** Makes the archive by a two-rank run of {@link Training}; false (and a .failed marker) if that fails. */
  private static boolean make(Installation inst, String cp, List<String> mpirunOpts, Path dir, String name,
      PrintStream err) {
    Path log = dir.resolve(name + ".log");
    Path tmp = dir.resolve(name + "." + ProcessHandle.current().pid() + ".tmp");
    Path failed = dir.resolve(name + ".failed");
    String why;
    try {
      err.println("rankwise: making the class-data-sharing archive of the rank JVMs (once per build, a few "
          + "seconds; RANKWISE_CDS=off skips it)");
      List<String> cmd = trainingCommand(inst, cp, mpirunOpts, tmp);
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      MpirunCommand.configure(pb.environment());
      Process p = pb.start();
      try {
        if (!p.waitFor(TRAINING_SECONDS, TimeUnit.SECONDS)) {
          stop(p);
          why = "it did not finish in " + TRAINING_SECONDS + " s";
        } else if (p.exitValue() != 0) {
          why = "it exited with " + p.exitValue();
        } else if (!Files.isRegularFile(tmp) || Files.size(tmp) == 0) {
          why = "the JVM wrote no archive (a Java runtime without a base CDS archive?)";
        } else {
          Files.move(tmp, dir.resolve(name + ".jsa"), StandardCopyOption.REPLACE_EXISTING,
              StandardCopyOption.ATOMIC_MOVE);
          prune(dir, name);
          return true;
        }
      } catch (InterruptedException e) {
        stop(p);
        Thread.currentThread().interrupt();
        return false;
      }
      Files.writeString(failed, why + "\n");
      err.println("rankwise: no class data sharing: the archive run failed (" + why + "; see " + log + "; delete "
          + failed + " to try again); ranks start without it");
    } catch (IOException e) {
      err.println("rankwise: no class data sharing (" + e.getMessage() + "); ranks start without it");
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        // left behind: harmless
      }
    }
    return false;
  }

  /**
   * Removes the files of earlier builds' archives (~9 MB each), keeping the newest few and any
   * made in the last hour (a job started before the rebuild may still be reading its jar).
   */
  static void prune(Path dir, String keep) {
    java.util.Map<String, Long> newest = new java.util.HashMap<>();
    List<Path> files = new ArrayList<>();
    try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "ranks-*")) {
      for (Path p : ds) {
        String f = p.getFileName().toString();
        String key = f.indexOf('.') > 0 ? f.substring(0, f.indexOf('.')) : f;
        newest.merge(key, Files.getLastModifiedTime(p).toMillis(), Math::max);
        files.add(p);
      }
    } catch (IOException e) {
      return;
    }
    List<String> keys = new ArrayList<>(newest.keySet());
    keys.sort((a, b) -> Long.compare(newest.get(b), newest.get(a)));
    long hourAgo = System.currentTimeMillis() - 3_600_000L;
    for (int i = 0; i < keys.size(); i++) {
      String k = keys.get(i);
      if (i < KEEP || k.equals(keep) || newest.get(k) > hourAgo) {
        continue;
      }
      for (Path p : files) {
        if (p.getFileName().toString().startsWith(k + ".")) {
          try {
            Files.deleteIfExists(p);
          } catch (IOException e) {
            // another user's file, say: left alone
          }
        }
      }
    }
  }

  /** Archives (of the newest builds) kept by {@link #prune}. */
  private static final int KEEP = 3;

  /** The most a training run may take before the job goes on without sharing. */
  private static final int TRAINING_SECONDS = 60;

  /** mpirun and what it started: politely, then by force. */
  private static void stop(Process p) throws IOException {
    p.descendants().forEach(ProcessHandle::destroy);
    p.destroy();
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
