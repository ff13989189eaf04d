package io.rankwise.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.runtime.cli.Launcher;
import io.rankwise.testing.ProcessRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** bin/rankwise: help, usage errors (exit 2, one clear line), and real runs on both backends. */
class LauncherTest {
  record Result(int code, String out, String err) {}

  static Result launch(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new Launcher(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void defaultThreadsFollowTheBatchAllocation() {
    assertEquals(4, Launcher.defaultThreads(java.util.Map.of("SLURM_CPUS_PER_TASK", "4"), 1));
    assertEquals(3, Launcher.defaultThreads(java.util.Map.of("OMP_NUM_THREADS", "3"), 1));
    assertEquals(2, Launcher.defaultThreads(
        java.util.Map.of("SLURM_CPUS_PER_TASK", "2", "OMP_NUM_THREADS", "8"), 1));
    assertEquals(5, Launcher.defaultThreads(java.util.Map.of("OMP_NUM_THREADS", "0"), 5));
    assertEquals(5, Launcher.defaultThreads(java.util.Map.of("SLURM_CPUS_PER_TASK", "x"), 5));
    assertEquals(6, Launcher.defaultThreads(java.util.Map.of(), 6));
  }

  @Test
  void runHelpExplainsEveryOption() {
    Result r = launch("run", "--help");
    assertEquals(0, r.code());
    for (String opt : List.of("--ranks", "--backend", "--threads-per-rank", "--memory-per-rank", "--spill-dir",
        "--timeout", "--classpath", "--mpirun-opt", "--jvm-opt", "--jit", "--progress", "--report", "--verbose", "--dry-run",
        "--help")) {
      assertTrue(r.out().contains(opt), "help mentions " + opt + ":\n" + r.out());
    }
    assertTrue(r.out().contains("DRIVER_CLASS"));
  }

  @Test
  void topLevelHelpListsCommands() {
    Result r = launch("--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("run [options] DRIVER_CLASS"));
    assertTrue(r.out().contains("info"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "run --bogus Hello",
      "run -n 0 Hello",
      "run -n abc Hello",
      "run --backend carrier-pigeon Hello",
      "run --threads-per-rank 0 Hello",
      "run --memory-per-rank lots Hello",
      "run --jit fastest Hello",
      "run",
      "run -n 2 no.such.Driver",
      "run -n 2 java.lang.String",
      "run -n 2 io.rankwise.runtime.TestDrivers$NotADriver",
      "frobnicate",
  })
  void usageErrorsExitWith2AndOneClearMessage(String line) {
    Result r = launch(line.split(" "));
    assertEquals(ExitCodes.USAGE, r.code(), r.err());
    assertTrue(r.err().startsWith("rankwise: "), r.err());
    assertFalse(r.err().contains("Exception"), "no stack trace or exception names:\n" + r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void missingClassMessageSaysHowToFixIt() {
    Result r = launch("run", "-n", "2", "no.such.Driver");
    assertTrue(r.err().contains("driver class 'no.such.Driver' not found"), r.err());
    assertTrue(r.err().contains("--classpath"), r.err());
  }

  @Test
  void dryRunShowsTheMpirunCommand() {
    Result r = launch("run", "-n", "3", "--dry-run", "-t", "2", "-M", "--report-bindings", "-J", "-Xmx3g", "Hello", "a");
    assertEquals(0, r.code(), r.err());
    String cmd = r.err();
    assertTrue(cmd.contains("-np 3"), cmd);
    assertTrue(cmd.contains("--report-bindings"), cmd);
    assertTrue(cmd.contains("-Xmx3g"), cmd);
    assertTrue(cmd.contains("-Drankwise.threadsPerRank=2"), cmd);
    assertTrue(cmd.contains("io.rankwise.runtime.SpmdMain io.rankwise.examples.Hello a"), cmd);
    assertFalse(cmd.contains("RAMPercentage"), "the user's -Xmx wins: " + cmd);
  }

  @Test
  void jitQuickKeepsTheRankJvmsToTheFastCompiler() {
    String quick = launch("run", "-n", "2", "--dry-run", "--jit", "quick", "Hello").err();
    assertTrue(quick.contains("-XX:TieredStopAtLevel=1"), quick);
    String peak = launch("run", "-n", "2", "--dry-run", "--jit", "peak", "Hello").err();
    assertFalse(peak.contains("TieredStopAtLevel"), peak);
    assertFalse(launch("run", "-n", "2", "--dry-run", "Hello").err().contains("TieredStopAtLevel"));
  }

  /** Real ranks under mpirun: with --jit quick (or RANKWISE_JIT) every rank JVM has the option, without it none. */
  @Test
  void jitQuickReachesEveryRankJvm() {
    io.rankwise.testing.ProcessRun quick = io.rankwise.testing.ProcessRun.rankwise(60, "run", "-n", "2", "--backend",
        "mpi", "--jit", "quick", "-cp", io.rankwise.testing.ProcessRun.testClasses(),
        TestDrivers.JitMode.class.getName());
    assertEquals(0, quick.exitCode(), quick.describe());
    assertTrue(quick.stdout().contains("quick-jit ranks 2 of 2"), quick.describe());
    io.rankwise.testing.ProcessRun peak = io.rankwise.testing.ProcessRun.rankwise(60, "run", "-n", "2", "--backend",
        "mpi", "-cp", io.rankwise.testing.ProcessRun.testClasses(), TestDrivers.JitMode.class.getName());
    assertEquals(0, peak.exitCode(), peak.describe());
    assertTrue(peak.stdout().contains("quick-jit ranks 0 of 2"), peak.describe());
  }

  /**
   * The local backend runs the ranks in the launcher's JVM: -J system properties are set there,
   * other -J options are named as not applied; a dry run says what would run and runs nothing.
   */
  @Test
  void localRanksTakeMinusJPropertiesAndNameTheOtherOptions() {
    String key = "rankwise.test.localJ";
    try {
      Result r = launch("run", "-n", "2", "--backend", "local", "-J", "-Xss2m", "-J", "-D" + key + "=on=off", "-J",
          "-D" + key + ".flag", "Hello");
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().contains("Hello from rank 1 of 2"), r.out());
      assertEquals("on=off", System.getProperty(key));
      assertEquals("", System.getProperty(key + ".flag"), "-Dk alone is k=\"\", as for a JVM");
      assertTrue(r.err().contains("JVM options [-Xss2m] apply to the rank JVMs of --backend mpi"), r.err());
      assertTrue(r.err().contains("RANKWISE_LAUNCHER_OPTS=\"-Xss2m\""), r.err());
    } finally {
      System.clearProperty(key);
      System.clearProperty(key + ".flag");
    }
    Result dry = launch("run", "-n", "3", "--backend", "local", "--dry-run", "Hello");
    assertEquals(0, dry.code(), dry.err());
    assertEquals("", dry.out(), "nothing ran");
    assertTrue(dry.err().contains("would run io.rankwise.examples.Hello on 3 ranks as threads"), dry.err());
  }

  @Test
  void ranksOfANodeShareItsMemoryByDefault() {
    String cmd = launch("run", "-n", "4", "--dry-run", "Hello").err();
    if (System.getenv("SLURM_JOB_ID") == null) {
      assertTrue(cmd.contains("-XX:MaxRAMPercentage=17.50 -XX:InitialRAMPercentage=4.38"), cmd);
    }
    assertEquals(List.of(), MpirunCommand.heapDefaults(List.of("-XX:MaxRAMPercentage=50"), 4));
    assertEquals(List.of(), MpirunCommand.heapDefaults(List.of("-Xms2g"), 4));
  }

  /** Ranks per node, which the heap and GC defaults divide by, from Slurm's variables or PBS's node file. */
  @Test
  void ranksPerNodeComeFromTheBatchSystem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    java.util.Map<String, String> env = new java.util.HashMap<>();
    assertEquals(6, MpirunCommand.ranksPerNode(6, env::get), "no batch system: all on this node");
    env.put("SLURM_JOB_NUM_NODES", "3");
    assertEquals(2, MpirunCommand.ranksPerNode(6, env::get));
    env.put("SLURM_NTASKS_PER_NODE", "4(x3)");
    assertEquals(4, MpirunCommand.ranksPerNode(6, env::get));
    env.clear();
    java.nio.file.Path nodes = dir.resolve("nodefile");
    java.nio.file.Files.writeString(nodes, "n1\nn1\nn2\nn2\nn3\nn3\nn4\nn4\n"); // select=4:mpiprocs=2
    env.put("PBS_NODEFILE", nodes.toString());
    assertEquals(2, MpirunCommand.ranksPerNode(8, env::get));
    assertEquals(2, MpirunCommand.ranksPerNode(0, env::get), "no -n: one rank per slot");
    assertEquals(1, MpirunCommand.ranksPerNode(1, env::get), "one rank: alone on its node");
    assertEquals(4, MpirunCommand.ranksPerNode(16, env::get), "more ranks than slots: spread over the nodes");
    java.nio.file.Files.writeString(nodes, "a\nb\nc\nd\n"); // select=4:mpiprocs=1
    assertEquals(1, MpirunCommand.ranksPerNode(4, env::get), "one rank per node: the whole node each");
    env.put("PBS_NODEFILE", dir.resolve("missing").toString());
    assertEquals(4, MpirunCommand.ranksPerNode(4, env::get), "unreadable: all on this node");
  }

  /** Each rank JVM collects garbage on its share of the node's cores unless the user chose otherwise. */
  @Test
  void ranksOfANodeShareItsCoresForGarbageCollection() {
    if (System.getenv("SLURM_JOB_ID") == null) { // ranks per node = all ranks here
      assertEquals(List.of("-XX:ParallelGCThreads=1"), MpirunCommand.gcThreadDefaults(List.of(), 2, 2));
      assertEquals(List.of("-XX:ParallelGCThreads=1"), MpirunCommand.gcThreadDefaults(List.of(), 8, 2));
      assertEquals(List.of("-XX:ParallelGCThreads=12"), MpirunCommand.gcThreadDefaults(List.of(), 4, 48));
      assertEquals(List.of(), MpirunCommand.gcThreadDefaults(List.of(), 1, 8), "the JVM's own default");
      assertEquals(List.of(), MpirunCommand.gcThreadDefaults(List.of(), 1, 48), "more than the JVM's default");
      String cmd = launch("run", "-n", "2", "--dry-run", "Hello").err();
      int cores = Runtime.getRuntime().availableProcessors();
      boolean set = !MpirunCommand.gcThreadDefaults(List.of(), 2, cores).isEmpty(); // not on 1 core
      assertEquals(set, cmd.contains("-XX:ParallelGCThreads=" + Math.max(1, cores / 2)), cmd);
    }
    assertEquals(List.of(), MpirunCommand.gcThreadDefaults(List.of("-XX:ParallelGCThreads=3"), 4, 48));
    assertEquals(List.of(), MpirunCommand.gcThreadDefaults(List.of("-XX:ActiveProcessorCount=2"), 4, 48));
  }

  @Test
  void onOneHostSharedMemoryIsTheTransportUnlessTheUserChose() {
    String local = launch("run", "-n", "2", "--dry-run", "Hello").err();
    if (System.getenv("SLURM_JOB_ID") == null && System.getenv("PBS_JOBID") == null && System.getenv("OMPI_MCA_pml") == null) {
      assertTrue(local.contains("--mca pml ob1 --mca btl self,vader"), local);
    }
    String chosen = launch("run", "-n", "2", "--dry-run", "-M", "--mca", "-M", "pml", "-M", "ucx", "Hello").err();
    assertFalse(chosen.contains("pml ob1"), chosen);
    String hosts = launch("run", "-n", "2", "--dry-run", "-M", "--hostfile", "-M", "h.txt", "Hello").err();
    assertFalse(hosts.contains("pml ob1") || hosts.contains("--oversubscribe"), hosts);
  }

  // Every host-list spelling mpirun accepts means several hosts: no one-host transport or oversubscription,
  // and the user's own transport choice (here TCP, as in jobscripts/ci/netns-test.sh) is passed unchanged.
  // ('--mpirun-opt=-hostfile': a bare '-M -hostfile' would be read as a launcher option.)
  @ParameterizedTest
  @ValueSource(strings = {"--hostfile", "-hostfile", "--machinefile", "-machinefile", "--default-hostfile",
      "-default-hostfile", "--host", "-host", "-H"})
  void aHostListKeepsTheUsersTransport(String hostOption) {
    String cmd = launch("run", "-n", "4", "--dry-run", "--mpirun-opt=" + hostOption, "-M", "hosts",
        "-M", "--mca", "-M", "btl", "-M", "tcp,self", "Hello").err();
    assertFalse(cmd.contains("vader") || cmd.contains("--oversubscribe") || cmd.contains("pml ob1"), cmd);
    assertTrue(cmd.contains(" " + hostOption + " hosts --mca btl tcp,self "), cmd);
  }

  @Test
  void driverArgumentsAndOptionsReachEveryBackend() {
    for (String backend : List.of("mpi", "local")) {
      ProcessRun r = ProcessRun.rankwise(60, "run", "-n", "2", "-b", backend, "-t", "3", "-cp",
          ProcessRun.testClasses(), TestDrivers.EchoArgs.class.getName(), "x", "--not-an-option", "-n", "5");
      assertEquals(0, r.exitCode(), r.describe());
      assertEquals("args=x|--not-an-option|-n|5 threads=3\n", r.stdout(), r.describe());
    }
  }

  @Test
  void helloPrintsTheSameResultLinesOnBothBackends() {
    ProcessRun mpi = ProcessRun.rankwise(60, "run", "-n", "4", "Hello");
    ProcessRun local = ProcessRun.rankwise(60, "run", "-n", "4", "--backend", "local", "Hello");
    assertEquals(0, mpi.exitCode(), mpi.describe());
    assertEquals(0, local.exitCode(), local.describe());
    assertEquals(local.stdout(), mpi.stdout());
    String[] lines = mpi.stdout().split("\n");
    assertEquals(5, lines.length, mpi.stdout());
    for (int r = 0; r < 4; r++) {
      assertTrue(lines[r].startsWith("Hello from rank " + r + " of 4 on "), lines[r]);
    }
    assertEquals("allReduce(SUM) of ranks 0..3 = 6 (expected 6)", lines[4]);
  }
}
