package io.rankwise.ml;

import io.rankwise.array.Chunks;
import io.rankwise.array.DArray;
import io.rankwise.array.DType;
import io.rankwise.array.Da;
import io.rankwise.array.NdArray;
import io.rankwise.comm.Communicator;
import io.rankwise.comm.ReduceOp;
import io.rankwise.runtime.Session;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Training data held where it was computed: each rank keeps its own row blocks of [X | y] in
 * memory (nothing is gathered), and sums over rows are merged with one allReduce. Sums are kept
 * per block and added in block order after the allReduce (every block has exactly one owner, the
 * others add zeros), so every rank gets the same bits, whatever the number of ranks.
 */
final class RowBlocks {
  /** Fills {@code out[off .. off+m)} with the sums of one block (rows x (features + 1), y last). */
  @FunctionalInterface
  interface BlockSum {
    void sum(NdArray block, double[] out, int off);
  }

  /** Above this many per-block values (blocks x sums), sums are merged per rank instead of per block. */
  static final long PER_BLOCK_LIMIT = 4_000_000;

  final int nFeatures;
  final long nRows;
  final int nBlocks;
  private final List<NdArray> blocks;
  private final int[] index;
  private final Communicator comm;

  private RowBlocks(int nFeatures, long nRows, int nBlocks, List<NdArray> blocks, int[] index, Communicator comm) {
    this.nFeatures = nFeatures;
    this.nRows = nRows;
    this.nBlocks = nBlocks;
    this.blocks = blocks;
    this.index = index;
    this.comm = comm;
  }

  /** Local data as one block (no communication). */
  static RowBlocks local(NdArray x, NdArray y, String who) {
    int[] xs = x.shape();
    if (xs.length != 2) {
      throw new MlException(who + ": X must be 2-d (samples, features), got shape " + Arrays.toString(xs));
    }
    if (y.ndim() != 1 || y.shape()[0] != xs[0]) {
      throw new MlException(who + ": y must be 1-d with one value per row of X (" + xs[0] + "), got shape "
          + Arrays.toString(y.shape()));
    }
    int d = xs[1];
    double[] xy = new double[xs[0] * (d + 1)];
    for (int i = 0; i < xs[0]; i++) {
      for (int j = 0; j < d; j++) {
        xy[i * (d + 1) + j] = x.getDouble(i * d + j);
      }
      xy[i * (d + 1) + d] = y.getDouble(i);
    }
    return new RowBlocks(d, xs[0], 1, List.of(NdArray.of(xy, xs[0], d + 1)), new int[] {0}, null);
  }

  /** All blocks of [X | y] held here (no communication): the reference for rank-count independence. */
  static RowBlocks ofBlocks(List<NdArray> xy) {
    int[] idx = java.util.stream.IntStream.range(0, xy.size()).toArray();
    long rows = xy.stream().mapToLong(b -> b.shape()[0]).sum();
    return new RowBlocks(xy.get(0).shape()[1] - 1, rows, xy.size(), List.copyOf(xy), idx, null);
  }

  /** Chunked data: computes [X | y] once and keeps each rank's own row blocks. Collective. */
  static RowBlocks distributed(DArray x, DArray y, String who) {
    if (x.ndim() != 2) {
      throw new MlException(who + ": X must be 2-d (samples, features), got shape " + Arrays.toString(x.shape()));
    }
    if (y.ndim() != 1 || y.shape()[0] != x.shape()[0]) {
      throw new MlException(who + ": y must be 1-d with one value per row of X (" + x.shape()[0] + "), got shape "
          + Arrays.toString(y.shape()));
    }
    if (!Arrays.equals(x.grid().chunks(0), y.grid().chunks(0))) {
      throw new MlException(who + ": X and y must have the same row chunks; X has " + Arrays.toString(x.grid().chunks(0))
          + ", y has " + Arrays.toString(y.grid().chunks(0)) + "; rechunk one of them");
    }
    DArray xx = x.grid().numBlocks()[1] == 1 ? x : x.rechunk(Chunks.explicit(x.grid().chunks(0),
        new int[] {(int) x.shape()[1]}));
    DArray both = xx.appendColumn(y);
    Object[] out = both.ownedBlocks();
    List<NdArray> mine = new ArrayList<>();
    List<Integer> idx = new ArrayList<>();
    for (int b = 0; b < out.length; b++) {
      if (out[b] != null) {
        mine.add(Da.materialize(out[b]));
        idx.add(b);
      }
    }
    return new RowBlocks((int) x.shape()[1], x.shape()[0], out.length, mine,
        idx.stream().mapToInt(Integer::intValue).toArray(), Session.current().comm());
  }

  /** Σ over blocks (in block order) of {@code fn}'s m sums; the same on every rank. Collective when distributed. */
  double[] sums(int m, BlockSum fn) {
    return sums(m, fn, (long) nBlocks * m <= PER_BLOCK_LIMIT);
  }

  /** {@code perBlock}: merge per block (the same bits for every rank count) or per rank. */
  double[] sums(int m, BlockSum fn, boolean perBlock) {
    if (!perBlock) {
      // many blocks x many features: each rank adds its blocks (in block order), one allReduce of
      // m values. Rounding then depends on how blocks fall on ranks (~1e-16 relative); the fitted
      // coefficients still agree far below 1e-6.
      double[] total = new double[m];
      double[] one = new double[m];
      for (NdArray b : blocks) {
        java.util.Arrays.fill(one, 0);
        fn.sum(b, one, 0);
        for (int j = 0; j < m; j++) {
          total[j] += one[j];
        }
      }
      if (comm != null && comm.size() > 1) {
        comm.allReduce(total, ReduceOp.SUM);
      }
      return total;
    }
    double[] per = new double[nBlocks * m];
    for (int k = 0; k < blocks.size(); k++) {
      fn.sum(blocks.get(k), per, index[k] * m);
    }
    if (comm != null && comm.size() > 1) {
      comm.allReduce(per, ReduceOp.SUM);
    }
    double[] total = new double[m];
    for (int b = 0; b < nBlocks; b++) {
      for (int j = 0; j < m; j++) {
        total[j] += per[b * m + j];
      }
    }
    return total;
  }

  /** Visits this rank's blocks with their block numbers. */
  void forEachOwned(OwnedVisitor v) {
    for (int k = 0; k < blocks.size(); k++) {
      v.visit(index[k], blocks.get(k));
    }
  }

  @FunctionalInterface
  interface OwnedVisitor {
    void visit(int block, NdArray data);
  }

  /** The distinct integer class labels of y, sorted, the same on every rank (at least two). */
  long[] classes(String who) {
    long[] seen = new long[MAX_CLASSES + 1];
    int nSeen = 0;
    boolean nonInteger = false;
    for (NdArray b : blocks) {
      int cols = b.shape()[1];
      double[] d = (double[]) b.data();
      for (int i = cols - 1; i < d.length; i += cols) {
        double v = d[i];
        if (v != Math.rint(v) || Double.isInfinite(v)) {
          nonInteger = true;
          continue;
        }
        long l = (long) v;
        int k = 0;
        while (k < nSeen && seen[k] != l) { // a handful of classes: a linear scan beats a set
          k++;
        }
        if (k == nSeen && nSeen <= MAX_CLASSES) {
          seen[nSeen++] = l;
        }
      }
    }
    java.util.TreeSet<Long> mine = new java.util.TreeSet<>();
    for (int k = 0; k < nSeen; k++) {
      mine.add(seen[k]);
    }
    long[] flags = {nonInteger ? 1 : 0, mine.size() > MAX_CLASSES ? 1 : 0};
    long[] local = mine.stream().mapToLong(Long::longValue).toArray();
    java.util.TreeSet<Long> all = new java.util.TreeSet<>(mine);
    if (comm != null && comm.size() > 1) {
      comm.allReduce(flags, ReduceOp.SUM);
      for (long[] other : comm.allGather(local)) {
        for (long v : other) {
          all.add(v);
        }
      }
    }
    if (flags[0] > 0) {
      throw new MlException(who + ": class labels in y must be integers (got a non-integer value); use a regressor "
          + "for continuous targets");
    }
    if (flags[1] > 0 || all.size() > MAX_CLASSES) {
      throw new MlException(who + ": more than " + MAX_CLASSES + " distinct labels in y; is it a continuous target?");
    }
    if (all.size() < 2) {
      throw new MlException(who + ": needs at least two classes in y, found " + all);
    }
    return all.stream().mapToLong(Long::longValue).toArray();
  }

  private static final int MAX_CLASSES = 100;

}
