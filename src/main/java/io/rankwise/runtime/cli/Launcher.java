package io.rankwise.runtime.cli;

import io.rankwise.RankwiseException;
import io.rankwise.runtime.Driver;
import io.rankwise.runtime.DriverLoader;
import io.rankwise.runtime.ExitCodes;
import io.rankwise.runtime.Installation;
import io.rankwise.runtime.LocalLauncher;
import io.rankwise.runtime.MpirunCommand;
import io.rankwise.runtime.RankConfig;
import io.rankwise.runtime.SpmdMain;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * {@code bin/rankwise}: starts a driver on N ranks, under {@code mpirun} or as threads.
 *
 * <p>This is the only place in Rankwise that decides exit codes: 0 success, 1 a rank failed, 2 bad
 * usage, 124 timeout; under MPI, mpirun's own code otherwise.
 */
public final class Launcher {
  private final PrintStream out;
  private final PrintStream err;

  public Launcher(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    int code = new Launcher(System.out, System.err).execute(args);
    System.out.flush();
    System.exit(code);
  }

  static Options runOptions() {
    Options o = new Options();
    o.addOption(Option.builder("n").longOpt("ranks").hasArg().argName("N")
        .desc("number of ranks (default: the batch allocation's slots under Slurm/PBS, else 1)").build());
    o.addOption(Option.builder("b").longOpt("backend").hasArg().argName("mpi|local|auto")
        .desc("mpi: one JVM per rank under mpirun; local: ranks as threads of one JVM (no MPI needed); "
            + "auto (default): mpi when Open MPI's Java bindings are installed, else local").build());
    o.addOption(Option.builder("t").longOpt("threads-per-rank").hasArg().argName("T")
        .desc("worker threads per rank (default: inside a Slurm job SLURM_CPUS_PER_TASK, else OMP_NUM_THREADS "
            + "when set (PBS sets it to ncpus/mpiprocs), else this node's cores / -n)").build());
    o.addOption(Option.builder("m").longOpt("memory-per-rank").hasArg().argName("SIZE")
        .desc("memory budget of each rank's data, e.g. 4g (default: a share of the JVM heap)").build());
    o.addOption(Option.builder().longOpt("spill-dir").hasArg().argName("DIR")
        .desc("where ranks may spill blocks that exceed their budget (default: java.io.tmpdir)").build());
    o.addOption(Option.builder().longOpt("timeout").hasArg().argName("SECONDS")
        .desc("abort every rank with exit code 124 after this many seconds (default: no limit)").build());
    o.addOption(Option.builder("cp").longOpt("classpath").hasArg().argName("PATH")
        .desc("extra classpath with your driver classes (jars and directories, ':'-separated)").build());
    o.addOption(Option.builder("M").longOpt("mpirun-opt").hasArg().argName("OPT")
        .desc("pass OPT to mpirun; repeat for each word, e.g. -M --hostfile -M hosts.txt "
            + "(also read from RANKWISE_MPIRUN_OPTS)").build());
    o.addOption(Option.builder("J").longOpt("jvm-opt").hasArg().argName("OPT")
        .desc("pass OPT to every rank JVM, e.g. -J -Xmx8g (also read from RANKWISE_JVM_OPTS); without a heap "
            + "option the ranks of a node share 70% of its memory, and without -XX:ParallelGCThreads each "
            + "collects garbage on its share of the cores; --backend local sets -J -Dkey=value in its own "
            + "JVM").build());
    o.addOption(Option.builder().longOpt("jit").hasArg().argName("peak|quick")
        .desc("how the rank JVMs compile (also RANKWISE_JIT). peak (default): the JVM's two compilers, the "
            + "fastest code for long, loop-heavy work; quick: the fast compiler only, no time spent on the "
            + "optimizing one: short jobs (seconds) of many operators start faster, e.g. the seed's "
            + "dataframe workflow 1.6 -> 1.0 s on 2 cores, but long numeric loops run slower (a 30k x 30k "
            + "array mean 1.6 -> 3.6 s)").build());
    o.addOption(Option.builder().longOpt("progress")
        .desc("show progress of each compute on rank 0 (a bar on a terminal, a line every 10 s in batch logs)").build());
    o.addOption(Option.builder().longOpt("report").hasArg().argName("FILE.html")
        .desc("write a performance report when the driver ends: per-rank task stream, compute vs "
            + "communication per superstep, bytes moved, peak memory (self-contained HTML)").build());
    o.addOption(Option.builder("v").longOpt("verbose").desc("print the mpirun command before running it").build());
    o.addOption(Option.builder().longOpt("dry-run").desc("print the mpirun command and exit (--backend local: say what would run, "
        + "and exit)").build());
    o.addOption(Option.builder("h").longOpt("help").desc("show this help").build());
    return o;
  }

  public int execute(String[] args) {
    if (args.length == 0 || isHelp(args[0]) || args[0].equals("help")) {
      printUsage();
      return args.length == 0 ? ExitCodes.USAGE : ExitCodes.OK;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      return switch (args[0]) {
        case "run" -> run(rest);
        case "info" -> info();
        default -> usageError("unknown command '" + args[0] + "'");
      };
    } catch (UsageException e) {
      return usageError(e.getMessage());
    }
  }

  private int run(String[] args) {
    CommandLine cl;
    try {
      // Stop at the driver class: what follows belongs to the driver.
      cl = new DefaultParser().parse(runOptions(), args, true);
    } catch (ParseException e) {
      throw new UsageException(e.getMessage());
    }
    if (cl.hasOption("help")) {
      printRunHelp();
      return ExitCodes.OK;
    }
    List<String> positional = cl.getArgList();
    if (positional.isEmpty()) {
      throw new UsageException("missing DRIVER_CLASS");
    }
    String driverName = positional.get(0);
    if (driverName.startsWith("-")) {
      throw new UsageException("unknown option '" + driverName + "'");
    }
    List<String> driverArgs = positional.subList(1, positional.size());

    int ranks = intOption(cl, "ranks", 0, 1);
    Installation inst = Installation.current();
    String backend = cl.getOptionValue("backend", "auto");
    switch (backend) {
      case "auto" -> backend = inst.hasMpi() ? "mpi" : "local";
      case "mpi", "local" -> {}
      default -> throw new UsageException("--backend must be mpi, local or auto, got '" + backend + "'");
    }
    if (backend.equals("local") && ranks == 0) {
      ranks = 1;
    }
    int localRanks = ranks == 0 ? 1 : ranks;
    RankConfig d = RankConfig.defaults(backend.equals("local") ? localRanks : Math.min(localRanks, cores()));
    RankConfig config;
    try {
      config = new RankConfig(
          intOption(cl, "threads-per-rank", defaultThreads(System.getenv(), d.threadsPerRank()), 1),
          cl.hasOption("memory-per-rank") ? RankConfig.parseBytes(cl.getOptionValue("memory-per-rank")) : 0,
          cl.hasOption("spill-dir") ? Path.of(cl.getOptionValue("spill-dir")) : d.spillDir(),
          intOption(cl, "timeout", 0, 1));
    } catch (RankwiseException e) {
      throw new UsageException(e.getMessage());
    }

    List<String> jit = jitOptions(cl.hasOption("jit") ? cl.getOptionValue("jit") : System.getenv().getOrDefault(
        "RANKWISE_JIT", "peak"), cl.hasOption("jit") ? "--jit" : "RANKWISE_JIT");
    List<String> observe = new ArrayList<>();
    if (cl.hasOption("progress")) {
      observe.add("-Drankwise.progress=true");
    }
    if (cl.hasOption("report")) {
      observe.add("-Drankwise.report=" + Path.of(cl.getOptionValue("report")).toAbsolutePath());
    }
    String userCp = cl.getOptionValue("classpath", System.getenv().getOrDefault("RANKWISE_CLASSPATH", ""));
    Class<? extends Driver> driverClass;
    try (URLClassLoader loader = classLoader(userCp)) {
      driverClass = DriverLoader.load(driverName, loader);
      if (backend.equals("local")) {
        if (cl.hasOption("dry-run")) {
          err.println("rankwise: would run " + driverClass.getName() + " on " + ranks + " ranks as threads of this JVM "
              + "(--backend local)");
          return 0;
        }
        if (!jit.isEmpty() && !java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
            .containsAll(jit)) {
          err.println("rankwise: the quick JIT (--jit/RANKWISE_JIT) applies to the rank JVMs of --backend mpi; the "
              + "local backend runs in the launcher's JVM: start it with RANKWISE_LAUNCHER_OPTS=" + String.join(" ", jit));
        }
        // the ranks run in this JVM: system properties given with -J (or RANKWISE_JVM_OPTS) are
        // set here; other JVM options cannot apply any more
        List<String> props = new ArrayList<>(observe);
        List<String> ignored = new ArrayList<>();
        for (String o : userJvmOptions(cl)) {
          (o.startsWith("-D") && o.length() > 2 && o.charAt(2) != '=' ? props : ignored).add(o);
        }
        if (!ignored.isEmpty()) {
          err.println("rankwise: JVM options " + ignored + " apply to the rank JVMs of --backend mpi; the local "
              + "backend runs in the launcher's JVM: start it with RANKWISE_LAUNCHER_OPTS=\"" + String.join(" ", ignored)
              + "\"");
        }
        for (String prop : props) {
          String kv = prop.substring(2);
          int eq = kv.indexOf('=');
          System.setProperty(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1)); // -Dk is k=""
        }
        return LocalLauncher.run(ranks, config, driverClass, driverArgs.toArray(String[]::new), out, err);
      }
    } catch (RankwiseException e) {
      throw new UsageException(e.getMessage());
    } catch (IOException e) {
      throw new UsageException("cannot read classpath '" + userCp + "': " + e.getMessage());
    }
    return runMpi(cl, inst, ranks, config, userCp, driverClass.getName(), driverArgs, jit, observe);
  }

  /** The rank JVMs' options for a JIT mode, given by {@code where} (the option or the variable). */
  static List<String> jitOptions(String mode, String where) {
    return switch (mode) {
      case "peak" -> List.of();
      case "quick" -> List.of("-XX:TieredStopAtLevel=1");
      default -> throw new UsageException(where + " must be peak or quick, got '" + mode + "'");
    };
  }

  private int runMpi(CommandLine cl, Installation inst, int ranks, RankConfig config, String userCp,
      String driverClass, List<String> driverArgs, List<String> jit, List<String> observe) {
    try {
      inst.requireMpi();
    } catch (RankwiseException e) {
      throw new UsageException(e.getMessage());
    }
    List<String> mpirunOpts = new ArrayList<>(splitEnv("RANKWISE_MPIRUN_OPTS"));
    mpirunOpts.addAll(values(cl, "mpirun-opt"));
    List<String> jvmOpts = new ArrayList<>(jit); // first: the user's own -J options win
    jvmOpts.addAll(userJvmOptions(cl));
    jvmOpts.addAll(List.of(config.toJvmArgs()));
    jvmOpts.addAll(observe);
    jvmOpts.add("-Drankwise.home=" + inst.home());
    String cp = launcherClasspath() + (userCp.isEmpty() ? "" : File.pathSeparator + userCp);
    ClassSharing.Use shared = ClassSharing.forRanks(inst, launcherClasspath(), userCp,
        mpirunOpts, !cl.hasOption("dry-run"), err);
    if (shared != null) {
      cp = shared.classpath();
      jvmOpts.addAll(0, shared.jvmOptions());
    }
    List<String> args = new ArrayList<>();
    args.add(driverClass);
    args.addAll(driverArgs);
    List<String> cmd = MpirunCommand.build(inst, ranks, mpirunOpts, jvmOpts, cp, SpmdMain.class.getName(), args);
    if (shared != null) {
      cmd.add(cmd.indexOf(MpirunCommand.javaExecutable()), ClassSharing.ENV_PROGRAM);
    }
    if (cl.hasOption("verbose") || cl.hasOption("dry-run")) {
      err.println("rankwise: " + String.join(" ", cmd));
    }
    if (cl.hasOption("dry-run")) {
      return ExitCodes.OK;
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
    MpirunCommand.configure(pb.environment());
    try {
      Process p = pb.start();
      // If the launcher is interrupted (Ctrl-C, scancel), take mpirun and its ranks down too.
      Thread reaper = new Thread(p::destroy);
      Runtime.getRuntime().addShutdownHook(reaper);
      int code = p.waitFor();
      Runtime.getRuntime().removeShutdownHook(reaper);
      return code;
    } catch (IOException e) {
      err.println("rankwise: cannot start " + cmd.get(0) + ": " + e.getMessage());
      return ExitCodes.USAGE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.FAILED;
    }
  }

  private int info() {
    Installation inst = Installation.current();
    out.println("Rankwise home:   " + inst.home());
    out.println("Java:            " + System.getProperty("java.version") + " (" + System.getProperty("java.home") + ")");
    out.println("Cores:           " + cores());
    out.println("MPI backend:     " + (inst.hasMpi() ? "available (Open MPI " + inst.ompiVersion() + ")"
        : "not available: missing " + String.join(", ", inst.missingMpi())));
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(inst.values()).entrySet()) {
      out.println("  " + e.getKey() + "=" + e.getValue());
    }
    out.println("Local backend:   available");
    out.println("Class sharing:   " + ClassSharing.describe(inst, launcherClasspath()));
    return ExitCodes.OK;
  }

  private static URLClassLoader classLoader(String cp) {
    List<URL> urls = new ArrayList<>();
    for (String p : cp.split(File.pathSeparator)) {
      if (p.isBlank()) {
        continue;
      }
      try {
        urls.add(Path.of(p).toUri().toURL());
      } catch (MalformedURLException e) {
        throw new UsageException("bad classpath entry '" + p + "'");
      }
    }
    return new URLClassLoader(urls.toArray(URL[]::new), Launcher.class.getClassLoader());
  }

  private static int intOption(CommandLine cl, String name, int dflt, int min) {
    if (!cl.hasOption(name)) {
      return dflt;
    }
    String v = cl.getOptionValue(name);
    try {
      int n = Integer.parseInt(v);
      if (n < min) {
        throw new UsageException("--" + name + " must be at least " + min + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " expects an integer, got '" + v + "'");
    }
  }

  /** The user's JVM options: RANKWISE_JVM_OPTS, then the -J options. */
  private static List<String> userJvmOptions(CommandLine cl) {
    List<String> out = new ArrayList<>(splitEnv("RANKWISE_JVM_OPTS"));
    out.addAll(values(cl, "jvm-opt"));
    return out;
  }

  private static List<String> values(CommandLine cl, String name) {
    String[] v = cl.getOptionValues(name);
    return v == null ? List.of() : List.of(v);
  }

  private static List<String> splitEnv(String name) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? List.of() : List.of(v.trim().split("\\s+"));
  }

  /**
   * Threads per rank when {@code -t} is not given: what the batch system gave each task (Slurm's
   * SLURM_CPUS_PER_TASK; OMP_NUM_THREADS, which PBS Pro sets to ncpus/mpiprocs), else
   * {@code fallback} (this node's cores shared by the ranks).
   */
  public static int defaultThreads(java.util.Map<String, String> env, int fallback) {
    for (String name : new String[] {"SLURM_CPUS_PER_TASK", "OMP_NUM_THREADS"}) {
      String v = env.get(name);
      if (v != null && v.trim().matches("[1-9][0-9]{0,4}")) {
        return Integer.parseInt(v.trim());
      }
    }
    return fallback;
  }

  private static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  private static boolean isHelp(String a) {
    return a.equals("-h") || a.equals("--help");
  }

  private int usageError(String message) {
    err.println("rankwise: " + message);
    err.println("Try 'rankwise --help' or 'rankwise run --help'.");
    return ExitCodes.USAGE;
  }

  private void printUsage() {
    out.println("""
        Usage: rankwise COMMAND [options]

        Run data-parallel Java drivers as SPMD programs over MPI ranks.

        Commands:
          run [options] DRIVER_CLASS [args...]   run DRIVER_CLASS on every rank
          info                                   show the MPI/Java installation Rankwise will use
          help                                   show this help

        Examples:
          rankwise run -n 4 Hello                      4 ranks under mpirun (short names are
                                                       looked up in io.rankwise.examples)
          rankwise run -n 4 --backend local Hello      4 ranks as threads, no MPI needed
          rankwise run -n 8 -t 4 -cp my.jar com.acme.Analysis input.h5

        Exit codes: 0 success, 1 a rank failed, 2 usage error, 124 --timeout reached.
        'rankwise run --help' lists the run options.""");
  }

  private void printRunHelp() {
    HelpFormatter f = new HelpFormatter();
    PrintWriter pw = new PrintWriter(out);
    f.printHelp(pw, 100, "rankwise run [options] DRIVER_CLASS [args...]",
        "\nRuns DRIVER_CLASS (an io.rankwise.runtime.Driver) on every rank. Options stop at the driver "
            + "class; later arguments go to the driver.\n\n",
        runOptions(), 2, 4,
        "\nUnder Slurm or PBS, leave out -n to use the job's allocation. As root, Open MPI's "
            + "run-as-root guard is acknowledged for you. Environment: RANKWISE_MPIRUN_OPTS, "
            + "RANKWISE_JVM_OPTS, RANKWISE_JIT, RANKWISE_CLASSPATH, RANKWISE_LOG=debug|info|warn|off, and the "
            + "RANKWISE_MPI_* variables of native/build/rankwise.env (see 'rankwise info').",
        false);
    pw.flush();
  }

  /** A usage error: reported in one line with exit code 2, never as a stack trace. */
  private static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }

  /**
   * The launcher's class path as built (target/classes, the libraries): bin/rankwise passes it as
   * {@code rankwise.launcherClasspath} when the launcher itself runs from an archived copy of the
   * jar; the ranks' class path and their archive are derived from it either way.
   */
  static String launcherClasspath() {
    return System.getProperty("rankwise.launcherClasspath", System.getProperty("java.class.path"));
  }
}
