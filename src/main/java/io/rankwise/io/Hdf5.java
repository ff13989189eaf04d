package io.rankwise.io;

import ch.systemsx.cisd.base.mdarray.MDDoubleArray;
import ch.systemsx.cisd.base.mdarray.MDFloatArray;
import ch.systemsx.cisd.base.mdarray.MDIntArray;
import ch.systemsx.cisd.base.mdarray.MDLongArray;
import ch.systemsx.cisd.hdf5.HDF5DataClass;
import ch.systemsx.cisd.hdf5.HDF5DataSetInformation;
import ch.systemsx.cisd.hdf5.HDF5Factory;
import ch.systemsx.cisd.hdf5.IHDF5Reader;
import ch.systemsx.cisd.hdf5.IHDF5Writer;
import io.rankwise.array.ChunkGrid;
import io.rankwise.array.Chunks;
import io.rankwise.array.DArray;
import io.rankwise.array.DType;
import io.rankwise.array.Da;
import io.rankwise.array.NdArray;
import io.rankwise.runtime.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Chunked arrays in HDF5 files, through jhdf5.
 *
 * <p><b>Reading</b>: every block is a task that opens the file read-only and reads its own
 * hyperslab, so each rank reads only the blocks it owns (concurrent readers are safe).
 *
 * <p><b>Writing</b>: jhdf5 is not parallel HDF5, so ranks take turns. Rank 0 creates the file and
 * a chunked dataset whose HDF5 chunks are the array's blocks; then rank 0, 1, 2, ... in order
 * (separated by barriers) open the file, write the blocks they computed, and close it. Blocks
 * never travel to another rank to be written; the cost is that writes are serialized.
 */
public final class Hdf5 {
  /** The system property by which jhdf5 finds its JNI library without searching. */
  static final String LIB_PROPERTY = "native.libpath.sis-jhdf5";

  static {
    nativeLibrary();
  }

  private Hdf5() {}

  /**
   * Points jhdf5 at its JNI library ({@code libsis-jhdf5.so} in a {@code java.library.path}
   * directory) unless {@value #LIB_PROPERTY} is set already; a library bundled in jhdf5's jar
   * is then not used (Debian's jar has none). Without it jhdf5 first tries to
   * unpack a bundled library into the temporary directory, and to do that it lists every file
   * there (to delete old copies): ~0.2 s of each job's start on a busy {@code /tmp}. Call before
   * the first use of HDF5 in the JVM; later calls do nothing.
   */
  public static void nativeLibrary() {
    if (System.getProperty(LIB_PROPERTY) != null) {
      return;
    }
    String path = System.getProperty("java.library.path", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      java.io.File lib = new java.io.File(dir, System.mapLibraryName("sis-jhdf5"));
      if (lib.isFile()) {
        System.setProperty(LIB_PROPERTY, lib.getAbsolutePath());
        return;
      }
    }
  }

  /**
   * The HDF5 library prints its error stack for expected misses (jhdf5 probes whether groups
   * exist); jhdf5 turns real errors into exceptions, which we report, so keep stderr clean. The
   * setting is per thread in HDF5, hence a call before every use. The first call also runs this
   * class's initializer, which points jhdf5 at its native library before jhdf5 loads it.
   */
  public static void quiet() {
    hdf.hdf5lib.H5.H5error_off();
  }

  /**
   * A dataset of {@code file} as a chunked array: float32/float64 and int32/int64 keep their type;
   * 8- and 16-bit integers and uint16 read as int32, uint32 and uint64 as int64 (uint64 values
   * above 2^63 wrap, as in a signed cast).
   */
  public static DArray read(Path file, String dataset, Chunks chunks) {
    Info info = inspect(file, dataset);
    return Da.fromBlocks("read-hdf5", info.dtype, info.shape, chunks, (grid, idx) -> {
      int[] bs = grid.blockShape(idx);
      long[] off = grid.blockOffset(idx);
      quiet();
      try (IHDF5Reader r = HDF5Factory.openForReading(file.toFile())) {
        return switch (info.dtype) {
          case INT64 -> NdArray.of((info.unsigned64 ? r.uint64() : r.int64())
              .readMDArrayBlockWithOffset(dataset, bs, off).getAsFlatArray(), bs);
          case INT32 -> NdArray.of(r.int32().readMDArrayBlockWithOffset(dataset, bs, off).getAsFlatArray(), bs);
          case FLOAT32 -> NdArray.of(r.float32().readMDArrayBlockWithOffset(dataset, bs, off).getAsFlatArray(), bs);
          default -> NdArray.of(r.float64().readMDArrayBlockWithOffset(dataset, bs, off).getAsFlatArray(), bs);
        };
      } catch (RuntimeException e) {
        throw new IoException("cannot read block " + Arrays.toString(idx) + " (offset " + Arrays.toString(off)
            + ", shape " + Arrays.toString(bs) + ") of " + dataset + " in " + file + ": " + e.getMessage(), e);
      }
    });
  }

  private record Info(long[] shape, DType dtype, boolean unsigned64) {}

  /** Opens an existing HDF5 file, with clear errors for a missing or damaged file. */
  static IHDF5Reader openForReading(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IoException("HDF5 file " + file + " does not exist (working directory " + Path.of("").toAbsolutePath()
          + ")");
    }
    quiet();
    try {
      return HDF5Factory.openForReading(file.toFile());
    } catch (RuntimeException e) {
      throw new IoException("cannot open " + file + " as HDF5 (corrupt, or not an HDF5 file): " + e.getMessage(), e);
    }
  }

  private static Info inspect(Path file, String dataset) {
    IHDF5Reader r = openForReading(file);
    try (r) {
      if (!r.object().exists(dataset)) {
        throw new IoException("HDF5 file " + file + " has no dataset '" + dataset + "'; it has: "
            + String.join(", ", r.object().getAllGroupMembers("/")));
      }
      if (!r.object().isDataSet(dataset)) {
        throw new IoException("'" + dataset + "' in " + file + " is a group, not a dataset");
      }
      HDF5DataSetInformation i = r.object().getDataSetInformation(dataset);
      HDF5DataClass cls = i.getTypeInformation().getDataClass();
      int size = i.getTypeInformation().getElementSize();
      boolean signed = i.getTypeInformation().isSigned();
      DType t = switch (cls) {
        case FLOAT -> size <= 4 ? DType.FLOAT32 : DType.FLOAT64;
        case INTEGER -> size < 4 || size == 4 && signed ? DType.INT32 : DType.INT64;
        default -> throw new IoException("dataset '" + dataset + "' in " + file + " holds " + cls + " values ("
            + i.getTypeInformation() + "); arrays read numeric datasets (float or integer)");
      };
      return new Info(i.getDimensions(), t, cls == HDF5DataClass.INTEGER && size == 8 && !signed);
    }
  }

  /**
   * Computes {@code x} and writes it to {@code dataset} of {@code file} (created or replaced).
   * Collective: every rank calls it. Returns when the file is complete on every rank.
   */
  public static void write(DArray x, Path file, String dataset) {
    x.grid().requireKnown("writing to HDF5");
    if (x.dtype() == DType.BOOL) {
      throw new IoException("writing bool arrays to HDF5 is not supported; use x.astype(DType.INT64)");
    }
    Session s = Session.current();
    // Every rank computes and keeps its own blocks.
    Object[] blocks = x.ownedBlocks();
    ChunkGrid g = x.grid();
    int[] blockDims = new int[g.ndim()];
    for (int a = 0; a < blockDims.length; a++) {
      blockDims[a] = Math.max(1, Arrays.stream(g.chunks(a)).max().orElse(1));
    }
    writeInTurns(s, file, dataset, "its blocks of " + dataset, w -> {
      switch (x.dtype()) {
        case INT64 -> w.int64().createMDArray(dataset, g.shape(), blockDims);
        case INT32 -> w.int32().createMDArray(dataset, g.shape(), blockDims);
        case FLOAT32 -> w.float32().createMDArray(dataset, g.shape(), blockDims);
        default -> w.float64().createMDArray(dataset, g.shape(), blockDims);
      }
    }, w -> {
      for (int b = 0; b < blocks.length; b++) {
        if (blocks[b] == null) {
          continue;
        }
        NdArray blk = Da.materialize(blocks[b]);
        long[] off = g.blockOffset(g.unravel(b));
        switch (x.dtype()) {
          case INT64 -> w.int64().writeMDArrayBlockWithOffset(dataset,
              new MDLongArray((long[]) blk.data(), blk.shape()), off);
          case INT32 -> w.int32().writeMDArrayBlockWithOffset(dataset, new MDIntArray(blk.toInts(), blk.shape()), off);
          case FLOAT32 -> w.float32().writeMDArrayBlockWithOffset(dataset,
              new MDFloatArray(blk.toFloats(), blk.shape()), off);
          default -> w.float64().writeMDArrayBlockWithOffset(dataset,
              new MDDoubleArray((double[]) blk.data(), blk.shape()), off);
        }
      }
    });
  }

  /** One step with an open writer. */
  @FunctionalInterface
  interface WriterStep {
    void run(IHDF5Writer w) throws Exception;
  }

  /**
   * jhdf5 is not parallel HDF5, so ranks write one file in turns: rank 0 replaces the file and
   * runs {@code create}; then rank 0, 1, 2, ... each open it and run {@code write} (their own
   * data). After each step all ranks agree on failures, so none waits for a rank that failed.
   * Collective.
   */
  static void writeInTurns(Session s, Path file, String created, String written, WriterStep create, WriterStep write) {
    RuntimeException failure = null;
    quiet();
    if (s.rank() == 0) {
      try {
        Files.deleteIfExists(file);
        try (IHDF5Writer w = HDF5Factory.open(file.toFile())) {
          create.run(w);
        }
      } catch (Exception e) {
        failure = new IoException("cannot create " + created + " in " + file + ": " + e.getMessage(), e);
      }
    }
    agree(s, failure, "create");
    for (int turn = 0; turn < s.size(); turn++) {
      failure = null;
      if (turn == s.rank()) {
        quiet();
        try (IHDF5Writer w = HDF5Factory.open(file.toFile())) {
          write.run(w);
        } catch (Exception e) {
          failure = new IoException("rank " + s.rank() + " cannot write " + written + " to " + file + ": "
              + e.getMessage(), e);
        }
      }
      agree(s, failure, "write");
    }
  }

  /** All ranks fail together when one failed a step. */
  private static void agree(Session s, RuntimeException mine, String step) {
    s.agreeOnFailure(mine, () -> new IoException("HDF5 " + step + " failed on another rank (see its message)"));
  }

}
