package io.rankwise.xarray;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A coordinate variable: the labels along one dimension, held on every rank (they are small).
 * Numbers ({@code double}) or datetimes (epoch milliseconds, UTC), with attributes.
 */
public final class Coord {
  private final String name;
  private final String dim;
  private final double[] values;
  private final long[] times;
  private final String[] strings;
  private final String dtype;
  private final Map<String, Object> attrs;

  private Coord(String name, String dim, double[] values, long[] times, String dtype, Map<String, Object> attrs) {
    this(name, dim, values, times, null, dtype, attrs);
  }

  private Coord(String name, String dim, double[] values, long[] times, String[] strings, String dtype,
      Map<String, Object> attrs) {
    this.name = name;
    this.dim = dim;
    this.values = values;
    this.times = times;
    this.strings = strings;
    this.dtype = dtype;
    this.attrs = Collections.unmodifiableMap(new LinkedHashMap<>(attrs));
  }

  /** Numeric labels; {@code dtype} is the file's type name (float32, float64, int32, ...). */
  public static Coord numeric(String name, String dim, double[] values, String dtype, Map<String, Object> attrs) {
    return new Coord(name, dim, values.clone(), null, dtype, attrs);
  }

  /** Datetime labels in epoch milliseconds (UTC). */
  public static Coord times(String name, String dim, long[] epochMillis, Map<String, Object> attrs) {
    return new Coord(name, dim, null, epochMillis.clone(), "datetime64[ns]", attrs);
  }

  /** Text labels (such as seasons). */
  public static Coord strings(String name, String dim, String[] labels) {
    return new Coord(name, dim, null, null, labels.clone(), "object", Map.of());
  }

  public boolean isText() {
    return strings != null;
  }

  public String name() {
    return name;
  }

  public String dim() {
    return dim;
  }

  public int size() {
    return strings != null ? strings.length : times != null ? times.length : values.length;
  }

  public boolean isTime() {
    return times != null;
  }

  public String dtype() {
    return dtype;
  }

  public Map<String, Object> attrs() {
    return attrs;
  }

  /** Label i as a number (datetimes: epoch milliseconds; text: its position). */
  public double value(int i) {
    return strings != null ? i : times != null ? times[i] : values[i];
  }

  public double[] values() {
    if (times == null) {
      return values.clone();
    }
    return Arrays.stream(times).asDoubleStream().toArray();
  }

  public long[] epochMillis() {
    if (times == null) {
      throw new XrException("coordinate '" + name + "' holds numbers, not datetimes");
    }
    return times.clone();
  }

  /** Label i as text. */
  public String label(int i) {
    if (strings != null) {
      return strings[i];
    }
    if (times != null) {
      return TimeUnits.format(times[i]);
    }
    double v = values[i];
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    String t = new java.math.BigDecimal(String.format(Locale.ROOT, "%.6g", v)).stripTrailingZeros().toPlainString();
    return t;
  }

  /** Labels at positions [from, to) with a step. */
  Coord slice(int from, int to, int step) {
    int n = Math.max(0, (to - from + step - 1) / step);
    if (strings != null) {
      String[] t = new String[n];
      for (int i = 0; i < n; i++) {
        t[i] = strings[from + i * step];
      }
      return new Coord(name, dim, null, null, t, dtype, attrs);
    }
    if (times != null) {
      long[] t = new long[n];
      for (int i = 0; i < n; i++) {
        t[i] = times[from + i * step];
      }
      return new Coord(name, dim, null, t, dtype, attrs);
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = values[from + i * step];
    }
    return new Coord(name, dim, v, null, dtype, attrs);
  }

  Coord renamed(String newName, String newDim) {
    return new Coord(newName, newDim, values, times, strings, dtype, attrs);
  }

  /** True when label i here is label j of {@code o} (compared by value, not as text). */
  boolean sameLabel(int i, Coord o, int j) {
    if (strings != null || o.strings != null) {
      return strings != null && o.strings != null && strings[i].equals(o.strings[j]);
    }
    if (times != null || o.times != null) {
      return times != null && o.times != null && times[i] == o.times[j];
    }
    return Double.compare(values[i], o.values[j]) == 0;
  }

  boolean sameLabels(Coord o) {
    return strings != null ? Arrays.equals(strings, o.strings)
        : times != null ? Arrays.equals(times, o.times) : Arrays.equals(values, o.values);
  }

  /** +1 increasing, -1 decreasing (strictly), 0 otherwise. */
  int monotonic() {
    int n = size();
    if (n < 2) {
      return 1;
    }
    boolean inc = true;
    boolean dec = true;
    for (int i = 1; i < n; i++) {
      double a = value(i - 1);
      double b = value(i);
      inc &= b > a;
      dec &= b < a;
    }
    return inc ? 1 : dec ? -1 : 0;
  }

  /**
   * Datetime component of every label: year, month, day, hour, dayofyear, season (0 DJF, 1 JJA,
   * 2 MAM, 3 SON). Plain calendar arithmetic (proleptic Gregorian, UTC; Hinnant's
   * civil-from-days), not java.time objects per label: a 40-year 6-hourly axis is 58,400 labels.
   */
  int[] components(String what) {
    if (times == null) {
      throw new XrException("'" + name + "." + what + "' needs a datetime coordinate; '" + name + "' holds numbers");
    }
    if (!List.of("year", "month", "day", "hour", "dayofyear", "season").contains(what)) {
      throw new XrException("unknown datetime component '" + what + "'; use year, month, day, hour, dayofyear or season");
    }
    int kind = List.of("year", "month", "day", "hour", "dayofyear", "season").indexOf(what);
    int[] out = new int[times.length];
    long lastDay = Long.MIN_VALUE;
    int lastValue = 0;
    for (int i = 0; i < out.length; i++) {
      long ms = times[i];
      if (kind == 3) {
        out[i] = (int) (Math.floorMod(ms, 86_400_000L) / 3_600_000L);
        continue;
      }
      long days = Math.floorDiv(ms, 86_400_000L);
      if (days != lastDay) { // the other components change only with the day (sub-daily steps repeat it)
        lastDay = days;
        lastValue = dayComponent(days, kind);
      }
      out[i] = lastValue;
    }
    return out;
  }

  /** Component {@code kind} (0 year, 1 month, 2 day, 4 dayofyear, 5 season) of a day since 1970-01-01. */
  private static int dayComponent(long days, int kind) {
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097; // [0, 146096]
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // day of the March-based year, [0, 365]
    long mp = (5 * doy + 2) / 153; // [0, 11], 0 = March
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    return switch (kind) {
      case 0 -> (int) year;
      case 1 -> month;
      case 2 -> (int) (doy - (153 * mp + 2) / 5 + 1);
      case 4 -> (int) (month >= 3 ? doy + 59 + (leap ? 1 : 0) : doy - 306) + 1;
      default -> month == 12 || month <= 2 ? 0 : month <= 5 ? 2 : month <= 8 ? 1 : 3; // season
    };
  }

  /** Short text of the labels, as in xarray's repr: first and last few. */
  String preview(int width) {
    int n = size();
    StringBuilder sb = new StringBuilder();
    if ((times != null || strings != null) && n > 4) {
      return label(0) + " ... " + label(n - 1);
    }
    for (int i = 0; i < n; i++) {
      String s = label(i);
      if (sb.length() + s.length() + 1 > width && i < n - 1) {
        // the tail, as many as fit
        StringBuilder tail = new StringBuilder();
        for (int j = n - 1; j > i; j--) {
          String t = label(j);
          if (sb.length() + tail.length() + t.length() + 5 > width + 20) {
            break;
          }
          tail.insert(0, " " + t);
        }
        return sb.append("...").append(tail).toString().trim();
      }
      sb.append(s).append(' ');
    }
    return sb.toString().trim();
  }
}
