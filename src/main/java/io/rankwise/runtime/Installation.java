package io.rankwise.runtime;

import io.rankwise.RankwiseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where this machine's native pieces are: Open MPI's {@code mpi.jar} and {@code libmpi_java.so},
 * {@code mpirun}, and jhdf5. {@code native/install.sh} records them in
 * {@code native/build/rankwise.env}; environment variables of the same names override the file
 * (for clusters where a module provides Open MPI).
 */
public final class Installation {
  public static final String ENV_FILE = "native/build/rankwise.env";

  private final Path home;
  private final Map<String, String> values;

  private Installation(Path home, Map<String, String> values) {
    this.home = home;
    this.values = values;
  }

  /** The installation of the Rankwise checkout at {@code home}. */
  public static Installation at(Path home) {
    Map<String, String> v = new LinkedHashMap<>();
    Path env = home.resolve(ENV_FILE);
    if (Files.isRegularFile(env)) {
      try {
        for (String line : Files.readAllLines(env)) {
          String l = line.strip();
          int eq = l.indexOf('=');
          if (l.isEmpty() || l.startsWith("#") || eq < 0) {
            continue;
          }
          v.put(l.substring(0, eq).strip(), unquote(l.substring(eq + 1).strip()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + env, e);
      }
    }
    for (String k : List.of("RANKWISE_MPI_JAR", "RANKWISE_MPI_LIBDIR", "RANKWISE_MPIRUN",
        "RANKWISE_OMPI_VERSION", "RANKWISE_JHDF5_JAR", "RANKWISE_JHDF5_LIBDIR")) {
      String e = System.getenv(k);
      if (e != null && !e.isBlank()) {
        v.put(k, e);
      }
    }
    return new Installation(home, v);
  }

  /** {@code -Drankwise.home}, else {@code RANKWISE_HOME}, else the working directory. */
  public static Installation current() {
    String h = System.getProperty("rankwise.home", System.getenv("RANKWISE_HOME"));
    return at(Path.of(h == null ? "." : h).toAbsolutePath().normalize());
  }

  public Path home() {
    return home;
  }

  /** True when mpi.jar, libmpi_java and mpirun are all known and present. */
  public boolean hasMpi() {
    return missingMpi().isEmpty();
  }

  /** What is missing for the MPI backend, as sentences; empty when nothing is. */
  public List<String> missingMpi() {
    List<String> missing = new ArrayList<>();
    checkFile(missing, "RANKWISE_MPI_JAR", "Open MPI's Java bindings (mpi.jar)");
    checkFile(missing, "RANKWISE_MPIRUN", "mpirun");
    String lib = values.get("RANKWISE_MPI_LIBDIR");
    if (lib == null || !Files.isRegularFile(Path.of(lib, "libmpi_java.so"))) {
      missing.add("libmpi_java.so (RANKWISE_MPI_LIBDIR=" + lib + ")");
    }
    return missing;
  }

  private void checkFile(List<String> missing, String key, String what) {
    String p = values.get(key);
    if (p == null || !Files.isRegularFile(Path.of(p))) {
      missing.add(what + " (" + key + "=" + p + ")");
    }
  }

  /** Throws a message that says how to fix a missing MPI installation. */
  public void requireMpi() {
    List<String> missing = missingMpi();
    if (!missing.isEmpty()) {
      throw new RankwiseException("the MPI backend is not available: missing " + String.join(", ", missing)
          + ". Run native/install.sh (it writes " + home.resolve(ENV_FILE) + "), set the RANKWISE_* "
          + "variables to your cluster's Open MPI, or use --backend local");
    }
  }

  public String mpiJar() {
    return values.get("RANKWISE_MPI_JAR");
  }

  public String mpirun() {
    return values.get("RANKWISE_MPIRUN");
  }

  public String ompiVersion() {
    return values.getOrDefault("RANKWISE_OMPI_VERSION", "unknown");
  }

  /** {@code java.library.path} for rank JVMs: libmpi_java and jhdf5's JNI libraries. */
  public String libraryPath() {
    List<String> dirs = new ArrayList<>();
    for (String k : List.of("RANKWISE_MPI_LIBDIR", "RANKWISE_JHDF5_LIBDIR")) {
      String d = values.get(k);
      if (d != null && !d.isBlank()) {
        dirs.add(d);
      }
    }
    return String.join(":", dirs);
  }

  /** Jars that rank JVMs need beyond the Rankwise classpath (mpi.jar, jhdf5). */
  public List<String> nativeJars() {
    List<String> jars = new ArrayList<>();
    for (String k : List.of("RANKWISE_MPI_JAR", "RANKWISE_JHDF5_JAR")) {
      String j = values.get(k);
      if (j != null && Files.isRegularFile(Path.of(j))) {
        jars.add(j);
      }
    }
    return jars;
  }

  /** Every recorded value, for {@code rankwise info}. */
  public Map<String, String> values() {
    return Map.copyOf(values);
  }

  private static String unquote(String s) {
    if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }
}
