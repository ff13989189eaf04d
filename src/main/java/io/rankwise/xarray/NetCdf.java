package io.rankwise.xarray;

import ch.systemsx.cisd.hdf5.HDF5DataClass;
import ch.systemsx.cisd.hdf5.HDF5DataSetInformation;
import ch.systemsx.cisd.hdf5.HDF5DataTypeInformation;
import ch.systemsx.cisd.hdf5.HDF5Factory;
import ch.systemsx.cisd.hdf5.IHDF5Reader;
import io.rankwise.array.Chunks;
import io.rankwise.array.DArray;
import io.rankwise.array.DType;
import io.rankwise.array.Da;
import io.rankwise.array.NdArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Opens NetCDF-4 files (HDF5 underneath, read with jhdf5) and plain HDF5 files as a
 * {@link Dataset} of chunked variables. Every rank reads the metadata and the coordinates (small);
 * data blocks are read by the rank that owns them, as HDF5 hyperslabs.
 *
 * <p>Dimensions come from the netCDF-4 attributes ({@code _Netcdf4Dimid} on dimension scales,
 * {@code _Netcdf4Coordinates} on variables), else from matching lengths with the dimension
 * scales; a plain HDF5 dataset gets {@code phony_dim_K} names per distinct length, as h5netcdf
 * names them. CF decoding, as xarray does it: {@code _FillValue}/{@code missing_value} become NaN,
 * then {@code scale_factor} and {@code add_offset} apply (packed 8/16-bit integers without an
 * offset decode to float32, others to float64), and {@code units: "<unit> since <date>"}
 * coordinates become datetimes.
 */
public final class NetCdf {

  private NetCdf() {}

  /** Attributes that describe the file's layout or the encoding, not the data. */
  private static final Set<String> INTERNAL = Set.of("CLASS", "NAME", "REFERENCE_LIST", "DIMENSION_LIST",
      "_Netcdf4Dimid", "_Netcdf4Coordinates", "_NCProperties", "_FillValue", "missing_value", "scale_factor",
      "add_offset", "_nc3_strict");

  /** {@code open(path, Map.of("lat", 25, "lon", 25, "time", -1))}: -1 is the whole dimension; unnamed dimensions are whole. */
  public static Dataset open(Path file, Map<String, Integer> chunks) {
    if (!Files.isRegularFile(file)) {
      throw new XrException("NetCDF/HDF5 file " + file + " does not exist (working directory "
          + Path.of("").toAbsolutePath() + ")");
    }
    IHDF5Reader r;
    io.rankwise.io.Hdf5.quiet(); // also points jhdf5 at its library, before it loads it
    try {
      r = HDF5Factory.openForReading(file.toFile());
    } catch (RuntimeException e) {
      throw new XrException("cannot open " + file + " as NetCDF-4/HDF5 (corrupt, or a NetCDF-3 classic file, which "
          + "Rankwise does not read: convert it with 'nccopy -k nc4 in.nc out.nc'): " + e.getMessage(), e);
    }
    try (r) {
      return read(r, file, chunks);
    } catch (XrException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new XrException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The smallest block of a packed 8/16-bit variable kept as codes (2 bytes a value and the table's
   * 512 KiB, against 8 bytes a value decoded: smaller from ~87,000 values on).
   */
  static final int CODED_MIN = 1 << 17;

  private record Dim(String name, long length, int id, boolean hasCoord) {}

  private static Dataset read(IHDF5Reader r, Path file, Map<String, Integer> chunks) {
    List<String> members = new ArrayList<>();
    for (String m : r.object().getAllGroupMembers("/")) {
      if (r.object().isDataSet("/" + m)) {
        members.add(m);
      }
    }
    // dimension scales
    List<Dim> dims = new ArrayList<>();
    for (String m : members) {
      String path = "/" + m;
      if (!"DIMENSION_SCALE".equals(stringAttr(r, path, "CLASS"))) {
        continue;
      }
      long[] ids = longsAttr(r, path, "_Netcdf4Dimid");
      String nameAttr = stringAttr(r, path, "NAME");
      boolean coord = nameAttr == null || !nameAttr.startsWith("This is a netCDF dimension but not a netCDF variable");
      long len = r.object().getDataSetInformation(path).getDimensions()[0];
      dims.add(new Dim(m, len, ids == null ? dims.size() : (int) ids[0], coord));
    }
    LinkedHashMap<String, Long> sizes = new LinkedHashMap<>();
    dims.stream().sorted(java.util.Comparator.comparingInt(Dim::id)).forEach(d -> sizes.put(d.name(), d.length()));
    // coordinates
    LinkedHashMap<String, Coord> coords = new LinkedHashMap<>();
    for (Dim d : dims) {
      if (d.hasCoord()) {
        coords.put(d.name(), readCoord(r, file, d.name()));
      }
    }
    // data variables, with their dimension names
    LinkedHashMap<String, List<String>> varDims = new LinkedHashMap<>();
    Map<Long, String> phony = new LinkedHashMap<>();
    for (String m : members) {
      if (dims.stream().anyMatch(d -> d.name().equals(m))) {
        continue;
      }
      varDims.put(m, dimsOf(r, file, m, dims, phony));
    }
    phony.forEach((len, name) -> sizes.put(name, len));
    for (String c : chunks.keySet()) {
      if (!sizes.containsKey(c)) {
        throw new XrException("chunks: unknown dimension '" + c + "' for " + file + "; its dimensions are "
            + sizes.keySet());
      }
    }
    LinkedHashMap<String, DataArray> vars = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : varDims.entrySet()) {
      vars.put(e.getKey(), variable(r, file, e.getKey(), e.getValue(), chunks, coords));
    }
    return new Dataset(vars, coords, sizes, attrs(r, "/"));
  }

  private static List<String> dimsOf(IHDF5Reader r, Path file, String var, List<Dim> dims, Map<Long, String> phony) {
    String path = "/" + var;
    long[] shape = r.object().getDataSetInformation(path).getDimensions();
    long[] ids = longsAttr(r, path, "_Netcdf4Coordinates");
    List<String> out = new ArrayList<>();
    if (ids != null && ids.length == shape.length) {
      for (long id : ids) {
        Dim d = dims.stream().filter(x -> x.id() == id).findFirst().orElseThrow(() -> new XrException(
            "variable '" + var + "' in " + file + " names dimension id " + id + ", which no dimension scale has"));
        out.add(d.name());
      }
      return out;
    }
    for (long len : shape) {
      List<Dim> match = dims.stream().filter(d -> d.length() == len && !out.contains(d.name())).toList();
      if (match.size() == 1 && !dims.isEmpty()) {
        out.add(match.get(0).name());
      } else if (dims.isEmpty() || match.isEmpty()) {
        out.add(phony.computeIfAbsent(len, l -> "phony_dim_" + phony.size()));
      } else {
        throw new XrException("cannot tell the dimensions of variable '" + var + "' in " + file + ": an axis of length "
            + len + " matches dimensions " + match.stream().map(Dim::name).toList() + " and the file has no "
            + "_Netcdf4Coordinates attribute");
      }
    }
    return out;
  }

  private static Coord readCoord(IHDF5Reader r, Path file, String name) {
    String path = "/" + name;
    double[] v = r.float64().readArray(path);
    Map<String, Object> attrs = attrs(r, path);
    Object units = attrs.get("units");
    String dtype = typeName(r.object().getDataSetInformation(path).getTypeInformation());
    if (units instanceof String u && TimeUnits.looksLikeTime(u)) {
      Object cal = attrs.get("calendar");
      TimeUnits tu = TimeUnits.parse(u, cal == null ? null : cal.toString(), "coordinate '" + name + "' in " + file);
      long[] t = new long[v.length];
      for (int i = 0; i < v.length; i++) {
        if (Double.isNaN(v[i])) {
          throw new XrException("coordinate '" + name + "' in " + file + " has a missing time at position " + i);
        }
        t[i] = tu.decode(v[i]);
      }
      attrs.remove("units");
      attrs.remove("calendar");
      return Coord.times(name, name, t, attrs);
    }
    return Coord.numeric(name, name, v, dtype, attrs);
  }

  private static DataArray variable(IHDF5Reader r, Path file, String var, List<String> dimNames,
      Map<String, Integer> chunks, Map<String, Coord> coords) {
    String path = "/" + var;
    HDF5DataSetInformation info = r.object().getDataSetInformation(path);
    HDF5DataTypeInformation ti = info.getTypeInformation();
    HDF5DataClass cls = ti.getDataClass();
    if (cls != HDF5DataClass.FLOAT && cls != HDF5DataClass.INTEGER) {
      throw new XrException("variable '" + var + "' in " + file + " holds " + cls + " values (" + ti + "); "
          + "Rankwise reads numeric variables");
    }
    Map<String, Object> attrs = attrs(r, path);
    Double fill = number(r, path, "_FillValue");
    Double missing = number(r, path, "missing_value");
    Double scale = number(r, path, "scale_factor");
    Double offset = number(r, path, "add_offset");
    int size = ti.getElementSize();
    boolean packed = scale != null || offset != null;
    // unsigned storage, or netCDF-3's convention of signed storage marked _Unsigned = "true"
    boolean unsigned = cls == HDF5DataClass.INTEGER && (!ti.isSigned() || "true".equalsIgnoreCase(
        String.valueOf(attrs.remove("_Unsigned"))));
    boolean signedStorage = ti.isSigned();
    DType dtype;
    if (packed) {
      dtype = cls == HDF5DataClass.INTEGER && size <= 2 && offset == null || cls == HDF5DataClass.FLOAT && size <= 4
          ? DType.FLOAT32 : DType.FLOAT64;
    } else if (cls == HDF5DataClass.FLOAT) {
      dtype = size <= 4 ? DType.FLOAT32 : DType.FLOAT64;
    } else if (fill != null || missing != null) {
      dtype = size <= 2 ? DType.FLOAT32 : DType.FLOAT64; // masked integers become floats, as in xarray
    } else {
      dtype = size < 4 || size == 4 && !unsigned ? DType.INT32 : DType.INT64;
    }
    long[] shape = info.getDimensions();
    int[] csize = new int[shape.length];
    for (int a = 0; a < shape.length; a++) {
      Integer c = chunks.get(dimNames.get(a));
      csize[a] = c == null || c <= 0 ? -1 : c;
    }
    DType t = dtype;
    int mask = unsigned && size <= 2 ? (size == 1 ? 0xFF : 0xFFFF) : -1;
    CfDecoding cf = new CfDecoding(fill, missing, scale, offset, t == DType.FLOAT32 && packed && offset == null, mask);
    double[][] table = new double[1][];
    DArray data = Da.fromBlocks("open-" + var, t, shape, shape.length == 0 ? Chunks.explicit() : Chunks.of(csize),
        (grid, idx) -> {
      int[] bs = grid.blockShape(idx);
      long[] off = grid.blockOffset(idx);
      io.rankwise.io.Hdf5.quiet(); // also points jhdf5 at its library, before it loads it
      try (IHDF5Reader br = HDF5Factory.openForReading(file.toFile())) {
        if (shape.length == 0) { // a scalar variable
          double[] one = {br.float64().read(path)};
          cf.decodeInPlace(one);
          return t.isInteger() ? NdArray.of(new long[] {(long) one[0]}).astype(t) : NdArray.narrowed(t, one);
        }
        if (t.isInteger() && unsigned && signedStorage && size < 8) { // _Unsigned: reinterpret the bits
          long[] v = br.int64().readMDArrayBlockWithOffset(path, bs, off).getAsFlatArray();
          long m = (1L << (8 * size)) - 1;
          for (int i = 0; i < v.length; i++) {
            v[i] &= m;
          }
          return NdArray.of(v, bs).astype(t);
        }
        if (t.isInteger()) {
          return t == DType.INT32
              ? NdArray.of(br.int32().readMDArrayBlockWithOffset(path, bs, off).getAsFlatArray(), bs)
              : NdArray.of((size == 8 && !signedStorage ? br.uint64() : br.int64())
                  .readMDArrayBlockWithOffset(path, bs, off).getAsFlatArray(), bs); // uint64 above 2^63 wraps
        }
        // read at the file's own width (HDF5 converts nothing), then decode once into doubles
        double[] d;
        if (cls == HDF5DataClass.INTEGER && size <= 2) {
          short[] raw = size == 2 && !signedStorage
              ? br.uint16().readMDArrayBlockWithOffset(path, bs, off).getAsFlatArray() // bit patterns
              : br.int16().readMDArrayBlockWithOffset(path, bs, off).getAsFlatArray();
          if (raw.length >= CODED_MIN) { // kept as codes: a quarter of the bytes, decoded a row at a time
            double[] tb;
            synchronized (table) { // one table per variable, shared by its blocks on this rank
              if (table[0] == null) {
                table[0] = cf.table(t == DType.FLOAT32);
              }
              tb = table[0];
            }
            return NdArray.coded(t, raw, tb, bs);
          }
          d = cf.decode(raw);
        } else if (cls == HDF5DataClass.FLOAT && size <= 4) {
          float[] f = br.float32().readMDArrayBlockWithOffset(path, bs, off).getAsFlatArray();
          d = new double[f.length];
          for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
          }
          cf.decodeInPlace(d);
        } else {
          d = br.float64().readMDArrayBlockWithOffset(path, bs, off).getAsFlatArray();
          cf.decodeInPlace(d);
        }
        return NdArray.narrowed(t, d, bs); // float32: values are float32 already; this only checks the kind
      } catch (RuntimeException e) {
        throw new XrException("cannot read block " + Arrays.toString(idx) + " (offset " + Arrays.toString(off)
            + ", shape " + Arrays.toString(bs) + ") of variable '" + var + "' in " + file + ": " + e.getMessage(), e);
      }
    });
    return new DataArray(var, dimNames, data, coords, attrs);
  }

  /**
   * CF decoding as xarray does it: fill and missing values (compared on the raw value, unsigned
   * bits masked by {@code mask}) become NaN, then scale and offset apply; {@code single}: packed
   * small integers without an offset, computed in float32 (xarray's {@code data *= scale_factor}
   * on float32 data).
   */
  private record CfDecoding(Double fill, Double missing, Double scale, Double offset, boolean single, int mask) {
    CfDecoding {
      fill = maskBits(fill, mask); // compared with the masked raw bits
      missing = maskBits(missing, mask);
    }

    /** An integer attribute value as the unsigned bits it stands for (when masking). */
    private static Double maskBits(Double v, int mask) {
      return v == null || mask == -1 || v != Math.rint(v) ? v : (Double) (double) ((long) (double) v & mask);
    }

    private boolean packed() {
      return scale != null || offset != null;
    }

    private double value(double raw) {
      if (fill != null && (raw == fill || Double.isNaN(fill) && Double.isNaN(raw)) || missing != null && raw == missing) {
        return Double.NaN;
      }
      if (single) {
        return (float) ((float) raw * (float) (double) scale);
      }
      return packed() ? raw * (scale == null ? 1 : scale) + (offset == null ? 0 : offset) : raw;
    }

    /** 8/16-bit integers (bits masked for unsigned storage) to decoded doubles, one pass. */
    double[] decode(short[] raw) {
      double[] d = new double[raw.length];
      for (int i = 0; i < raw.length; i++) {
        d[i] = value(raw[i] & mask);
      }
      return d;
    }

    /**
     * The decoded value of each of the 2^16 bit patterns of a 16-bit code (rounded to float32
     * when {@code f32}): the table of a coded block, for blocks larger than the table.
     */
    double[] table(boolean f32) {
      double[] table = new double[1 << 16];
      for (int bits = 0; bits < table.length; bits++) {
        double v = value(mask == -1 ? (short) bits : bits & mask);
        table[bits] = f32 ? (float) v : v;
      }
      return table;
    }

    void decodeInPlace(double[] d) {
      if (fill == null && missing == null && !packed()) {
        return;
      }
      for (int i = 0; i < d.length; i++) {
        d[i] = value(d[i]);
      }
    }
  }

  private static String typeName(HDF5DataTypeInformation ti) {
    int size = ti.getElementSize();
    return switch (ti.getDataClass()) {
      case FLOAT -> "float" + 8 * size;
      case INTEGER -> (ti.isSigned() ? "int" : "uint") + 8 * size;
      default -> ti.getDataClass().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** The user-facing attributes of an object: text, numbers and number arrays. */
  private static Map<String, Object> attrs(IHDF5Reader r, String path) {
    LinkedHashMap<String, Object> out = new LinkedHashMap<>();
    for (String a : r.object().getAllAttributeNames(path)) {
      if (INTERNAL.contains(a)) {
        continue;
      }
      HDF5DataTypeInformation ti = r.object().getAttributeInformation(path, a);
      try {
        switch (ti.getDataClass()) {
          case STRING -> out.put(a, r.string().getAttr(path, a));
          case FLOAT -> {
            double[] v = r.float64().getArrayAttr(path, a);
            out.put(a, v.length == 1 ? (Object) v[0] : v);
          }
          case INTEGER -> {
            long[] v = r.int64().getArrayAttr(path, a);
            out.put(a, v.length == 1 ? (Object) v[0] : v);
          }
          default -> { } // references, compounds: layout, not data
        }
      } catch (RuntimeException e) {
        // an attribute jhdf5 cannot read is skipped, as it carries no data
      }
    }
    return out;
  }

  private static String stringAttr(IHDF5Reader r, String path, String name) {
    if (!r.object().hasAttribute(path, name)) {
      return null;
    }
    try {
      return r.string().getAttr(path, name);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static long[] longsAttr(IHDF5Reader r, String path, String name) {
    if (!r.object().hasAttribute(path, name)) {
      return null;
    }
    return r.int64().getArrayAttr(path, name);
  }

  private static Double number(IHDF5Reader r, String path, String name) {
    if (!r.object().hasAttribute(path, name)) {
      return null;
    }
    HDF5DataClass cls = r.object().getAttributeInformation(path, name).getDataClass();
    if (cls == HDF5DataClass.FLOAT) {
      return r.float64().getArrayAttr(path, name)[0];
    }
    if (cls == HDF5DataClass.INTEGER) {
      return (double) r.int64().getArrayAttr(path, name)[0];
    }
    throw new XrException("attribute '" + name + "' of " + path + " must be a number, it holds " + cls);
  }
}
