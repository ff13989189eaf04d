package io.rankwise.xarray;

import io.rankwise.array.Chunks;
import io.rankwise.array.DArray;
import io.rankwise.array.DType;
import io.rankwise.array.NdArray;
import io.rankwise.array.Slice;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A labeled, chunked n-d array (xarray's DataArray): named dimensions, coordinate labels per
 * dimension, attributes, and a lazy {@link DArray} underneath whose blocks live on the ranks.
 * Operations name dimensions, never axis numbers; nothing is computed until {@link #compute()}.
 *
 * <pre>
 *   DataArray air = NetCdf.open(path, Map.of("lat", 25, "lon", 25, "time", -1)).get("air");
 *   DataArray clim = air.groupby("time.month").mean();
 *   DataArray anomalies = air.groupby("time.month").sub(clim);
 *   double s = anomalies.std("time").mean().compute().item();
 * </pre>
 *
 * <p>Reductions skip NaN (xarray's default), so missing values (_FillValue) do not spread.
 */
public final class DataArray {
  private final String name;
  private final List<String> dims;
  private final DArray data;
  private final Map<String, Coord> coords;
  private final Map<String, Object> attrs;

  public DataArray(String name, List<String> dims, DArray data, Map<String, Coord> coords, Map<String, Object> attrs) {
    if (dims.size() != data.ndim()) {
      throw new XrException("DataArray '" + name + "': " + dims.size() + " dimension names " + dims + " for a "
          + data.ndim() + "-d array");
    }
    if (dims.stream().distinct().count() != dims.size()) {
      throw new XrException("DataArray '" + name + "': repeated dimension name in " + dims);
    }
    LinkedHashMap<String, Coord> cs = new LinkedHashMap<>();
    for (Coord c : coords.values()) {
      int ax = dims.indexOf(c.dim());
      if (ax < 0) {
        continue; // a coordinate of a dimension this array does not have
      }
      if (c.size() != data.shape()[ax]) {
        throw new XrException("DataArray '" + name + "': coordinate '" + c.name() + "' has " + c.size()
            + " labels for dimension '" + c.dim() + "' of size " + data.shape()[ax]);
      }
      cs.put(c.name(), c);
    }
    this.name = name;
    this.dims = List.copyOf(dims);
    this.data = data;
    this.coords = Collections.unmodifiableMap(cs);
    this.attrs = Collections.unmodifiableMap(new LinkedHashMap<>(attrs));
  }

  public String name() {
    return name;
  }

  public List<String> dims() {
    return dims;
  }

  /** Dimension sizes in order. */
  public Map<String, Long> sizes() {
    LinkedHashMap<String, Long> m = new LinkedHashMap<>();
    for (int a = 0; a < dims.size(); a++) {
      m.put(dims.get(a), data.shape()[a]);
    }
    return m;
  }

  public DArray data() {
    return data;
  }

  public DType dtype() {
    return data.dtype();
  }

  public Map<String, Coord> coords() {
    return coords;
  }

  /** The coordinate of dimension (or name) {@code dim}. */
  public Coord coord(String dim) {
    Coord c = coords.get(dim);
    if (c == null) {
      throw new XrException("'" + name + "' has no coordinate '" + dim + "'; coordinates: " + coords.keySet());
    }
    return c;
  }

  public Map<String, Object> attrs() {
    return attrs;
  }

  /** The position of dimension {@code dim}, with an error that lists the dimensions. */
  public int axis(String dim) {
    int a = dims.indexOf(dim);
    if (a < 0) {
      throw new XrException("'" + name + "' has no dimension '" + dim + "'; its dimensions are " + dims);
    }
    return a;
  }

  DataArray with(String newName, List<String> newDims, DArray newData, Map<String, Coord> newCoords,
      Map<String, Object> newAttrs) {
    return new DataArray(newName, newDims, newData, newCoords, newAttrs);
  }

  /** The same labels with the data converted to {@code t} (attributes kept). */
  public DataArray astype(DType t) {
    return new DataArray(name, dims, data.astype(t), coords, attrs);
  }

  public DataArray rename(String newName) {
    return new DataArray(newName, dims, data, coords, attrs);
  }

  /** Computes the values on every rank (collective). */
  public NdArray compute() {
    return data.compute();
  }

  // ---- selection ---------------------------------------------------------------------------

  /**
   * Selection by position: values are an {@code Integer}/{@code Long} (picks one position and
   * drops the dimension) or a {@link Slice}.
   */
  public DataArray isel(Map<String, ?> indexers) {
    Slice[] sl = new Slice[dims.size()];
    Arrays.fill(sl, Slice.all());
    for (Map.Entry<String, ?> e : indexers.entrySet()) {
      int a = axis(e.getKey());
      Object v = e.getValue();
      if (v instanceof Slice s) {
        sl[a] = s;
      } else if (v instanceof Integer || v instanceof Long) {
        sl[a] = Slice.index(((Number) v).longValue());
      } else {
        throw new XrException("isel: dimension '" + e.getKey() + "' takes an integer or a Slice, got " + v);
      }
    }
    List<String> nd = new ArrayList<>();
    LinkedHashMap<String, Coord> nc = new LinkedHashMap<>();
    for (int a = 0; a < dims.size(); a++) {
      long[] r = sl[a].resolve(data.shape()[a], a);
      Coord c = coords.get(dims.get(a));
      if (sl[a].isIndex()) {
        continue;
      }
      nd.add(dims.get(a));
      if (c != null) {
        nc.put(c.name(), c.slice((int) r[0], (int) Math.max(r[0], r[1]), (int) r[2]));
      }
    }
    return new DataArray(name, nd, data.slice(sl), nc, attrs);
  }

  /** A label selection for {@link #sel}: the nearest label. */
  public static Object nearest(Object label) {
    return new Nearest(label);
  }

  /** A label selection for {@link #sel}: labels from {@code from} to {@code to}, both included. */
  public static Object range(Object from, Object to) {
    return new Range(from, to);
  }

  private record Nearest(Object label) {}

  private record Range(Object from, Object to) {}

  /**
   * Selection by label: a value (exact label; for datetimes a text like "2013-02-01" or a
   * {@code LocalDate}/{@code LocalDateTime}), {@link #nearest(Object)} or {@link #range}.
   * Datetime text selects partially, as in xarray: "2013-02" is the whole month.
   */
  public DataArray sel(Map<String, ?> labels) {
    LinkedHashMap<String, Object> pos = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : labels.entrySet()) {
      String dim = e.getKey();
      axis(dim);
      Coord c = coords.get(dim);
      if (c == null) {
        throw new XrException("sel: dimension '" + dim + "' has no coordinate labels; use isel with positions");
      }
      Object v = e.getValue();
      if (v instanceof Nearest n) {
        pos.put(dim, nearestIndex(c, n.label()));
      } else if (v instanceof Range r) {
        pos.put(dim, rangeSlice(c, r.from(), r.to()));
      } else {
        double[] iv = interval(c, v);
        int found = -1;
        for (int i = 0; i < c.size() && found < 0; i++) {
          if (c.value(i) >= iv[0] && c.value(i) < iv[1] || c.value(i) == iv[0]) {
            found = i;
          }
        }
        if (found < 0) {
          throw new XrException("sel: " + v + " is not a label of '" + dim + "' (" + c.preview(60) + "); use "
              + "DataArray.nearest(" + v + ") for the closest label");
        }
        if (iv[1] > iv[0] && !c.isTime()) {
          pos.put(dim, found);
        } else if (c.isTime() && v instanceof String s && resolution(s) < resolution(c)) {
          // a date coarser than the labels (a day of 6-hourly data): every label in it, as pandas;
          // at the labels' own resolution or finer it is one label and the dimension goes
          pos.put(dim, rangeSlice(c, v, v));
        } else {
          pos.put(dim, found);
        }
      }
    }
    return isel(pos);
  }

  /** How fine a datetime text is: 1 year, 2 month, 3 day, 4 hour, 5 minute, 6 second. */
  private static int resolution(String s) {
    return switch (s.trim().length()) {
      case 4 -> 1;
      case 7 -> 2;
      case 10 -> 3;
      case 13 -> 4;
      case 16 -> 5;
      default -> 6;
    };
  }

  /** How fine a time coordinate's labels are (pandas' index resolution): 3 day ... 7 below a second. */
  private static int resolution(Coord c) {
    long[] units = {86_400_000L, 3_600_000L, 60_000L, 1000L};
    for (int r = 0; r < units.length; r++) {
      boolean all = true;
      for (int i = 0; i < c.size() && all; i++) {
        all = ((long) c.value(i)) % units[r] == 0;
      }
      if (all) {
        return 3 + r;
      }
    }
    return 7;
  }

  /** [from, to) in the coordinate's numbers that label v stands for (a point: from == to). */
  private static double[] interval(Coord c, Object v) {
    if (c.isTime()) {
      long[] t = timeInterval(v, c.name());
      return new double[] {t[0], t[1] == t[0] ? t[0] : t[1]};
    }
    if (c.isText()) {
      for (int i = 0; i < c.size(); i++) {
        if (c.label(i).equals(String.valueOf(v))) {
          return new double[] {i, i};
        }
      }
      throw new XrException("sel: '" + v + "' is not a label of '" + c.name() + "' (" + c.preview(60) + ")");
    }
    if (!(v instanceof Number n)) {
      throw new XrException("sel: '" + c.name() + "' has numeric labels; got " + v);
    }
    return new double[] {n.doubleValue(), n.doubleValue()};
  }

  /** The time interval a label covers: text is partial ("2013", "2013-02", "2013-02-01", ...). */
  static long[] timeInterval(Object v, String coord) {
    if (v instanceof LocalDateTime t) {
      long m = t.toInstant(ZoneOffset.UTC).toEpochMilli();
      return new long[] {m, m};
    }
    if (v instanceof LocalDate d) {
      long m = d.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
      return new long[] {m, m + 86_400_000L};
    }
    if (v instanceof java.time.Instant i) {
      return new long[] {i.toEpochMilli(), i.toEpochMilli()};
    }
    String s = String.valueOf(v).trim().replace(' ', 'T');
    try {
      if (s.matches("\\d{4}")) {
        LocalDateTime a = LocalDate.of(Integer.parseInt(s), 1, 1).atStartOfDay();
        return new long[] {millis(a), millis(a.plusYears(1))};
      }
      if (s.matches("\\d{4}-\\d{2}")) {
        LocalDateTime a = LocalDate.parse(s + "-01").atStartOfDay();
        return new long[] {millis(a), millis(a.plusMonths(1))};
      }
      if (s.matches("\\d{4}-\\d{2}-\\d{2}")) {
        LocalDateTime a = LocalDate.parse(s).atStartOfDay();
        return new long[] {millis(a), millis(a.plusDays(1))};
      }
      if (s.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}")) {
        LocalDateTime a = LocalDateTime.parse(s + ":00");
        return new long[] {millis(a), millis(a.plusHours(1))};
      }
      LocalDateTime a = LocalDateTime.parse(s);
      return new long[] {millis(a), millis(a)};
    } catch (java.time.format.DateTimeParseException e) {
      throw new XrException("sel: cannot read '" + v + "' as a datetime for '" + coord + "'; use YYYY, YYYY-MM, "
          + "YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss]", e);
    }
  }

  private static long millis(LocalDateTime t) {
    return t.toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  private static int nearestIndex(Coord c, Object label) {
    int mono = c.monotonic();
    if (mono == 0) {
      throw new XrException("sel nearest: coordinate '" + c.name() + "' is not monotonic (increasing or decreasing), "
          + "so 'nearest' is ambiguous; sort the data by '" + c.name() + "' first");
    }
    double x = c.isTime() ? timeInterval(label, c.name())[0] : interval(c, label)[0];
    int best = 0;
    for (int i = 1; i < c.size(); i++) {
      if (Math.abs(c.value(i) - x) < Math.abs(c.value(best) - x)) {
        best = i;
      }
    }
    return best;
  }

  private static Slice rangeSlice(Coord c, Object from, Object to) {
    int mono = c.monotonic();
    if (mono == 0) {
      throw new XrException("sel range: coordinate '" + c.name() + "' is not monotonic; slices need sorted labels");
    }
    double lo;
    double hi;
    if (c.isTime()) {
      lo = from == null ? Double.NEGATIVE_INFINITY : timeInterval(from, c.name())[0];
      long[] t = to == null ? null : timeInterval(to, c.name());
      hi = t == null ? Double.POSITIVE_INFINITY : t[1] == t[0] ? t[0] : t[1] - 1;
    } else {
      lo = from == null ? (mono > 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY) : interval(c, from)[0];
      hi = to == null ? (mono > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY) : interval(c, to)[0];
    }
    int first = -1;
    int last = -2;
    for (int i = 0; i < c.size(); i++) {
      double v = c.value(i);
      boolean in = mono > 0 || c.isTime() ? v >= lo && v <= hi : v <= lo && v >= hi;
      if (in) {
        if (first < 0) {
          first = i;
        }
        last = i;
      }
    }
    return first < 0 ? Slice.of(0, 0) : Slice.of(first, last + 1);
  }

  // ---- arithmetic --------------------------------------------------------------------------

  public DataArray add(DataArray o) {
    return binary("add", o);
  }

  public DataArray sub(DataArray o) {
    return binary("sub", o);
  }

  public DataArray mul(DataArray o) {
    return binary("mul", o);
  }

  public DataArray div(DataArray o) {
    return binary("div", o);
  }

  public DataArray add(double v) {
    return new DataArray(name, dims, data.add(v), coords, Map.of());
  }

  public DataArray sub(double v) {
    return new DataArray(name, dims, data.sub(v), coords, Map.of());
  }

  public DataArray mul(double v) {
    return new DataArray(name, dims, data.mul(v), coords, Map.of());
  }

  public DataArray div(double v) {
    return new DataArray(name, dims, data.div(v), coords, Map.of());
  }

  private static DArray apply(String op, DArray a, DArray b) {
    return switch (op) {
      case "add" -> a.add(b);
      case "sub" -> a.sub(b);
      case "mul" -> a.mul(b);
      default -> a.div(b);
    };
  }

  /**
   * Elementwise with {@code o}, aligned by dimension name: shared dimensions must have the same
   * labels (or overlapping ones, which are cut to their common run), dimensions of only one side
   * broadcast; the result has this array's dimensions, then o's others.
   */
  DataArray binary(String op, DataArray o) {
    DataArray a = this;
    DataArray b = o;
    for (String d : dims) {
      if (!b.dims.contains(d)) {
        continue;
      }
      Coord ca = a.coords.get(d);
      Coord cb = b.coords.get(d);
      if (ca != null && cb != null && !ca.sameLabels(cb)) {
        int[] ra = commonRun(ca, cb);
        int[] rb = commonRun(cb, ca);
        if (ra == null || rb == null || ra[1] - ra[0] != rb[1] - rb[0]) {
          throw new XrException(op + ": the labels of '" + d + "' differ (" + ca.preview(40) + " vs " + cb.preview(40)
              + ") and do not overlap in one common run; select matching labels with sel first");
        }
        a = a.isel(Map.of(d, Slice.of(ra[0], ra[1])));
        b = b.isel(Map.of(d, Slice.of(rb[0], rb[1])));
        if (!a.coords.get(d).sameLabels(b.coords.get(d))) {
          throw new XrException(op + ": the labels of '" + d + "' are in a different order on the two sides ("
              + ca.preview(40) + " vs " + cb.preview(40) + "); sort one side by '" + d + "' first");
        }
      } else if (a.data.shape()[a.axis(d)] != b.data.shape()[b.axis(d)]) {
        throw new XrException(op + ": dimension '" + d + "' has size " + a.data.shape()[a.axis(d)] + " on the left and "
            + b.data.shape()[b.axis(d)] + " on the right, and no labels to align them by");
      }
    }
    List<String> out = new ArrayList<>(a.dims);
    for (String d : b.dims) {
      if (!out.contains(d)) {
        out.add(d);
      }
    }
    DArray x = a.data;
    for (int k = a.dims.size(); k < out.size(); k++) {
      x = x.expandDims(k);
    }
    DArray y = b.arrangedAs(out);
    // same chunks on the axes both have at full length
    int[][] want = new int[out.size()][];
    boolean rechunk = false;
    for (int k = 0; k < out.size(); k++) {
      boolean xb = x.shape()[k] == 1;
      boolean yb = y.shape()[k] == 1;
      want[k] = y.grid().chunks(k);
      if (!xb && !yb && !Arrays.equals(x.grid().chunks(k), y.grid().chunks(k))) {
        want[k] = x.grid().chunks(k);
        rechunk = true;
      }
    }
    if (rechunk) {
      y = y.rechunk(Chunks.explicit(want));
    }
    LinkedHashMap<String, Coord> nc = new LinkedHashMap<>(a.coords);
    b.coords.forEach(nc::putIfAbsent);
    String n = java.util.Objects.equals(a.name, b.name) ? a.name : null;
    return new DataArray(n, out, apply(op, x, y), nc, Map.of());
  }

  /**
   * The data with its axes in the order of {@code target} (names of this array's dimensions and
   * others), and an axis of length 1 for each target dimension this array lacks: ready to
   * broadcast against an array of the target's dimensions.
   */
  DArray arrangedAs(List<String> target) {
    DArray y = data;
    int[] perm = target.stream().filter(dims::contains).mapToInt(dims::indexOf).toArray();
    boolean identity = true;
    for (int i = 0; i < perm.length; i++) {
      identity &= perm[i] == i;
    }
    if (!identity) {
      y = y.transpose(perm);
    }
    for (int k = 0; k < target.size(); k++) {
      if (!dims.contains(target.get(k))) {
        y = y.expandDims(k);
      }
    }
    return y;
  }

  /** Positions [from, to) of a's labels that are also b's, when they form one run, else null. */
  private static int[] commonRun(Coord a, Coord b) {
    java.util.Set<Double> bs = new java.util.HashSet<>();
    for (int i = 0; i < b.size(); i++) {
      bs.add(b.value(i));
    }
    int first = -1;
    int last = -1;
    for (int i = 0; i < a.size(); i++) {
      if (bs.contains(a.value(i))) {
        if (first < 0) {
          first = i;
        } else if (last != i - 1) {
          return null;
        }
        last = i;
      }
    }
    return first < 0 ? null : new int[] {first, last + 1};
  }

  // ---- reductions --------------------------------------------------------------------------

  public DataArray mean(String... dims) {
    return reduce("mean", 0, dims);
  }

  public DataArray std(String... dims) {
    return reduce("std", 0, dims);
  }

  public DataArray var(String... dims) {
    return reduce("var", 0, dims);
  }

  public DataArray min(String... dims) {
    return reduce("min", 0, dims);
  }

  public DataArray max(String... dims) {
    return reduce("max", 0, dims);
  }

  public DataArray sum(String... dims) {
    return reduce("sum", 0, dims);
  }

  /** The number of values that are not NaN. */
  public DataArray count(String... dims) {
    return reduce("count", 0, dims);
  }

  /**
   * {@code op} (sum, mean, std, var, min, max, count) over {@code over} (all dimensions when
   * empty), skipping NaN. Float32 data gives float32 results (computed in double precision).
   */
  public DataArray reduce(String op, int ddof, String... over) {
    boolean[] reduced = reducedFlags(over);
    DArray r = data.nanReduce(op, reduced, -1, null, 0, ddof);
    return reduced(op, r, reduced, -1, null, null);
  }

  boolean[] reducedFlags(String... over) {
    boolean[] reduced = new boolean[dims.size()];
    if (over.length == 0) {
      Arrays.fill(reduced, true);
    }
    for (String d : over) {
      reduced[axis(d)] = true;
    }
    return reduced;
  }

  /** Wraps a nanReduce result: drops reduced dims, keeps the group axis as {@code groupDim}. */
  DataArray reduced(String op, DArray r, boolean[] reduced, int groupAxis, String groupDim, Coord groupCoord) {
    DType in = dtype();
    boolean ints = in == DType.INT32 || in == DType.INT64;
    if (op.equals("count")) {
      r = r.astype(DType.INT64); // counts are int64, as in xarray
    } else if (in == DType.FLOAT32) {
      r = r.astype(DType.FLOAT32); // xarray keeps float32
    } else if (ints && op.equals("sum")) {
      r = r.astype(DType.INT64); // numpy sums integers as int64 (exact below 2^53 here)
    } else if (ints && (op.equals("min") || op.equals("max"))) {
      r = r.astype(in); // extremes keep the integer type
    }
    List<String> nd = new ArrayList<>();
    LinkedHashMap<String, Coord> nc = new LinkedHashMap<>();
    for (int a = 0; a < dims.size(); a++) {
      if (a == groupAxis) {
        nd.add(groupDim);
        nc.put(groupCoord.name(), groupCoord);
      } else if (!reduced[a]) {
        nd.add(dims.get(a));
        Coord c = coords.get(dims.get(a));
        if (c != null) {
          nc.put(c.name(), c);
        }
      }
    }
    return new DataArray(name, nd, r, nc, Map.of());
  }

  // ---- groups ------------------------------------------------------------------------------

  /**
   * Groups along a datetime dimension by a component: {@code "time.month"}, {@code "time.season"},
   * {@code "time.dayofyear"}, {@code "time.year"}, {@code "time.hour"}, {@code "time.day"}; or by the
   * labels of a dimension itself ({@code "lat"}).
   */
  public GroupBy groupby(String key) {
    return GroupBy.of(this, key);
  }

  /** Regular time bins: {@code resample("time", "1D")} (units D, H, min, S; bins from midnight). */
  public GroupBy resample(String dim, String freq) {
    return GroupBy.resample(this, dim, freq);
  }

  /**
   * Computes this array (collective: every rank calls it) and, on rank 0, draws it to a PNG: a
   * line over the coordinate for 1-d, a map for 2-d (first dimension down, second across).
   */
  public NdArray plot(Path file, String title) {
    if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) { // on every rank, before computing
      throw new XrException("plot: write a .png file, got '" + file + "'");
    }
    if (dims.size() > 2) {
      throw new XrException("plot: draws 1-d (line) or 2-d (map) arrays; '" + name + "' has dimensions " + dims
          + "; reduce or select first");
    }
    NdArray v = compute();
    if (io.rankwise.runtime.Session.current().rank() == 0) {
      Plots.plot(this, v, file, title);
    }
    return v;
  }

  /**
   * Writes this array (computed by the ranks that own its blocks) with its coordinates and
   * attributes to a NetCDF-4 file that xarray and netCDF-C open. Collective.
   */
  public void toNetcdf(Path file) {
    if (name == null || name.isBlank()) {
      throw new XrException("toNetcdf: the array needs a name to be a variable; use rename(\"...\")");
    }
    LinkedHashMap<String, Long> sizes = new LinkedHashMap<>(sizes());
    new Dataset(Map.of(name, this), coords, sizes, Map.of()).toNetcdf(file);
  }

  // ---- text --------------------------------------------------------------------------------

  /** xarray-style text: dims and sizes, the chunk layout, coordinates, attributes. No data is computed. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("<rankwise.DataArray");
    if (name != null) {
      sb.append(" '").append(name).append('\'');
    }
    sb.append(" (");
    for (int a = 0; a < dims.size(); a++) {
      sb.append(a == 0 ? "" : ", ").append(dims.get(a)).append(": ").append(data.shape()[a]);
    }
    sb.append(")>\n");
    sb.append(chunkLine(data)).append('\n');
    appendCoords(sb, coords, dims);
    appendAttrs(sb, attrs, "");
    return sb.toString().stripTrailing();
  }

  static String chunkLine(DArray d) {
    StringBuilder cs = new StringBuilder();
    long blocks = 1;
    for (int a = 0; a < d.ndim(); a++) {
      int[] c = d.grid().chunks(a);
      cs.append(a == 0 ? "" : ", ").append(c.length == 0 ? 0 : Arrays.stream(c).max().getAsInt());
      blocks *= c.length;
    }
    return "rankwise.array<shape=" + Arrays.toString(d.shape()).replace('[', '(').replace(']', ')') + ", dtype="
        + d.dtype().numpyName() + ", chunksize=(" + cs + "), blocks=" + blocks + ">";
  }

  static void appendCoords(StringBuilder sb, Map<String, Coord> coords, List<String> order) {
    if (coords.isEmpty()) {
      return;
    }
    sb.append("Coordinates:\n");
    List<Coord> cs = new ArrayList<>(coords.values());
    cs.sort(java.util.Comparator.comparingInt(c -> order.contains(c.dim()) ? order.indexOf(c.dim()) : 99));
    for (Coord c : cs) {
      sb.append(String.format(Locale.ROOT, "  %s %-8s (%s) %s %s%n", c.name().equals(c.dim()) ? "*" : " ", c.name(),
          c.dim(), c.dtype(), c.preview(48)));
    }
  }

  static void appendAttrs(StringBuilder sb, Map<String, Object> attrs, String indent) {
    if (attrs.isEmpty()) {
      return;
    }
    sb.append(indent).append("Attributes:").append(attrs.size() > 10 ? " (" + attrs.size() + ")" : "").append('\n');
    for (Map.Entry<String, Object> e : attrs.entrySet()) {
      String v = attrText(e.getValue()).replace("\n", "\\n");
      if (v.length() > 60) {
        v = v.substring(0, 57) + "...";
      }
      sb.append(indent).append(String.format(Locale.ROOT, "    %-13s %s%n", e.getKey() + ":", v));
    }
  }

  static String attrText(Object v) {
    if (v instanceof double[] d) {
      return Arrays.toString(d);
    }
    if (v instanceof long[] l) {
      return Arrays.toString(l);
    }
    return String.valueOf(v);
  }
}
