package io.rankwise.runtime;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@code mpirun ... java ... SpmdMain} command line that starts one JVM per rank. Shared
 * by the launcher and the SPMD test harness so that tests start ranks exactly as users do.
 */
public final class MpirunCommand {
  /** Every spelling of mpirun 4.1's host-list options (mpirun rejects '--hostfile=FILE'). */
  private static final List<String> HOST_OPTIONS = List.of("--hostfile", "-hostfile", "--machinefile",
      "-machinefile", "--default-hostfile", "-default-hostfile", "--host", "-host", "-H");

  private MpirunCommand() {}

  /**
   * @param ranks number of ranks, or 0 to let mpirun use the batch allocation's slots
   * @param mpirunOpts options passed through to mpirun, before the program
   * @param jvmOpts options for every rank JVM
   * @param classpath rank classpath (without mpi.jar: it is added from {@code inst})
   */
  public static List<String> build(Installation inst, int ranks, List<String> mpirunOpts, List<String> jvmOpts,
      String classpath, String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(inst.mpirun());
    if (ranks > 0) {
      cmd.add("-np");
      cmd.add(Integer.toString(ranks));
    }
    if (!inBatchAllocation() && !mentionsHosts(mpirunOpts)) {
      // On a workstation, more ranks than cores is a normal way to test.
      cmd.add("--oversubscribe");
      // One host: shared memory is the transport. Probing UCX/OFI for networks costs ~200 ms of
      // MPI_Init per job; clusters (batch allocations, host lists) keep Open MPI's own choice.
      if (!mentionsMca(mpirunOpts, "pml") && System.getenv("OMPI_MCA_pml") == null) {
        cmd.addAll(List.of("--mca", "pml", "ob1"));
      }
      if (!mentionsMca(mpirunOpts, "btl") && System.getenv("OMPI_MCA_btl") == null) {
        cmd.addAll(List.of("--mca", "btl", "self,vader"));
      }
    }
    if (!mpirunOpts.contains("--bind-to")) {
      // A rank runs several worker threads: binding it to one core would serialize them.
      cmd.add("--bind-to");
      cmd.add("none");
    }
    boolean blasSet = false;
    for (String o : mpirunOpts) {
      blasSet |= o.equals("OPENBLAS_NUM_THREADS") || o.startsWith("OPENBLAS_NUM_THREADS=");
    }
    if (!blasSet) {
      // Ranks and worker threads already use the cores: each BLAS call runs on its caller's
      // thread (configure() sets the value, 1 unless the user chose one; -x forwards it to
      // every node). Multi-threaded OpenBLAS in every rank oversubscribes the cores.
      cmd.add("-x");
      cmd.add("OPENBLAS_NUM_THREADS");
    }
    cmd.addAll(mpirunOpts);
    cmd.add(javaExecutable());
    int perNode = ranksPerNode(ranks); // once: under PBS it reads the node file
    cmd.addAll(heapDefaults(jvmOpts, perNode));
    cmd.addAll(gcThreadDefaults(jvmOpts, perNode, Runtime.getRuntime().availableProcessors()));
    cmd.addAll(jvmOpts);
    cmd.add("-Djava.library.path=" + inst.libraryPath());
    List<String> cp = new ArrayList<>();
    cp.add(classpath);
    cp.addAll(inst.nativeJars());
    cmd.add("-cp");
    cmd.add(String.join(File.pathSeparator, cp));
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  /**
   * Environment settings mpirun needs here: Open MPI refuses to run as root unless told; BLAS
   * calls stay on their caller's thread unless OPENBLAS_NUM_THREADS is set already.
   */
  public static void configure(Map<String, String> env) {
    env.putIfAbsent("OPENBLAS_NUM_THREADS", "1");
    if ("root".equals(System.getProperty("user.name"))) {
      env.putIfAbsent("OMPI_ALLOW_RUN_AS_ROOT", "1");
      env.putIfAbsent("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
    }
  }

  /** The java of this JVM, so ranks run the same Java as the launcher. */
  public static String javaExecutable() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }

  /**
   * Heap settings when the user chose none (no -Xmx/-Xms/-Xmn/RAM percentages): the ranks of a
   * node share 70% of its memory (or of its cgroup limit), and each starts with a quarter of its
   * share, so large computations do not begin with a string of collections while the heap grows.
   * (The JVM's own default, a quarter of the memory for every JVM, overcommits a node with many
   * ranks.) Pages are only used when touched. {@code perNode}: {@link #ranksPerNode}.
   */
  static List<String> heapDefaults(List<String> jvmOpts, int perNode) {
    for (String o : jvmOpts) {
      if (o.startsWith("-Xmx") || o.startsWith("-Xms") || o.startsWith("-Xmn") || o.contains("RAMPercentage")
          || o.startsWith("-XX:MaxRAM=")) {
        return List.of();
      }
    }
    double share = 70.0 / Math.max(1, perNode);
    return List.of("-XX:MaxRAMPercentage=" + twoDecimals(share), "-XX:InitialRAMPercentage=" + twoDecimals(share / 4));
  }

  /**
   * GC worker threads when the user chose none: each rank's share of the node's cores. Every JVM
   * otherwise starts as many parallel GC threads as the node has cores (5/8 of those beyond 8), so
   * the ranks of a full node run ranks x cores GC threads, and one rank's collection stalls the
   * others' work (2 ranks on 2 cores: a 100 M-row shuffle groupby 8.1-11.5 s -> 7.9-9.2 s, the CSV
   * workload 10.9 -> 9.4 s, the others unchanged). Nothing when the share is the JVM's default anyway.
   * {@code perNode}: {@link #ranksPerNode}.
   */
  static List<String> gcThreadDefaults(List<String> jvmOpts, int perNode, int cores) {
    for (String o : jvmOpts) {
      if (o.startsWith("-XX:ParallelGCThreads=") || o.startsWith("-XX:ActiveProcessorCount=")) {
        return List.of();
      }
    }
    int share = Math.max(1, cores / Math.max(1, perNode));
    int jvmDefault = cores <= 8 ? cores : 8 + (cores - 8) * 5 / 8;
    return share >= jvmDefault ? List.of() : List.of("-XX:ParallelGCThreads=" + share);
  }

  /** {@code v} (positive) with two decimals, without java.util.Formatter (its start-up cost shows in every launch). */
  static String twoDecimals(double v) {
    long c = Math.round(v * 100);
    return c / 100 + "." + (c % 100 < 10 ? "0" : "") + c % 100;
  }

  /** Ranks that share one node: from the batch system when inside an allocation, else all of them. */
  static int ranksPerNode(int ranks) {
    return ranksPerNode(ranks, System::getenv);
  }

  /**
   * {@link #ranksPerNode(int)} with the environment given: Slurm's tasks per node, or its tasks
   * over its nodes; PBS's node file (one line per MPI slot, mpiprocs per node: mpirun fills a
   * node's slots before the next, so the busiest node has the smaller of its slots and the ranks);
   * else every rank on this node.
   */
  static int ranksPerNode(int ranks, java.util.function.Function<String, String> env) {
    String perNode = env.apply("SLURM_NTASKS_PER_NODE"); // e.g. "4" or "4(x2)"
    if (perNode != null && perNode.matches("\\d+.*")) {
      return Math.max(1, Integer.parseInt(perNode.replaceAll("\\D.*", "")));
    }
    String nodes = env.apply("SLURM_JOB_NUM_NODES");
    int total = ranks > 0 ? ranks : parseOr(env.apply("SLURM_NTASKS"), Runtime.getRuntime().availableProcessors());
    if (nodes != null && nodes.matches("\\d+") && Integer.parseInt(nodes) > 0) {
      return Math.max(1, (total + Integer.parseInt(nodes) - 1) / Integer.parseInt(nodes));
    }
    String nodeFile = env.apply("PBS_NODEFILE");
    if (nodeFile != null) {
      java.util.Map<String, Integer> slots = new java.util.HashMap<>();
      int lines = 0;
      try {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(nodeFile))) {
          if (!line.isBlank()) {
            slots.merge(line.trim(), 1, Integer::sum);
            lines++;
          }
        }
      } catch (java.io.IOException | RuntimeException e) {
        slots.clear(); // unreadable: fall back to every rank on this node (the safe side for memory)
      }
      if (!slots.isEmpty()) {
        int ofPbs = ranks > 0 ? ranks : lines;
        int most = slots.values().stream().mapToInt(Integer::intValue).max().orElse(1);
        return Math.max(1, ofPbs <= lines ? Math.min(most, ofPbs) : (ofPbs + slots.size() - 1) / slots.size());
      }
    }
    return Math.max(1, total);
  }

  private static int parseOr(String v, int fallback) {
    return v != null && v.matches("\\d+") ? Integer.parseInt(v) : fallback;
  }

  static boolean inBatchAllocation() {
    return System.getenv("SLURM_JOB_ID") != null || System.getenv("PBS_JOBID") != null
        || System.getenv("LSB_JOBID") != null;
  }

  private static boolean mentionsMca(List<String> opts, String param) {
    for (int i = 0; i + 1 < opts.size(); i++) {
      if ((opts.get(i).equals("--mca") || opts.get(i).equals("-mca")) && opts.get(i + 1).equals(param)) {
        return true;
      }
    }
    return false;
  }

  private static boolean mentionsHosts(List<String> opts) {
    for (String o : opts) {
      if (HOST_OPTIONS.contains(o)) {
        return true;
      }
    }
    return false;
  }
}
