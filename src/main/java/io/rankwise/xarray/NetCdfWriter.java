package io.rankwise.xarray;

import hdf.hdf5lib.H5;
import hdf.hdf5lib.HDF5Constants;
import io.rankwise.array.ChunkGrid;
import io.rankwise.array.DArray;
import io.rankwise.array.Da;
import io.rankwise.array.NdArray;
import io.rankwise.runtime.Session;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Writes NetCDF-4 files that netCDF-C, netCDF4-python and xarray read with the same dimensions,
 * coordinates, values and attributes. Rank 0 describes the file in CDL (dimensions, variables,
 * attributes, coordinate values) and has netCDF's own {@code ncgen} create it, so the HDF5
 * dimension scales are exactly netCDF's; then the ranks, in rank order, write the blocks they
 * computed into the variables with HDF5 hyperslab writes (jhdf5 is not parallel HDF5; blocks
 * never move to another rank). Datetimes are stored as "hours since" (or seconds, when needed)
 * the first label's day, float data with a NaN _FillValue.
 */
final class NetCdfWriter {
  static {
    io.rankwise.io.Hdf5.nativeLibrary(); // before jhdf5 loads its library
  }

  private NetCdfWriter() {}

  static void write(Dataset ds, Path file) {
    Session s = Session.current();
    RuntimeException failure = null;
    if (s.rank() == 0) {
      try {
        create(ds, file);
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    agree(s, failure, "creating " + file);
    for (DataArray v : ds.dataVars().values()) {
      writeData(s, v, file);
    }
  }

  private static void create(Dataset ds, Path file) {
    StringBuilder cdl = new StringBuilder("netcdf rankwise {\ndimensions:\n");
    for (Map.Entry<String, Long> e : ds.sizes().entrySet()) {
      cdl.append("  ").append(name(e.getKey())).append(" = ").append(e.getValue()).append(" ;\n");
    }
    cdl.append("variables:\n");
    StringBuilder data = new StringBuilder();
    for (Coord c : ds.coords().values()) {
      Map<String, Object> attrs = new LinkedHashMap<>(c.attrs());
      String type;
      List<String> values = new ArrayList<>();
      if (c.isTime()) {
        long[] t = c.epochMillis();
        long day0 = Math.floorDiv(t.length == 0 ? 0 : t[0], 86_400_000L) * 86_400_000L;
        boolean hours = true;
        for (long v : t) {
          hours &= (v - day0) % 3_600_000L == 0;
        }
        String since = TimeUnits.format(day0);
        attrs.put("units", (hours ? "hours" : "seconds") + " since " + since + (since.length() == 10 ? " 00:00:00" : ""));
        attrs.put("calendar", "proleptic_gregorian");
        for (long v : t) {
          values.add(num(hours ? (v - day0) / 3_600_000.0 : (v - day0) / 1000.0));
        }
        type = "double";
      } else if (c.isText()) {
        type = "string";
        for (int i = 0; i < c.size(); i++) {
          values.add(quote(c.label(i)));
        }
      } else {
        type = cdlType(c.dtype());
        for (int i = 0; i < c.size(); i++) {
          values.add(type.equals("float") ? num((float) c.value(i)) + "f" : num(c.value(i)));
        }
      }
      cdl.append("  ").append(type).append(' ').append(name(c.name())).append('(').append(name(c.dim())).append(") ;\n");
      appendAttrs(cdl, c.name(), attrs);
      if (!values.isEmpty()) { // ncgen crashes on an empty data list; an empty variable needs none
        data.append("  ").append(name(c.name())).append(" = ").append(String.join(", ", values)).append(" ;\n");
      }
    }
    for (DataArray v : ds.dataVars().values()) {
      String type = switch (v.dtype()) {
        case FLOAT32 -> "float";
        case FLOAT64 -> "double";
        case INT32 -> "int";
        case INT64 -> "int64";
        case BOOL -> throw new XrException("toNetcdf: bool variable '" + v.name() + "'; use astype(DType.INT32)");
      };
      cdl.append("  ").append(type).append(' ').append(name(v.name()));
      if (!v.dims().isEmpty()) { // a 0-d variable has no parentheses in CDL
        cdl.append('(').append(String.join(", ", v.dims().stream().map(NetCdfWriter::name).toList())).append(')');
      }
      cdl.append(" ;\n");
      Map<String, Object> attrs = new LinkedHashMap<>();
      if (v.dtype().isFloat()) {
        attrs.put("_FillValue", v.dtype() == io.rankwise.array.DType.FLOAT32 ? (Object) Float.NaN : (Object) Double.NaN);
      }
      attrs.putAll(v.attrs());
      appendAttrs(cdl, v.name(), attrs);
    }
    if (!ds.attrs().isEmpty()) {
      cdl.append("\n// global attributes:\n");
      appendAttrs(cdl, "", ds.attrs());
    }
    cdl.append("data:\n").append(data).append("}\n");
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      Files.deleteIfExists(file);
      Path cdlFile = Files.createTempFile("rankwise-", ".cdl");
      try {
        Files.writeString(cdlFile, cdl, StandardCharsets.UTF_8);
        Process p;
        try {
          p = new ProcessBuilder("ncgen", "-k", "nc4", "-o", file.toString(), cdlFile.toString())
              .redirectErrorStream(true).start();
        } catch (IOException e) {
          throw new XrException("toNetcdf needs netCDF's ncgen to create " + file + " (Debian: apt install netcdf-bin; "
              + "native/install.sh installs it): " + e.getMessage(), e);
        }
        java.util.concurrent.CompletableFuture<String> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
          try {
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return e.toString();
          }
        });
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new XrException("toNetcdf: ncgen did not finish creating " + file + " within 120 s");
        }
        if (p.exitValue() != 0) {
          throw new XrException("toNetcdf: ncgen could not create " + file + " (exit " + p.exitValue() + "): "
              + out.join().trim());
        }
      } finally {
        Files.deleteIfExists(cdlFile);
      }
    } catch (IOException e) {
      throw new XrException("toNetcdf: cannot write " + file + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new XrException("toNetcdf: interrupted while creating " + file);
    }
  }

  private static void writeData(Session s, DataArray v, Path file) {
    DArray x = v.data();
    x.grid().requireKnown("toNetcdf");
    Object[] blocks = x.ownedBlocks();
    ChunkGrid g = x.grid();
    String path = "/" + v.name();
    for (int turn = 0; turn < s.size(); turn++) {
      RuntimeException failure = null;
      if (turn == s.rank()) {
        try {
          writeBlocks(file, path, g, blocks, v);
        } catch (RuntimeException e) {
          failure = new XrException("rank " + s.rank() + " cannot write its blocks of '" + v.name() + "' to " + file
              + ": " + e.getMessage(), e);
        } catch (Exception | Error e) {
          failure = new XrException("rank " + s.rank() + " cannot write its blocks of '" + v.name() + "' to " + file
              + ": " + e, e);
        }
      }
      agree(s, failure, "writing '" + v.name() + "' to " + file);
    }
  }

  private static void writeBlocks(Path file, String path, ChunkGrid g, Object[] blocks, DataArray v) throws Exception {
    boolean any = false;
    for (Object b : blocks) {
      any |= b != null;
    }
    if (!any) {
      return;
    }
    long f = H5.H5Fopen(file.toString(), HDF5Constants.H5F_ACC_RDWR, HDF5Constants.H5P_DEFAULT);
    try {
      long d = H5.H5Dopen(f, path, HDF5Constants.H5P_DEFAULT);
      try {
        for (int b = 0; b < blocks.length; b++) {
          if (blocks[b] == null) {
            continue;
          }
          NdArray blk = Da.materialize(blocks[b]);
          long[] off = g.blockOffset(g.unravel(b));
          long[] count = java.util.Arrays.stream(blk.shape()).asLongStream().toArray();
          if (blk.size() == 0) {
            continue;
          }
          if (count.length == 0) { // a 0-d variable: the whole (scalar) dataset
            writeAll(d, v, blk, HDF5Constants.H5S_ALL, HDF5Constants.H5S_ALL);
            continue;
          }
          long fs = H5.H5Dget_space(d);
          long ms;
          try {
            ms = H5.H5Screate_simple(count.length, count, null);
          } catch (Exception e) {
            H5.H5Sclose(fs);
            throw e;
          }
          try {
            H5.H5Sselect_hyperslab(fs, HDF5Constants.H5S_SELECT_SET, off, null, count, null);
            writeAll(d, v, blk, ms, fs);
          } finally {
            H5.H5Sclose(ms);
            H5.H5Sclose(fs);
          }
        }
      } finally {
        H5.H5Dclose(d);
      }
    } finally {
      H5.H5Fclose(f);
    }
  }

  private static void writeAll(long d, DataArray v, NdArray blk, long ms, long fs) throws Exception {
    switch (v.dtype()) {
      case FLOAT32 -> H5.H5Dwrite(d, HDF5Constants.H5T_NATIVE_FLOAT, ms, fs, HDF5Constants.H5P_DEFAULT, blk.toFloats());
      case INT32 -> H5.H5Dwrite(d, HDF5Constants.H5T_NATIVE_INT32, ms, fs, HDF5Constants.H5P_DEFAULT, blk.toInts());
      case INT64 -> H5.H5Dwrite(d, HDF5Constants.H5T_NATIVE_INT64, ms, fs, HDF5Constants.H5P_DEFAULT,
          (long[]) blk.data());
      default -> H5.H5Dwrite(d, HDF5Constants.H5T_NATIVE_DOUBLE, ms, fs, HDF5Constants.H5P_DEFAULT, blk.toDoubles());
    }
  }

  /** All ranks fail together when one failed a step. */
  private static void agree(Session s, RuntimeException mine, String step) {
    s.agreeOnFailure(mine, () -> new XrException("toNetcdf: " + step + " failed on another rank (see its message)"));
  }

  private static String cdlType(String dtype) {
    return switch (dtype) {
      case "float32" -> "float";
      case "int8" -> "byte";
      case "int16" -> "short";
      case "int32" -> "int";
      case "int64" -> "int64";
      case "uint8" -> "ubyte";
      case "uint16" -> "ushort";
      case "uint32" -> "uint";
      case "uint64" -> "uint64";
      default -> "double";
    };
  }

  private static void appendAttrs(StringBuilder cdl, String var, Map<String, Object> attrs) {
    for (Map.Entry<String, Object> e : attrs.entrySet()) {
      String value = attrValue(e.getValue());
      if (value == null) {
        continue;
      }
      cdl.append("    ").append(name(var)).append(':').append(name(e.getKey())).append(" = ").append(value)
          .append(" ;\n");
    }
  }

  private static String attrValue(Object v) {
    if (v instanceof String str) {
      return quote(str);
    }
    if (v instanceof Float f) {
      return Float.isNaN(f) ? "NaNf" : num(f) + "f";
    }
    if (v instanceof Double d) {
      return num(d);
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Short) {
      long l = ((Number) v).longValue();
      return l == (int) l ? Long.toString(l) : l + "LL";
    }
    if (v instanceof double[] a) {
      return String.join(", ", java.util.Arrays.stream(a).mapToObj(NetCdfWriter::num).toList());
    }
    if (v instanceof long[] a) {
      boolean small = java.util.Arrays.stream(a).allMatch(l -> l == (int) l);
      return String.join(", ", java.util.Arrays.stream(a).mapToObj(l -> small ? Long.toString(l) : l + "LL").toList());
    }
    return v == null ? null : quote(String.valueOf(v));
  }

  private static String num(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.format(Locale.ROOT, "%.1f", d) : Double.toString(d);
  }

  private static String num(float f) {
    return f == Math.rint(f) && Math.abs(f) < 1e7 ? String.format(Locale.ROOT, "%.1f", f) : Float.toString(f);
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        default -> b.append(ch);
      }
    }
    return b.append('"').toString();
  }

  /**
   * A CDL name. ncgen takes letters, digits and {@code _ . @ + -} as they are (escaping those
   * breaks it), wants a leading digit escaped, and other characters escaped with a backslash.
   */
  static String name(String n) {
    if (n == null || n.isEmpty()) {
      return n;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n.length(); i++) {
      char ch = n.charAt(i);
      boolean plain = Character.isLetterOrDigit(ch) || ch == '_' || ch > 127 || ".@+-".indexOf(ch) >= 0;
      if (!plain || i == 0 && Character.isDigit(ch)) {
        b.append('\\');
      }
      b.append(ch);
    }
    return b.toString();
  }
}
