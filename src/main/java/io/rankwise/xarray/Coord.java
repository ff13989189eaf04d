package io.rankwise.xarray;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
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

  /** Datetime component of label i: year, month, day, hour, dayofyear, season (0 DJF, 1 JJA, 2 MAM, 3 SON). */
  int component(String what, int i) {
    if (times == null) {
      throw new XrException("'" + name + "." + what + "' needs a datetime coordinate; '" + name + "' holds numbers");
    }
    LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochMilli(times[i]), ZoneOffset.UTC);
    return switch (what) {
      case "year" -> t.getYear();
      case "month" -> t.getMonthValue();
      case "day" -> t.getDayOfMonth();
      case "hour" -> t.getHour();
      case "dayofyear" -> t.getDayOfYear();
      case "season" -> switch (t.getMonthValue()) {
        case 12, 1, 2 -> 0;
        case 6, 7, 8 -> 1;
        case 3, 4, 5 -> 2;
        default -> 3;
      };
      default -> throw new XrException("unknown datetime component '" + what + "'; use year, month, day, hour, "
          + "dayofyear or season");
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
