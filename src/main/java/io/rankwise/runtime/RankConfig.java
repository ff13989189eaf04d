package io.rankwise.runtime;

import io.rankwise.RankwiseException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Per-rank settings, given by the launcher as {@code -Drankwise.*} system properties on every rank
 * JVM (or built directly by tests and the local backend).
 *
 * @param threadsPerRank worker threads each rank uses for its tasks
 * @param memoryPerRankBytes memory budget for a rank's data, 0 = not set (a fraction of the heap)
 * @param spillDir where a rank may spill blocks that exceed its budget
 * @param timeoutSeconds end the job with an error after this long, 0 = never
 */
public record RankConfig(int threadsPerRank, long memoryPerRankBytes, Path spillDir, long timeoutSeconds) {

  public static final String THREADS = "rankwise.threadsPerRank";
  public static final String MEMORY = "rankwise.memoryPerRank";
  public static final String SPILL_DIR = "rankwise.spillDir";
  public static final String TIMEOUT = "rankwise.timeoutSeconds";

  public RankConfig {
    if (threadsPerRank < 1) {
      throw new RankwiseException("threads per rank must be >= 1, got " + threadsPerRank);
    }
  }

  /** Defaults for {@code ranksOnThisNode} ranks sharing this machine's cores. */
  public static RankConfig defaults(int ranksOnThisNode) {
    int cores = Runtime.getRuntime().availableProcessors();
    return new RankConfig(Math.max(1, cores / Math.max(1, ranksOnThisNode)), 0,
        Path.of(System.getProperty("java.io.tmpdir")), 0);
  }

  /** Reads the launcher's system properties, falling back to {@link #defaults}. */
  public static RankConfig fromSystemProperties(int ranksOnThisNode) {
    RankConfig d = defaults(ranksOnThisNode);
    String threads = System.getProperty(THREADS);
    String mem = System.getProperty(MEMORY);
    String spill = System.getProperty(SPILL_DIR);
    String timeout = System.getProperty(TIMEOUT);
    return new RankConfig(
        threads == null ? d.threadsPerRank : parseInt(THREADS, threads),
        mem == null ? 0 : parseBytes(mem),
        spill == null ? d.spillDir : Path.of(spill),
        timeout == null ? 0 : parseInt(TIMEOUT, timeout));
  }

  /** The system properties that recreate this config in a rank JVM. */
  public String[] toJvmArgs() {
    return new String[] {
      "-D" + THREADS + "=" + threadsPerRank,
      "-D" + MEMORY + "=" + memoryPerRankBytes,
      "-D" + SPILL_DIR + "=" + spillDir,
      "-D" + TIMEOUT + "=" + timeoutSeconds,
    };
  }

  private static int parseInt(String key, String v) {
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new RankwiseException(key + ": expected an integer, got '" + v + "'");
    }
  }

  /** Parses sizes such as {@code 512m}, {@code 4g}, {@code 1073741824}. */
  public static long parseBytes(String v) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    long mult = 1;
    if (!s.isEmpty() && "kmgt".indexOf(s.charAt(s.length() - 1)) >= 0) {
      mult = 1L << (10 * ("kmgt".indexOf(s.charAt(s.length() - 1)) + 1));
      s = s.substring(0, s.length() - 1);
    }
    try {
      long n = Long.parseLong(s);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(n, mult);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new RankwiseException("memory size: expected a number of bytes with an optional k/m/g/t "
          + "suffix (e.g. 4g), got '" + v + "'");
    }
  }
}
