package io.rankwise.xarray;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CF time units, {@code "<unit> since <date>[ <time>][ <zone>]"}, for the standard (proleptic
 * Gregorian) calendar: decodes numbers to epoch milliseconds (UTC) and encodes them back.
 */
final class TimeUnits {
  private static final Pattern UNITS = Pattern.compile(
      "\\s*(\\w+)\\s+since\\s+(\\d{1,4})-(\\d{1,2})-(\\d{1,2})(?:[T ](\\d{1,2}):(\\d{1,2})(?::(\\d{1,2}(?:\\.\\d*)?))?)?"
          + "\\s*(Z|UTC|[+-]\\d{1,2}(?::?\\d{2})?)?\\s*");

  final String text;
  final double unitMillis;
  final long epochMillis;

  private TimeUnits(String text, double unitMillis, long epochMillis) {
    this.text = text;
    this.unitMillis = unitMillis;
    this.epochMillis = epochMillis;
  }

  static boolean looksLikeTime(String units) {
    return units != null && units.toLowerCase(Locale.ROOT).contains(" since ");
  }

  /** Parses {@code units} of variable {@code where}; a clear error for what is not supported. */
  static TimeUnits parse(String units, String calendar, String where) {
    boolean proleptic = false;
    if (calendar != null && !calendar.isBlank()) {
      String c = calendar.trim().toLowerCase(Locale.ROOT);
      proleptic = c.equals("proleptic_gregorian");
      if (!c.equals("standard") && !c.equals("gregorian") && !proleptic) {
        throw new XrException(where + ": calendar '" + calendar + "' is not supported; Rankwise decodes the standard "
            + "(gregorian, proleptic_gregorian) calendar only; open with decodeTimes=false to keep the numbers");
      }
    }
    Matcher m = UNITS.matcher(units);
    if (!m.matches()) {
      throw new XrException(where + ": cannot decode time units '" + units + "'; expected '<unit> since "
          + "YYYY-MM-DD[ hh:mm:ss]' with unit days, hours, minutes, seconds or milliseconds");
    }
    double unit = switch (m.group(1).toLowerCase(Locale.ROOT)) {
      case "days", "day", "d" -> 86_400_000.0;
      case "hours", "hour", "hr", "hrs", "h" -> 3_600_000.0;
      case "minutes", "minute", "min", "mins" -> 60_000.0;
      case "seconds", "second", "sec", "secs", "s" -> 1000.0;
      case "milliseconds", "millisecond", "msec", "msecs", "ms" -> 1.0;
      default -> throw new XrException(where + ": unsupported time unit '" + m.group(1) + "' in '" + units
          + "'; use days, hours, minutes, seconds or milliseconds");
    };
    try {
      int year = Integer.parseInt(m.group(2));
      int month = Integer.parseInt(m.group(3));
      int day = Integer.parseInt(m.group(4));
      LocalDate d;
      if (!proleptic && LocalDate.of(year, month, Math.min(day, 28)).isBefore(GREGORIAN_START)) {
        // CF's standard calendar is Julian before 1582-10-15 (as cftime and xarray read it):
        // NCEP's "hours since 1-1-1 00:00:0.0" starts two days before proleptic 0001-01-01
        d = LocalDate.ofEpochDay(julianToEpochDay(year, month, day));
      } else {
        d = LocalDate.of(year, month, day);
      }
      LocalDateTime t = d.atStartOfDay();
      if (m.group(5) != null) {
        double sec = m.group(7) == null ? 0 : Double.parseDouble(m.group(7));
        t = t.plusHours(Integer.parseInt(m.group(5))).plusMinutes(Integer.parseInt(m.group(6)))
            .plusNanos(Math.round(sec * 1e9));
      }
      ZoneOffset zone = ZoneOffset.UTC;
      String z = m.group(8);
      if (z != null && !z.equals("Z") && !z.equals("UTC")) {
        String zz = z.contains(":") || z.length() <= 3 ? z : z.substring(0, z.length() - 2) + ":" + z.substring(z.length() - 2);
        zone = ZoneOffset.of(zz.length() == 2 ? zz.charAt(0) + "0" + zz.charAt(1) : zz);
      }
      return new TimeUnits(units, unit, t.toInstant(zone).toEpochMilli());
    } catch (java.time.DateTimeException | NumberFormatException e) {
      throw new XrException(where + ": bad reference date in time units '" + units + "': " + e.getMessage(), e);
    }
  }

  private static final LocalDate GREGORIAN_START = LocalDate.of(1582, 10, 15);

  /** Days since 1970-01-01 of a date of the Julian calendar (year 1 = 1 AD). */
  static long julianToEpochDay(int year, int month, int day) {
    int a = (14 - month) / 12;
    long y = year + 4800L - a;
    int mm = month + 12 * a - 3;
    long jdn = day + (153L * mm + 2) / 5 + 365 * y + Math.floorDiv(y, 4) - 32083;
    return jdn - 2440588; // Julian day number of 1970-01-01
  }

  long decode(double v) {
    return epochMillis + Math.round(v * unitMillis);
  }

  double encode(long millis) {
    return (millis - epochMillis) / unitMillis;
  }

  /** ISO text of epoch milliseconds, as xarray prints datetime64 (no zone; seconds when needed). */
  static String format(long millis) {
    LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    if (t.toLocalTime().toNanoOfDay() == 0) {
      return t.toLocalDate().toString();
    }
    String s = t.toString();
    return s.length() == 16 ? s + ":00" : s;
  }
}
