package io.rankwise.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.array.Chunks;
import io.rankwise.array.DArray;
import io.rankwise.array.Da;
import io.rankwise.array.NdArray;
import io.rankwise.runtime.Session;
import io.rankwise.testing.OneRank;
import io.rankwise.testing.SpmdRanks;
import io.rankwise.testing.SpmdTest;
import io.rankwise.testing.SpmdTestCase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Models on chunked arrays under real ranks: distributed training gives bit for bit the
 * coefficients of an in-memory fit over the same blocks (so the same for every rank count),
 * ParallelPostFit predicts and scores as the estimator does on local data, Incremental equals a
 * full fit.
 */
@SpmdRanks(mpi = {1, 2, 4}, local = {1, 3})
class MlSpmdTest extends SpmdTestCase {

  /** The blocks of [X | y] of a chunked pair, computed on every rank, in block order. */
  static List<NdArray> blocks(DArray x, DArray y) {
    NdArray xs = x.compute();
    NdArray ys = y.compute();
    int d = xs.shape()[1];
    List<NdArray> out = new ArrayList<>();
    int row = 0;
    for (int rows : x.grid().chunks(0)) {
      double[] b = new double[rows * (d + 1)];
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < d; j++) {
          b[i * (d + 1) + j] = xs.getDouble((row + i) * d + j);
        }
        b[i * (d + 1) + d] = ys.getDouble(row + i);
      }
      out.add(NdArray.of(b, rows, d + 1));
      row += rows;
    }
    return out;
  }

  @SpmdTest
  void distributedLogisticRegressionIsTheSameForEveryRankCount(Session s) {
    MakeData.Pair p = MakeData.makeClassification().samples(9000).features(6).informative(3).redundant(1)
        .randomState(11).chunked(700); // 13 blocks: more blocks than ranks, uneven last block
    LogisticRegression dist = new LogisticRegression(0.5).fit(p.x(), p.y());
    LogisticRegression ref = new LogisticRegression(0.5).fit(RowBlocks.ofBlocks(blocks(p.x(), p.y())));
    assertArrayEquals(ref.coef(), dist.coef(), "bit for bit, whatever the number of ranks");
    assertEquals(ref.intercept(), dist.intercept());
    // and the same model as a fit on the data in one piece, to rounding
    LogisticRegression whole = new LogisticRegression(0.5).fit(p.x().compute(), p.y().compute());
    for (int j = 0; j < 6; j++) {
      assertEquals(whole.coef()[j], dist.coef()[j], 1e-9 * Math.max(1, Math.abs(whole.coef()[j])));
    }
    assertTrue(dist.nIter() >= 3 && dist.nIter() < 30, "Newton converges in a few steps: " + dist.nIter());
    assertTrue(dist.score(p.x().compute(), p.y().compute()) > 0.7, "the model learned something");
    // fewer blocks than ranks (3 blocks; 4 ranks leave one with none): the same bits again
    MakeData.Pair few = MakeData.makeClassification().samples(9000).features(6).informative(3).redundant(1)
        .randomState(11).chunked(3500);
    LogisticRegression sparse = new LogisticRegression(0.5).fit(few.x(), few.y());
    LogisticRegression sparseRef = new LogisticRegression(0.5).fit(RowBlocks.ofBlocks(blocks(few.x(), few.y())));
    assertArrayEquals(sparseRef.coef(), sparse.coef());
    assertEquals(new ParallelPostFit<>(sparse).fitted(sparse).score(few.x(), few.y()),
        sparse.score(few.x().compute(), few.y().compute()), 1e-15);
  }

  @SpmdTest
  void distributedMultinomialIsTheSameForEveryRankCount(Session s) {
    MakeData.Pair p = MakeData.makeClassification().samples(3000).features(4).informative(3).redundant(0)
        .classes(3).clustersPerClass(1).randomState(8).chunked(400);
    LogisticRegression dist = new LogisticRegression(2.0).fit(p.x(), p.y());
    LogisticRegression ref = new LogisticRegression(2.0).fit(RowBlocks.ofBlocks(blocks(p.x(), p.y())));
    assertArrayEquals(new long[] {0, 1, 2}, dist.classes());
    for (int c = 0; c < 3; c++) {
      assertArrayEquals(ref.coefMatrix()[c], dist.coefMatrix()[c], "class " + c + ": bit for bit");
    }
    assertArrayEquals(ref.intercepts(), dist.intercepts());
    assertEquals(0, Arrays.stream(dist.intercepts()).sum(), 1e-12, "intercepts sum to 0, as scikit-learn's");
    ParallelPostFit<LogisticRegression> post = new ParallelPostFit<>(dist).fitted(dist);
    NdArray proba = post.predictProba(p.x()).compute();
    assertArrayEquals(new int[] {3000, 3}, proba.shape());
    assertTrue(post.score(p.x(), p.y()) > 0.6, "learned something: " + post.score(p.x(), p.y()));
  }

  /** Many blocks x many features merge per rank instead of per block: the same sums to rounding. */
  @SpmdTest
  void perRankMergeAgreesWithPerBlockMerge(Session s) {
    MakeData.Pair p = MakeData.makeRegression(3000, 5, 5, 1.0, 0, 3, 250);
    RowBlocks data = RowBlocks.distributed(p.x(), p.y(), "test");
    RowBlocks.BlockSum fn = (b, out, off) -> {
      double[] a = (double[]) b.data();
      for (int i = 0; i < a.length; i++) {
        out[off + i % 6] += a[i] * a[i];
      }
    };
    double[] perBlock = data.sums(6, fn, true);
    double[] perRank = data.sums(6, fn, false);
    for (int j = 0; j < 6; j++) {
      assertEquals(perBlock[j], perRank[j], 1e-12 * Math.abs(perBlock[j]));
    }
  }

  @SpmdTest
  void distributedLinearRegressionAndIncrementalMatchALocalFit(Session s) {
    MakeData.Pair p = MakeData.makeRegression(5000, 4, 3, 2.0, 1.5, 21, 600);
    LinearRegression dist = new LinearRegression().fit(p.x(), p.y());
    LinearRegression whole = new LinearRegression().fit(p.x().compute(), p.y().compute());
    LinearRegression inc = new Incremental<>(new LinearRegression()).fit(p.x(), p.y()).estimator();
    double[] truth = MakeData.regressionCoef(4, 3, 21);
    for (int j = 0; j < 4; j++) {
      assertEquals(whole.coef()[j], dist.coef()[j], 1e-9 * Math.max(1, Math.abs(whole.coef()[j])));
      assertEquals(whole.coef()[j], inc.coef()[j], 1e-9 * Math.max(1, Math.abs(whole.coef()[j])));
      assertEquals(truth[j], dist.coef()[j], 0.2, "the true coefficient within the noise");
    }
    assertEquals(whole.intercept(), dist.intercept(), 1e-9);
    assertEquals(1.5, dist.intercept(), 0.2);
    ParallelPostFit<LinearRegression> post = new ParallelPostFit<>(whole).fit(p.x().compute(), p.y().compute());
    assertEquals(whole.score(p.x().compute(), p.y().compute()), post.score(p.x(), p.y()), 1e-12, "R² from merged partials");
  }

  /** The tutorial's ParallelPostFit: fit on 1000 local rows, predict and score 100 copies. */
  @SpmdTest
  void parallelPostFitPredictsAndScoresLikeTheEstimator(Session s) {
    MakeData.Local small = MakeData.makeClassification().samples(1000).features(2).informative(2).redundant(0)
        .randomState(0).local();
    ParallelPostFit<LogisticRegressionCV> clf = new ParallelPostFit<>(new LogisticRegressionCV()).fit(small.x(), small.y());
    List<DArray> xs = new ArrayList<>();
    List<DArray> ys = new ArrayList<>();
    for (int k = 0; k < 100; k++) {
      xs.add(Da.fromArray(small.x(), Chunks.of(1000, 2)));
      ys.add(Da.fromArray(small.y(), Chunks.of(1000)));
    }
    DArray xLarge = Da.concatenate(xs, 0);
    DArray yLarge = Da.concatenate(ys, 0);
    DArray pred = clf.predict(xLarge);
    assertArrayEquals(new long[] {100_000}, pred.shape());
    NdArray got = pred.slice(io.rankwise.array.Slice.of(0, 5000)).compute();
    NdArray want = clf.estimator().predict(small.x());
    for (int i = 0; i < 5000; i++) {
      assertEquals(want.getLong(i % 1000), got.getLong(i), "row " + i);
    }
    NdArray proba = clf.predictProba(xLarge).slice(io.rankwise.array.Slice.of(99_000, 100_000)).compute();
    assertArrayEquals(clf.estimator().predictProba(small.x()).toDoubles(), proba.toDoubles());
    double local = clf.estimator().score(small.x(), small.y());
    assertEquals(local, clf.score(xLarge, yLarge), 1e-15, "accuracy from per-block counts");
  }

  /** Dataframe inputs: partitions become row blocks where they are (lengths computed first). */
  @SpmdTest
  void parallelPostFitTakesDataframes(Session s) {
    MakeData.Local small = MakeData.makeClassification().samples(700).features(2).informative(2).redundant(0)
        .randomState(4).local();
    double[] x = small.x().toDoubles();
    long[] y = (long[]) small.y().data();
    int[] sizes = {100, 0, 250, 1, 149, 100, 100}; // an empty partition and a one-row one
    List<io.rankwise.frame.Frames.PartitionSource> parts = new ArrayList<>();
    int start = 0;
    for (int size : sizes) {
      int from = start;
      parts.add(() -> {
        double[] f0 = new double[size];
        double[] f1 = new double[size];
        long[] lab = new long[size];
        String[] name = new String[size];
        for (int i = 0; i < size; i++) {
          f0[i] = x[2 * (from + i)];
          f1[i] = x[2 * (from + i) + 1];
          lab[i] = y[from + i];
          name[i] = "r" + (from + i);
        }
        return new io.rankwise.frame.Table(null, null, new String[] {"f0", "f1", "label", "name"},
            new io.rankwise.frame.Column[] {io.rankwise.frame.Column.of(f0), io.rankwise.frame.Column.of(f1),
                io.rankwise.frame.Column.of(lab), io.rankwise.frame.Column.strings(name)});
      });
      start += size;
    }
    io.rankwise.frame.DFrame df = io.rankwise.frame.Frames.fromPartitions("ml-frame", new String[] {"f0", "f1", "label",
        "name"}, new io.rankwise.frame.ColumnType[] {io.rankwise.frame.ColumnType.FLOAT64,
            io.rankwise.frame.ColumnType.FLOAT64, io.rankwise.frame.ColumnType.INT64,
            io.rankwise.frame.ColumnType.STRING}, parts);
    DArray values = df.toArray("f0", "f1");
    assertArrayEquals(sizes, values.grid().chunks(0));
    assertArrayEquals(x, values.compute().toDoubles());
    assertArrayEquals(y, (long[]) df.columnArray("label").compute().data());
    ParallelPostFit<LogisticRegression> clf = new ParallelPostFit<>(new LogisticRegression()).fit(small.x(), small.y());
    assertArrayEquals((long[]) clf.estimator().predict(small.x()).data(),
        (long[]) clf.predict(df.select("f0", "f1")).compute().data());
    assertEquals(clf.estimator().score(small.x(), small.y()), clf.score(df.select("f0", "f1"), df.select("label")),
        1e-15);
    OneRank.assertFails(() -> df.toArray("f0", "name"), "column 'name' is object", "numeric");
    OneRank.assertFails(() -> clf.score(df.select("f0", "f1"), df.select("label", "f0")), "y must have exactly one column");
  }

  @SpmdTest
  void badInputSaysWhatIsWrong(Session s) {
    MakeData.Pair p = MakeData.makeClassification().samples(100).features(3).informative(2).redundant(0)
        .chunked(30);
    OneRank.assertFails(() -> new ParallelPostFit<>(new LogisticRegression()).predict(p.x()),
        "the estimator is not fitted yet");
    OneRank.assertFails(() -> new LogisticRegression().predict(p.x().compute()), "LogisticRegression is not fitted");
    LogisticRegression m = new LogisticRegression().fit(p.x().compute(), p.y().compute());
    OneRank.assertFails(() -> new ParallelPostFit<>(m).fit(p.x().compute(), p.y().compute())
        .predict(Da.ones(new long[] {10, 4}, Chunks.of(5, 4))), "X has 4 features, but LogisticRegression was fitted with 3");
    OneRank.assertFails(() -> new LogisticRegression().fit(p.x(), p.y().rechunk(Chunks.of(25))),
        "X and y must have the same row chunks");
    OneRank.assertFails(() -> new LogisticRegression().fit(p.x(), Da.arange(99, Chunks.of(30))),
        "y must be 1-d with one value per row of X (100)");
    OneRank.assertFails(() -> new LogisticRegression().fit(p.x(), Da.arange(100, Chunks.of(30)).mul(0.5)),
        "class labels in y must be integers");
    OneRank.assertFails(() -> new LogisticRegression().fit(p.x(), Da.zeros(new long[] {100}, Chunks.of(30))),
        "needs at least two classes in y, found [0]");
    OneRank.assertFails(() -> MakeData.makeClassification().features(3).informative(2).redundant(2).chunked(10),
        "must be at most n_features (3)");
    assertTrue(Arrays.equals(new long[] {0, 1}, m.classes()));
  }
}
