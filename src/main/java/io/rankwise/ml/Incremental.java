package io.rankwise.ml;

import io.rankwise.array.DArray;
import io.rankwise.array.NdArray;
import io.rankwise.comm.Communicator;
import io.rankwise.runtime.Session;

/**
 * dask-ml's Incremental: {@code partialFit} over the row blocks of chunked X and y, one block at
 * a time in block order (0, 1, 2, ...), whatever the number of ranks. The model is kept on every
 * rank: each block is computed by its owner and broadcast, and every rank applies the same
 * update, so all ranks end with the same model. Data moves block by block (the price of a
 * sequential algorithm); use the estimators' distributed {@code fit(DArray, DArray)} when the
 * model can be fitted from merged sums instead.
 */
public final class Incremental<E extends PartialFit> {
  private final E estimator;
  private final ParallelPostFit<E> post;

  public Incremental(E estimator) {
    this.estimator = estimator;
    this.post = new ParallelPostFit<>(estimator);
  }

  public E estimator() {
    return estimator;
  }

  /** Collective: partialFit on every block in order. */
  public Incremental<E> fit(DArray x, DArray y) {
    RowBlocksStream blocks = new RowBlocksStream(x, y);
    Communicator comm = Session.current().comm();
    for (int b = 0; b < blocks.count; b++) {
      int owner = blocks.ownerOf(b);
      double[] data = owner == comm.rank() ? blocks.block(b) : null;
      long[] len = {data == null ? 0 : data.length};
      comm.broadcast(len, owner);
      if (data == null) {
        data = new double[(int) len[0]];
      }
      comm.broadcast(data, owner);
      int d = blocks.features;
      int rows = data.length / (d + 1);
      double[] xs = new double[rows * d];
      double[] ys = new double[rows];
      for (int i = 0; i < rows; i++) {
        System.arraycopy(data, i * (d + 1), xs, i * d, d);
        ys[i] = data[i * (d + 1) + d];
      }
      estimator.partialFit(NdArray.of(xs, rows, d), NdArray.of(ys, rows));
    }
    post.markFitted();
    return this;
  }

  public DArray predict(DArray x) {
    return post.predict(x);
  }

  public double score(DArray x, DArray y) {
    return post.score(x, y);
  }

  /** The owned [X | y] blocks of a distributed pair, with who owns which. */
  private static final class RowBlocksStream {
    final int count;
    final int features;
    private final double[][] mine;
    private final int[] owner;

    RowBlocksStream(DArray x, DArray y) {
      RowBlocks rb = RowBlocks.distributed(x, y, "Incremental.fit");
      count = rb.nBlocks;
      features = rb.nFeatures;
      mine = new double[count][];
      owner = new int[count];
      int rank = Session.current().comm().rank();
      long[] own = new long[count];
      rb.forEachOwned((b, blk) -> {
        mine[b] = (double[]) blk.data();
        own[b] = rank + 1;
      });
      Session.current().comm().allReduce(own, io.rankwise.comm.ReduceOp.SUM);
      for (int b = 0; b < count; b++) {
        owner[b] = (int) own[b] - 1;
      }
    }

    int ownerOf(int b) {
      return owner[b];
    }

    double[] block(int b) {
      return mine[b];
    }
  }

  @Override
  public String toString() {
    return "Incremental(" + estimator.getClass().getSimpleName() + ")";
  }
}
