package io.rankwise.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.runtime.MpirunCommand;
import io.rankwise.testing.ProcessRun;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Class data sharing of the rank JVMs: when it applies, and real runs that map classes from the archive. */
class ClassSharingTest {
  /**
   * The archive is made by an interpreted run: a JIT "not compilable" mark set there would be
   * archived with the method's class and keep it interpreted in every job (JDK 17).
   */
  @Test
  void theArchiveIsMadeWithoutTheJit() {
    assertTrue(ClassSharing.TRAINING_RANK_SCRIPT.contains("-XX:ArchiveClassesAtExit=\"$tmp\" -Xint"));
  }

  /**
   * The archive run has two ranks in one app context (what only several ranks load is archived
   * too; the job's mpirun options apply to both): a shell script gives rank 0 alone the options
   * that write the archive; both ranks know the installation (Training reads its test data there:
   * ranks that disagreed would run different collectives).
   */
  @Test
  void theArchiveIsMadeByATwoRankRunWhoseFirstRankWritesIt() throws Exception {
    Path tmp = Path.of("/tmp/a.jsa.tmp");
    io.rankwise.runtime.Installation inst = io.rankwise.runtime.Installation.current();
    List<String> cmd = ClassSharing.trainingCommand(inst, "/x/ranks.jar", List.of("--mca", "btl", "self,tcp"), tmp);
    assertEquals("2", cmd.get(cmd.indexOf("-np") + 1), cmd.toString());
    assertEquals(1, java.util.Collections.frequency(cmd, "--oversubscribe"), cmd.toString());
    assertTrue(cmd.containsAll(List.of("self,tcp", "-Drankwise.home=" + inst.home())), cmd.toString());
    int sh = cmd.indexOf("/bin/sh");
    assertEquals(List.of("-c", ClassSharing.TRAINING_RANK_SCRIPT, MpirunCommand.javaExecutable(), tmp.toString()),
        cmd.subList(sh + 1, sh + 5));
    assertFalse(cmd.stream().anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit") || o.equals("-Xint")),
        "only the script adds them, for rank 0: " + cmd);
    assertEquals(List.of("io.rankwise.runtime.SpmdMain", Training.class.getName()),
        cmd.subList(cmd.size() - 2, cmd.size()));
    // the script itself: rank 0 gets the archive options, rank 1 not; both get every argument
    for (String rank : List.of("0", "1")) {
      ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", ClassSharing.TRAINING_RANK_SCRIPT.replace(
          ClassSharing.ENV_PROGRAM + " ", ClassSharing.ENV_PROGRAM + " echo "), "/jdk/bin/java", "/tmp/t.jsa", "-Da=b c",
          "Main").redirectErrorStream(true);
      pb.environment().put("OMPI_COMM_WORLD_RANK", rank);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertEquals(0, p.waitFor());
      assertEquals(rank.equals("0") ? "/jdk/bin/java -XX:ArchiveClassesAtExit=/tmp/t.jsa -Xint -Da=b c Main"
          : "/jdk/bin/java -Da=b c Main", out);
    }
  }

  /**
   * No class of ours concatenates strings through invokedynamic (the pom's -XDstringConcat=inline):
   * the first such concatenation in a rank JVM spins ~40 method-handle classes, which the Java 17
   * archive does not keep.
   */
  @Test
  void noClassConcatenatesStringsThroughInvokedynamic() throws Exception {
    Path classes = Path.of("target/classes/io/rankwise");
    Assumptions.assumeTrue(Files.isDirectory(classes), "no compiled classes under " + classes);
    byte[] bootstrap = "makeConcatWithConstants".getBytes(StandardCharsets.US_ASCII);
    List<String> indy = new ArrayList<>();
    int[] seen = {0};
    try (var files = Files.walk(classes)) {
      files.filter(f -> f.toString().endsWith(".class")).forEach(f -> {
        seen[0]++;
        try {
          if (indexOf(Files.readAllBytes(f), bootstrap) >= 0) indy.add(f.toString());
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    }
    assertTrue(seen[0] > 100, "read " + seen[0] + " classes");
    assertEquals(List.of(), indy);
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }

  @Test
  void theJarTakesThePlaceOfTheClassesAndDirectoriesRuleSharingOut(@TempDir Path d) throws Exception {
    Path classes = Files.createDirectories(d.resolve("target/classes"));
    Path jar = Files.writeString(d.resolve("target/rankwise-1.0.jar"), "jar");
    Path lib = Files.writeString(d.resolve("lib.jar"), "lib");
    Path mpi = Files.writeString(d.resolve("mpi.jar"), "mpi");
    String cp = classes + File.pathSeparator + lib + File.pathSeparator + mpi;
    assertEquals(List.of(jar.toString(), lib.toString(), mpi.toString()),
        ClassSharing.baseClasspath(cp, classes, jar, List.of(mpi.toString())), "native jars once, in order");
    Path dir = Files.createDirectories(d.resolve("more-classes"));
    assertNull(ClassSharing.baseClasspath(cp + File.pathSeparator + dir, classes, jar, List.of()));
    assertNull(ClassSharing.baseClasspath(lib.toString(), classes, jar, List.of()), "no classes, no jar");
    Files.writeString(d.resolve("target/rankwise-1.0-sources.jar"), "src");
    assertEquals(jar, ClassSharing.builtJar(d.resolve("target")));
  }

  @Test
  void aClassNewerThanTheJarLeavesTheRanksOnTheClasses(@TempDir Path d) throws Exception {
    Path classes = Files.createDirectories(d.resolve("classes/io"));
    Path c = Files.writeString(classes.resolve("A.class"), "a");
    Path jar = Files.writeString(d.resolve("r.jar"), "jar");
    Files.setLastModifiedTime(c, FileTime.fromMillis(1_000_000));
    Files.setLastModifiedTime(jar, FileTime.fromMillis(2_000_000));
    assertTrue(ClassSharing.fresh(jar, d.resolve("classes")));
    Files.setLastModifiedTime(c, FileTime.fromMillis(3_000_000));
    assertFalse(ClassSharing.fresh(jar, d.resolve("classes")));
  }

  @Test
  void earlierBuildsArchivesArePrunedButRecentOnesStay(@TempDir Path d) throws Exception {
    long old = System.currentTimeMillis() - 7_200_000L;
    for (int k = 0; k < 6; k++) {
      for (String ext : List.of(".jsa", ".jar", ".log")) {
        Path p = Files.writeString(d.resolve("ranks-k" + k + ext), "x");
        Files.setLastModifiedTime(p, FileTime.fromMillis(k < 5 ? old + k * 1000 : System.currentTimeMillis()));
      }
    }
    Files.writeString(d.resolve("other.txt"), "x");
    ClassSharing.prune(d, "ranks-k0");
    try (var s = Files.list(d)) {
      List<String> left = s.map(p -> p.getFileName().toString()).sorted().toList();
      // kept: k5 (recent, newest), k4 and k3 (next newest), k0 (the one in use); k1, k2 gone
      assertEquals(List.of("other.txt", "ranks-k0.jar", "ranks-k0.jsa", "ranks-k0.log", "ranks-k3.jar", "ranks-k3.jsa",
          "ranks-k3.log", "ranks-k4.jar", "ranks-k4.jsa", "ranks-k4.log", "ranks-k5.jar", "ranks-k5.jsa",
          "ranks-k5.log"), left);
    }
  }

  @Test
  void theTrainingDriverRuns() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new Launcher(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).execute(new String[] {"run", "--backend", "local", "-n",
            "1", Training.class.getName()});
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
  }

  private static ProcessRun rankwise(Path cdsDir, String cds, String... args) {
    List<String> cmd = new ArrayList<>(List.of("env", "RANKWISE_CDS_DIR=" + cdsDir, "RANKWISE_CDS=" + cds, "bash",
        ProcessRun.home().resolve("bin/rankwise").toString()));
    cmd.addAll(List.of(args));
    return ProcessRun.run(300, cmd);
  }

  /**
   * Making a launcher archive next to several others runs the job all the same, and tidies up only
   * what is more than an hour old beyond the newest three (a clean-up that failed on a young file
   * once ended the script before the launcher started).
   */
  @Test
  void makingALauncherArchiveAmongOthersStillRunsTheJob(@TempDir Path cdsDir) throws Exception {
    Path home = ProcessRun.home();
    Path jar = ClassSharing.builtJar(home.resolve("target"));
    Assumptions.assumeTrue(jar != null && ClassSharing.fresh(jar, home.resolve("target/classes")),
        "no jar newer than target/classes (run mvn package): sharing does not apply");
    long now = System.currentTimeMillis();
    List<Path> young = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Path f = Files.writeString(cdsDir.resolve("launcher-" + i + ".jsa"), "x");
      Files.setLastModifiedTime(f, FileTime.fromMillis(now - 60_000L * (i + 1)));
      young.add(f);
    }
    // only young ones beyond the newest three: nothing to remove, and the job runs
    Path other = Files.createTempDirectory("rankwise-cds-young");
    for (Path f : young) {
      Files.copy(f, other.resolve(f.getFileName()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    }
    ProcessRun first = rankwise(other, "on", "run", "-n", "2", "--backend", "mpi", "--dry-run", "Hello");
    assertEquals(0, first.exitCode(), first.describe());
    assertTrue(first.stderr().contains("SpmdMain io.rankwise.examples.Hello"), first.describe());
    try (var files = Files.list(other)) {
      assertEquals(5, files.filter(p -> p.toString().endsWith(".jsa")).count(), "4 young ones and the new one");
    }
    Path old = Files.writeString(cdsDir.resolve("launcher-9.jsa"), "x");
    Path oldJar = Files.writeString(cdsDir.resolve("launcher-9.jar"), "x");
    Path leftover = Files.writeString(cdsDir.resolve("launcher-8.jsa.host.123"), "x");
    for (Path f : List.of(old, oldJar, leftover)) {
      Files.setLastModifiedTime(f, FileTime.fromMillis(now - 3 * 3_600_000L));
    }
    ProcessRun r = rankwise(cdsDir, "on", "run", "-n", "2", "--backend", "mpi", "--dry-run", "Hello");
    assertEquals(0, r.exitCode(), r.describe());
    assertTrue(r.stderr().contains("SpmdMain io.rankwise.examples.Hello"), r.describe());
    try (var files = Files.list(cdsDir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertTrue(names.stream().anyMatch(n -> n.startsWith("launcher-") && n.endsWith(".jsa")
          && !n.matches("launcher-[0-9]\\.jsa")), "the new archive: " + names);
      for (Path f : young) {
        assertTrue(Files.exists(f), "younger than an hour: kept " + names);
      }
      assertFalse(Files.exists(old) || Files.exists(oldJar) || Files.exists(leftover), "old ones go: " + names);
    }
  }

  /** Only where the build's jar is newer than its classes (after mvn package, as in CI). */
  @Test
  void ranksMapTheirClassesFromTheArchiveMadeOnTheFirstRun(@TempDir Path cdsDir) {
    Path home = ProcessRun.home();
    Path jar = ClassSharing.builtJar(home.resolve("target"));
    Assumptions.assumeTrue(jar != null && ClassSharing.fresh(jar, home.resolve("target/classes")),
        "no jar newer than target/classes (run mvn package): sharing does not apply");
    ProcessRun first = rankwise(cdsDir, "on", "run", "-n", "2", "--backend", "mpi", "Hello");
    assertEquals(0, first.exitCode(), first.describe());
    assertTrue(first.stderr().contains("making the class-data-sharing archive"), first.stderr());
    assertTrue(first.stdout().contains("Hello from rank 1 of 2"), first.stdout());
    try (var files = Files.list(cdsDir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(1, names.stream().filter(n -> n.startsWith("ranks-") && n.endsWith(".jsa")).count(), names.toString());
      assertEquals(1, names.stream().filter(n -> n.startsWith("ranks-") && n.endsWith(".jar")).count(),
          "the ranks' own copy of the jar");
      // the launcher JVM's archive and jar copy, made at the end of that first run
      assertEquals(1, names.stream().filter(n -> n.startsWith("launcher-") && n.endsWith(".jsa")).count(),
          names.toString());
      assertEquals(1, names.stream().filter(n -> n.startsWith("launcher-") && n.endsWith(".jar")).count(),
          names.toString());
      assertFalse(names.stream().anyMatch(n -> n.endsWith(".tmp") || n.endsWith(".failed")), names.toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    ProcessRun info = rankwise(cdsDir, "on", "info");
    assertTrue(info.stdout().contains("Class sharing:   on (" + cdsDir), info.stdout());
    assertTrue(rankwise(cdsDir, "off", "info").stdout().contains("Class sharing:   off"));
    ProcessRun dry = rankwise(cdsDir, "on", "run", "-n", "2", "--backend", "mpi", "--dry-run", "Hello");
    assertTrue(dry.stderr().contains(ClassSharing.ENV_PROGRAM + " ") && dry.stderr().contains("-XX:SharedArchiveFile="),
        "a dry run shows the command the run uses: " + dry.stderr());
    // the user's classes (a directory) come after the archive's jars; the driver's graph sends
    // values between the ranks, so the job loads Kryo
    ProcessRun again = rankwise(cdsDir, "on", "run", "-n", "2", "--backend", "mpi", "-J", "-Xlog:class+load=info",
        "--classpath", ProcessRun.testClasses(), "io.rankwise.runtime.TestDrivers$SmallGraph");
    assertEquals(0, again.exitCode(), again.describe());
    assertFalse(again.stderr().contains("making"), again.stderr());
    assertTrue(again.stdout().contains("io.rankwise.runtime.SpmdMain source: shared objects file"), "SpmdMain from "
        + again.stdout().lines().filter(l -> l.contains("SpmdMain")).findFirst().orElse("nowhere"));
    assertTrue(again.stdout().contains("io.rankwise.runtime.TestDrivers$SmallGraph source: file:"), "the user's class");
    assertTrue(again.stdout().contains("sum=1240"), again.stdout());
    // what only a job of several ranks loads (Kryo, for the exchanges) is archived too
    assertTrue(again.stdout().contains("com.esotericsoftware.kryo.Kryo source: shared objects file"), "Kryo from "
        + again.stdout().lines().filter(l -> l.contains("kryo.Kryo ")).findFirst().orElse("nowhere"));
    assertEquals(List.of(), again.stdout().lines()
        .filter(l -> l.contains("com.esotericsoftware") && l.contains("source: file:")).toList());

    ProcessRun launcher = ProcessRun.run(300, List.of("env", "RANKWISE_CDS_DIR=" + cdsDir, "RANKWISE_CDS=on",
        "RANKWISE_LAUNCHER_OPTS=-Xlog:class+load=info", "bash", ProcessRun.home().resolve("bin/rankwise").toString(),
        "run", "-n", "1", "--backend", "mpi", "--dry-run", "Hello"));
    assertEquals(0, launcher.exitCode(), launcher.describe());
    assertTrue(launcher.stdout().contains("io.rankwise.runtime.cli.Launcher source: shared objects file"),
        "the launcher from its archive: " + launcher.stdout().lines().filter(l -> l.contains("cli.Launcher "))
            .findFirst().orElse("not loaded"));

    ProcessRun off = rankwise(cdsDir, "off", "run", "-n", "1", "--backend", "mpi", "-J", "-Xlog:class+load=info",
        "Hello");
    assertEquals(0, off.exitCode(), off.describe());
    assertFalse(off.stdout().contains("io.rankwise.runtime.SpmdMain source: shared objects file"));
    ProcessRun launcherOff = ProcessRun.run(300, List.of("env", "RANKWISE_CDS_DIR=" + cdsDir, "RANKWISE_CDS=off",
        "RANKWISE_LAUNCHER_OPTS=-Xlog:class+load=info", "bash", ProcessRun.home().resolve("bin/rankwise").toString(),
        "run", "-n", "1", "--backend", "mpi", "--dry-run", "Hello"));
    assertTrue(launcherOff.stdout().contains("io.rankwise.runtime.cli.Launcher source: file:"), launcherOff.describe());
  }
}
