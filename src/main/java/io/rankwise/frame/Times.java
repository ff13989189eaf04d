package io.rankwise.frame;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Timestamps as epoch nanoseconds (UTC, naive like pandas' default) and frequency strings. */
public final class Times {
  private static final Pattern FREQ = Pattern.compile("(\\d*)\\s*(ns|us|ms|s|sec|min|t|h|d)", Pattern.CASE_INSENSITIVE);
  private static final DateTimeFormatter OUT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private Times() {}

  /** '2000', '2000-01-31', '2000-01-31 12:00:00', '2000-01-31T12:00' → epoch nanos. */
  public static long parse(String s) {
    String t = s.trim();
    try {
      if (t.matches("\\d{4}")) {
        return nanos(LocalDate.of(Integer.parseInt(t), 1, 1).atStartOfDay());
      }
      if (t.matches("\\d{4}-\\d{2}")) {
        return nanos(LocalDate.parse(t + "-01").atStartOfDay());
      }
      if (t.matches("\\d{4}-\\d{2}-\\d{2}")) {
        return nanos(LocalDate.parse(t).atStartOfDay());
      }
      return nanos(LocalDateTime.parse(t.replace(' ', 'T')));
    } catch (DateTimeParseException e) {
      throw new FrameException("cannot read '" + s + "' as a date/time; use e.g. 2000-01-31 or 2000-01-31 12:00:00");
    }
  }

  private static long nanos(LocalDateTime t) {
    Instant i = t.toInstant(ZoneOffset.UTC);
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
  }

  /** '1s', '2H', '10min', '1d', '24h' → nanoseconds. */
  public static long freq(String s) {
    Matcher m = FREQ.matcher(s.trim());
    if (!m.matches()) {
      throw new FrameException("unknown frequency '" + s + "'; use a number and a unit: ns, us, ms, s, min, h, d "
          + "(e.g. 1s, 10min, 2h, 1d)");
    }
    long n = m.group(1).isEmpty() ? 1 : Long.parseLong(m.group(1));
    if (n <= 0) {
      throw new FrameException("frequency '" + s + "' must be positive");
    }
    long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "ns" -> 1L;
      case "us" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s", "sec" -> 1_000_000_000L;
      case "min", "t" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> 86_400_000_000_000L;
    };
    return Math.multiplyExact(n, unit);
  }

  public static String format(long nanos) {
    long sec = Math.floorDiv(nanos, 1_000_000_000L);
    int ns = (int) Math.floorMod(nanos, 1_000_000_000L);
    LocalDateTime t = LocalDateTime.ofEpochSecond(sec, ns, ZoneOffset.UTC);
    String base = t.format(OUT);
    return ns == 0 ? base : base + String.format(Locale.ROOT, ".%09d", ns).replaceAll("0+$", "");
  }
}
