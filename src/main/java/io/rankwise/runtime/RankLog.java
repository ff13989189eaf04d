package io.rankwise.runtime;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Log lines that say which rank wrote them: {@code 12:00:01.250 [rank 1/4] INFO message}. Goes to
 * stderr so that results on stdout stay clean. Level from {@code -Drankwise.log} or
 * {@code RANKWISE_LOG}: debug, info (default), warn, off.
 */
public final class RankLog {
  public enum Level { DEBUG, INFO, WARN, OFF }

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private final String prefix;
  private final Level level;
  private final PrintStream err;

  public RankLog(int rank, int size, PrintStream err) {
    this.prefix = "[rank " + rank + "/" + size + "] ";
    this.level = configuredLevel();
    this.err = err;
  }

  static Level configuredLevel() {
    String v = System.getProperty("rankwise.log", System.getenv("RANKWISE_LOG"));
    if (v == null || v.isBlank()) {
      return Level.INFO;
    }
    try {
      return Level.valueOf(v.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Level.INFO;
    }
  }

  public boolean enabled(Level l) {
    return l.compareTo(level) >= 0 && l != Level.OFF;
  }

  public void debug(String msg) {
    log(Level.DEBUG, msg);
  }

  public void info(String msg) {
    log(Level.INFO, msg);
  }

  public void warn(String msg) {
    log(Level.WARN, msg);
  }

  private void log(Level l, String msg) {
    if (enabled(l)) {
      // One println call per line: lines from different threads do not interleave mid-line.
      err.println(LocalTime.now().format(TIME) + " " + prefix + l + " " + msg);
    }
  }
}
