package io.rankwise.xarray;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Variables that share dimensions and coordinates, with global attributes (xarray's Dataset). */
public final class Dataset {
  private final Map<String, DataArray> vars;
  private final Map<String, Coord> coords;
  private final Map<String, Long> sizes;
  private final Map<String, Object> attrs;

  public Dataset(Map<String, DataArray> vars, Map<String, Coord> coords, Map<String, Long> sizes,
      Map<String, Object> attrs) {
    this.vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
    this.coords = Collections.unmodifiableMap(new LinkedHashMap<>(coords));
    this.sizes = Collections.unmodifiableMap(new LinkedHashMap<>(sizes));
    this.attrs = Collections.unmodifiableMap(new LinkedHashMap<>(attrs));
  }

  /** The data variable {@code name} ({@code ds["air"]}). */
  public DataArray get(String name) {
    DataArray v = vars.get(name);
    if (v == null) {
      throw new XrException("no variable '" + name + "' in the dataset; its data variables are " + vars.keySet()
          + (coords.isEmpty() ? "" : " and its coordinates " + coords.keySet()));
    }
    return v;
  }

  public Map<String, DataArray> dataVars() {
    return vars;
  }

  public Map<String, Coord> coords() {
    return coords;
  }

  /** Dimension sizes. */
  public Map<String, Long> sizes() {
    return sizes;
  }

  public Map<String, Object> attrs() {
    return attrs;
  }

  /**
   * Writes every data variable (computed by the ranks that own its blocks), the coordinates and
   * the attributes to a NetCDF-4 file that xarray and netCDF-C open. Collective: every rank calls it.
   */
  public void toNetcdf(java.nio.file.Path file) {
    NetCdfWriter.write(this, file);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("<rankwise.Dataset>\nDimensions:  (");
    int k = 0;
    for (Map.Entry<String, Long> e : sizes.entrySet()) {
      sb.append(k++ == 0 ? "" : ", ").append(e.getKey()).append(": ").append(e.getValue());
    }
    sb.append(")\n");
    DataArray.appendCoords(sb, coords, List.copyOf(sizes.keySet()));
    sb.append("Data variables:\n");
    for (DataArray v : vars.values()) {
      sb.append(String.format(Locale.ROOT, "    %-8s (%s) %s%n", v.name(), String.join(", ", v.dims()),
          DataArray.chunkLine(v.data())));
    }
    DataArray.appendAttrs(sb, attrs, "");
    return sb.toString().stripTrailing();
  }
}
