package io.rankwise.xarray;

import io.rankwise.array.Chunks;
import io.rankwise.array.DArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Groups of positions along one dimension: by a datetime component ({@code "time.month"}), by the
 * labels themselves, or regular time bins ({@code resample}). Reductions run in one pass over
 * every block whatever the number of groups (the state per block holds all groups), and
 * group-wise arithmetic ({@code air.groupby("time.month").sub(clim)}) reads the matching group of
 * the other operand per position, one task per block: no chunk per group, unlike xarray on Dask.
 */
public final class GroupBy {
  private static final String[] SEASONS = {"DJF", "JJA", "MAM", "SON"};

  private final DataArray src;
  private final int axis;
  private final String groupDim;
  private final Coord groupCoord;
  private final int[] groupOf;

  private GroupBy(DataArray src, int axis, String groupDim, Coord groupCoord, int[] groupOf) {
    this.src = src;
    this.axis = axis;
    this.groupDim = groupDim;
    this.groupCoord = groupCoord;
    this.groupOf = groupOf;
  }

  static GroupBy of(DataArray a, String key) {
    int dot = key.indexOf('.');
    String dim = dot < 0 ? key : key.substring(0, dot);
    String comp = dot < 0 ? null : key.substring(dot + 1);
    int axis = a.axis(dim);
    Coord c = a.coord(dim);
    if (c.isText() && comp == null) {
      throw new XrException("groupby('" + key + "'): grouping by text labels is not supported yet");
    }
    int[] groupOf = new int[c.size()];
    double[] uniq = distinct(c, comp, groupOf);
    String name = comp == null ? dim : comp;
    Coord gc;
    if ("season".equals(comp)) {
      String[] labels = new String[uniq.length];
      for (int k = 0; k < labels.length; k++) {
        labels[k] = SEASONS[(int) uniq[k]];
      }
      gc = Coord.strings(name, name, labels);
    } else if (comp == null) {
      // the distinct labels, sorted (xarray's groups); datetimes stay datetimes
      long[] labels = new long[uniq.length];
      for (int k = 0; k < labels.length; k++) {
        labels[k] = (long) uniq[k];
      }
      gc = c.isTime() ? Coord.times(name, name, labels, c.attrs())
          : Coord.numeric(name, name, uniq, c.dtype(), c.attrs());
    } else {
      gc = Coord.numeric(name, name, uniq, "int64", Map.of());
    }
    return new GroupBy(a, axis, comp == null ? dim : name, gc, groupOf);
  }

  /**
   * The distinct values of {@code c}'s labels (or of their datetime component {@code comp}), in
   * order; {@code groupOf[i]} gets position i's group.
   */
  static double[] distinct(Coord c, String comp, int[] groupOf) {
    int n = c.size();
    double[] uniq;
    int[] comps = comp == null ? null : c.components(comp);
    int lo = Integer.MAX_VALUE;
    int hi = Integer.MIN_VALUE;
    for (int i = 0; comps != null && i < n; i++) {
      lo = Math.min(lo, comps[i]);
      hi = Math.max(hi, comps[i]);
    }
    // small integers (month, season, ...): distinct values by presence, no sort; a wide span (years
    // of far-apart dates) takes the sort
    if (comps != null && (long) hi - lo <= 4L * n + 1024) {
      int[] slot = new int[n == 0 ? 0 : hi - lo + 1];
      for (int v : comps) {
        slot[v - lo] = 1;
      }
      int u = 0;
      for (int k = 0; k < slot.length; k++) {
        slot[k] = slot[k] == 0 ? -1 : u++;
      }
      uniq = new double[u];
      for (int k = 0; k < slot.length; k++) {
        if (slot[k] >= 0) {
          uniq[slot[k]] = lo + k;
        }
      }
      for (int i = 0; i < n; i++) {
        groupOf[i] = slot[comps[i] - lo];
      }
    } else {
      double[] keys = new double[n];
      for (int i = 0; i < n; i++) {
        keys[i] = comps != null ? comps[i] : c.value(i);
      }
      double[] sorted = keys.clone();
      Arrays.sort(sorted);
      int u = 0;
      for (int i = 0; i < n; i++) {
        if (u == 0 || Double.compare(sorted[i], sorted[u - 1]) != 0) {
          sorted[u++] = sorted[i];
        }
      }
      uniq = Arrays.copyOf(sorted, u);
      for (int i = 0; i < n; i++) {
        groupOf[i] = Arrays.binarySearch(uniq, keys[i]);
      }
    }
    return uniq;
  }

  private static final Pattern FREQ = Pattern.compile("(\\d*)\\s*(D|H|h|min|T|S|s)");

  static GroupBy resample(DataArray a, String dim, String freq) {
    int axis = a.axis(dim);
    Coord c = a.coord(dim);
    if (!c.isTime()) {
      throw new XrException("resample: '" + dim + "' holds numbers, not datetimes");
    }
    Matcher m = FREQ.matcher(freq.trim());
    if (!m.matches()) {
      throw new XrException("resample: frequency '" + freq + "' is not supported; use <n>D, <n>H, <n>min or <n>S, "
          + "e.g. 1D or 6H");
    }
    long n = m.group(1).isEmpty() ? 1 : Long.parseLong(m.group(1));
    long unit = switch (m.group(2)) {
      case "D" -> 86_400_000L;
      case "H", "h" -> 3_600_000L;
      case "min", "T" -> 60_000L;
      default -> 1000L;
    };
    long width = n * unit;
    if (width <= 0) {
      throw new XrException("resample: frequency '" + freq + "' must be positive");
    }
    if (c.monotonic() <= 0) {
      throw new XrException("resample: '" + dim + "' must be increasing; sort by it first");
    }
    long[] t = c.epochMillis();
    if (t.length == 0) {
      throw new XrException("resample: '" + dim + "' is empty");
    }
    long origin = Math.floorDiv(t[0], 86_400_000L) * 86_400_000L; // midnight of the first day (start_day)
    int[] groupOf = new int[t.length];
    for (int i = 0; i < t.length; i++) {
      groupOf[i] = (int) ((t[i] - origin) / width);
    }
    int bins = groupOf[t.length - 1] + 1;
    long first = origin + (long) groupOf[0] * width;
    for (int i = 0; i < t.length; i++) {
      groupOf[i] -= (int) ((first - origin) / width);
    }
    bins -= (int) ((first - origin) / width);
    long[] labels = new long[bins];
    for (int k = 0; k < bins; k++) {
      labels[k] = first + k * width;
    }
    return new GroupBy(a, axis, dim, Coord.times(dim, dim, labels, c.attrs()), groupOf);
  }

  /** The group labels, in order. */
  public Coord groups() {
    return groupCoord;
  }

  public DataArray mean(String... alsoOver) {
    return reduce("mean", 0, alsoOver);
  }

  public DataArray std(String... alsoOver) {
    return reduce("std", 0, alsoOver);
  }

  public DataArray var(String... alsoOver) {
    return reduce("var", 0, alsoOver);
  }

  public DataArray min(String... alsoOver) {
    return reduce("min", 0, alsoOver);
  }

  public DataArray max(String... alsoOver) {
    return reduce("max", 0, alsoOver);
  }

  public DataArray sum(String... alsoOver) {
    return reduce("sum", 0, alsoOver);
  }

  public DataArray count(String... alsoOver) {
    return reduce("count", 0, alsoOver);
  }

  /**
   * {@code op} per group over the grouped dimension (and {@code alsoOver}), skipping NaN. The
   * grouped dimension is replaced by the group dimension ("month", "season", ...; for resample
   * the same name with the bin labels). Empty bins give NaN (sum: 0).
   */
  public DataArray reduce(String op, int ddof, String... alsoOver) {
    boolean[] reduced = src.reducedFlags(alsoOver.length == 0 ? new String[] {src.dims().get(axis)} : alsoOver);
    reduced[axis] = true;
    DArray r = src.data().nanReduce(op, reduced, axis, groupOf, groupCoord.size(), ddof);
    return src.reduced(op, r, reduced, axis, groupDim, groupCoord);
  }

  public DataArray add(DataArray perGroup) {
    return apply("add", perGroup);
  }

  /** Anomalies: {@code air.groupby("time.month").sub(climatology)}. */
  public DataArray sub(DataArray perGroup) {
    return apply("sub", perGroup);
  }

  public DataArray mul(DataArray perGroup) {
    return apply("mul", perGroup);
  }

  public DataArray div(DataArray perGroup) {
    return apply("div", perGroup);
  }

  /**
   * Group-wise arithmetic: each position of the grouped dimension meets its group's values in
   * {@code perGroup}, which has the group dimension (with these groups among its labels) and
   * some of the other dimensions (the missing ones broadcast).
   */
  private DataArray apply(String op, DataArray perGroup) {
    if (!perGroup.dims().contains(groupDim)) {
      throw new XrException("groupby " + op + ": the other array has no dimension '" + groupDim + "' (its dimensions "
          + "are " + perGroup.dims() + "); reduce with groupby(...)." + "mean() to make one");
    }
    Coord pc = perGroup.coord(groupDim);
    int[] where = new int[groupCoord.size()];
    for (int g = 0; g < where.length; g++) {
      where[g] = -1;
      for (int j = 0; j < pc.size() && where[g] < 0; j++) {
        if (groupCoord.sameLabel(g, pc, j)) {
          where[g] = j;
        }
      }
      for (int j = 0; j < pc.size() && where[g] < 0; j++) { // labels equal as text (e.g. 0.30000000000000004)
        if (pc.label(j).equals(groupCoord.label(g))) {
          where[g] = j;
        }
      }
      if (where[g] < 0) {
        throw new XrException("groupby " + op + ": group " + groupCoord.label(g) + " has no values in the other array "
            + "(its '" + groupDim + "' labels: " + pc.preview(60) + ")");
      }
    }
    List<String> srcDims = src.dims();
    String grouped = srcDims.get(axis);
    List<String> target = new ArrayList<>(srcDims);
    target.set(axis, groupDim);
    for (String d : perGroup.dims()) {
      if (!target.contains(d)) {
        throw new XrException("groupby " + op + ": the other array's dimension '" + d + "' is not one of " + srcDims);
      }
    }
    for (String d : perGroup.dims()) {
      Coord mine = src.coords().get(d);
      Coord theirs = perGroup.coords().get(d);
      if (!d.equals(groupDim) && mine != null && theirs != null && !mine.sameLabels(theirs)) {
        throw new XrException("groupby " + op + ": the labels of '" + d + "' differ between the data ("
            + mine.preview(40) + ") and the other array (" + theirs.preview(40) + "); select matching labels first");
      }
    }
    DArray pg = perGroup.arrangedAs(target);
    int[][] want = new int[target.size()][];
    boolean rechunk = false;
    for (int k = 0; k < target.size(); k++) {
      if (k == axis) {
        want[k] = new int[] {(int) pg.shape()[k]};
      } else if (pg.shape()[k] == 1 && src.data().shape()[k] != 1) {
        want[k] = new int[] {1};
      } else {
        want[k] = src.data().grid().chunks(k);
      }
      rechunk |= !Arrays.equals(want[k], pg.grid().chunks(k));
    }
    if (rechunk) {
      pg = pg.rechunk(Chunks.explicit(want));
    }
    if (pg.shape()[axis] == 0) {
      throw new XrException("groupby " + op + ": the other array has no '" + groupDim + "' labels");
    }
    int[] map = new int[groupOf.length];
    for (int i = 0; i < map.length; i++) {
      map[i] = where[groupOf[i]];
    }
    DArray out = src.data().groupBinary(op, pg, axis, map);
    String name = java.util.Objects.equals(src.name(), perGroup.name()) ? src.name() : null;
    DataArray r = new DataArray(name, srcDims, out, src.coords(), Map.of());
    assert r.dims().get(axis).equals(grouped);
    return r;
  }
}
