package io.rankwise.bench;

import io.rankwise.array.DArray;
import io.rankwise.array.NdArray;
import io.rankwise.ml.LogisticRegression;
import io.rankwise.ml.MakeData;
import io.rankwise.ml.ParallelPostFit;
import io.rankwise.runtime.Driver;
import io.rankwise.runtime.Session;
import java.util.Locale;

/**
 * ML timings for bench/ml-scaling.sh.
 *
 * <pre>
 *   MlBench train ROWS ROWS_PER_BLOCK     distributed logistic regression on ROWS x 20 (data generated per block)
 *   MlBench predict ROWS ROWS_PER_BLOCK   ParallelPostFit predict + score over ROWS x 20, vs local predict speed
 * </pre>
 * Prints {@code key=value} lines; times exclude JVM start.
 */
public final class MlBench implements Driver {
  @Override
  public void run(Session s, String[] args) {
    String what = args[0];
    long rows = Long.parseLong(args[1]);
    int per = Integer.parseInt(args[2]);
    MakeData.Pair data = MakeData.makeClassification().samples(rows).features(20).informative(5).redundant(2)
        .randomState(42).chunked(per);
    if (what.equals("train")) {
      long t0 = System.nanoTime();
      LogisticRegression m = new LogisticRegression(1.0).fit(data.x(), data.y());
      double secs = (System.nanoTime() - t0) / 1e9;
      s.out().printf(Locale.ROOT, "train_seconds=%.3f%nsteps=%d%nresult=%.10f%n", secs, m.nIter(), m.coef()[4]);
      return;
    }
    // fit on a small local sample, then predict + score the whole chunked array
    MakeData.Local small = MakeData.makeClassification().samples(20_000).features(20).informative(5).redundant(2)
        .randomState(7).local();
    LogisticRegression m = new LogisticRegression(1.0).fit(small.x(), small.y());
    ParallelPostFit<LogisticRegression> post = new ParallelPostFit<>(m).fitted(m);
    long t0 = System.nanoTime();
    DArray pred = post.predict(data.x());
    double labelSum = pred.sum().compute().item();
    double score = post.score(data.x(), data.y());
    double secs = (System.nanoTime() - t0) / 1e9;
    // the same work's generation alone, to subtract: the data are generated per block in both passes
    long g0 = System.nanoTime();
    data.x().sum().compute();
    data.y().sum().compute();
    double gen = (System.nanoTime() - g0) / 1e9;
    // local single-thread predict speed on an in-memory block of the same shape
    NdArray block = data.x().slice(io.rankwise.array.Slice.of(0, per)).compute();
    m.predict(block);
    long l0 = System.nanoTime();
    int reps = 5;
    for (int k = 0; k < reps; k++) {
      m.predict(block);
    }
    double localRowsPerSec = reps * (double) per / ((System.nanoTime() - l0) / 1e9);
    double rankRowsPerSec = 2.0 * rows / Math.max(1e-9, secs - gen) / s.size(); // predict + score: 2 passes
    s.out().printf(Locale.ROOT, "predict_score_seconds=%.3f%ngeneration_seconds=%.3f%nlocal_predict_rows_per_s=%.0f%n"
        + "per_rank_rows_per_s=%.0f%nratio_local_over_rank=%.2f%nlabels=%.0f%nresult=%.6f%n", secs, gen,
        localRowsPerSec, rankRowsPerSec, localRowsPerSec / rankRowsPerSec, labelSum, score);
  }
}
