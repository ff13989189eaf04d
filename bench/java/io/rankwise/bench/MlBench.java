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
 *   MlBench inmem ROWS ROWS_PER_BLOCK     the same over an in-memory array (Da.fromArray): no generation to subtract
 *   MlBench generated ROWS ROWS_PER_BLOCK predict + score over ROWS x 20 generated block by block as they run
 *                                         (too large to keep: 100,000,000 x 20 is 16 GB), minus a generate-only pass
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
    // fit on a small local sample; then predict + score over data held in memory: an in-memory
    // array (inmem) or the generated array persisted where it was computed (predict)
    MakeData.Local small = MakeData.makeClassification().samples(20_000).features(20).informative(5).redundant(2)
        .randomState(7).local();
    LogisticRegression m = new LogisticRegression(1.0).fit(small.x(), small.y());
    ParallelPostFit<LogisticRegression> post = new ParallelPostFit<>(m).fitted(m);
    if (what.equals("generated")) {
      generated(s, post, data);
      return;
    }
    long g0 = System.nanoTime();
    DArray x;
    DArray y;
    if (what.equals("inmem")) {
      MakeData.Local local = MakeData.makeClassification().samples(rows).features(20).informative(5).redundant(2)
          .randomState(42).local();
      x = io.rankwise.array.Da.fromArray(local.x(), io.rankwise.array.Chunks.of(per, -1));
      y = io.rankwise.array.Da.fromArray(local.y(), io.rankwise.array.Chunks.of(per));
    } else {
      x = data.x().persist();
      y = data.y().persist();
    }
    double gen = (System.nanoTime() - g0) / 1e9;
    post.predict(x).sum().compute(); // warm-up
    long t0 = System.nanoTime();
    double labelSum = post.predict(x).sum().compute().item();
    double predSecs = (System.nanoTime() - t0) / 1e9;
    long t1 = System.nanoTime();
    double score = post.score(x, y);
    double scoreSecs = (System.nanoTime() - t1) / 1e9;
    // local single-thread predict speed on an in-memory block of the same shape
    NdArray block = x.slice(io.rankwise.array.Slice.of(0, per)).compute();
    m.predict(block);
    long l0 = System.nanoTime();
    int reps = 20;
    for (int k = 0; k < reps; k++) {
      m.predict(block);
    }
    double localRowsPerSec = reps * (double) per / ((System.nanoTime() - l0) / 1e9);
    double predictPerRank = rows / predSecs / s.size();
    double scorePerRank = rows / scoreSecs / s.size();
    s.out().printf(Locale.ROOT, "generate_persist_seconds=%.3f%npredict_seconds=%.3f%nscore_seconds=%.3f%n"
        + "local_predict_rows_per_s=%.0f%npredict_per_rank_rows_per_s=%.0f%nscore_per_rank_rows_per_s=%.0f%n"
        + "ratio_local_over_predict=%.2f%nratio_local_over_score=%.2f%nlabels=%.0f%nresult=%.6f%n", gen, predSecs,
        scoreSecs, localRowsPerSec, predictPerRank, scorePerRank, localRowsPerSec / predictPerRank,
        localRowsPerSec / scorePerRank, labelSum, score);
  }

  /**
   * Predict and score over data generated as the blocks run (every pass generates it again), and
   * a pass that only generates it (the block sums), alternating, three times: what predict and
   * score add is each pass's median minus the generate-only median.
   */
  private static void generated(Session s, ParallelPostFit<LogisticRegression> post, MakeData.Pair data) {
    DArray x = data.x();
    DArray y = data.y();
    DArray.compute(x.sum(), y.sum()); // warm-up of the generator
    int reps = 3;
    double[] gen = new double[reps];
    double[] pred = new double[reps];
    double[] sc = new double[reps];
    NdArray[] sums = null;
    double labelSum = 0;
    double score = 0;
    for (int k = 0; k < reps; k++) {
      long g0 = System.nanoTime();
      sums = DArray.compute(x.sum(), y.sum());
      gen[k] = (System.nanoTime() - g0) / 1e9;
      long t0 = System.nanoTime();
      labelSum = post.predict(x).sum().compute().item();
      pred[k] = (System.nanoTime() - t0) / 1e9;
      long t1 = System.nanoTime();
      score = post.score(x, y);
      sc[k] = (System.nanoTime() - t1) / 1e9;
    }
    double g = median(gen);
    double predSecs = median(pred);
    double scoreSecs = median(sc);
    // the generation dominates each pass: what predict and score add to it is the difference of
    // the medians (the generate-only pass also sums the blocks, so a difference near 0 means that
    // predict costs about as much as a block sum); their throughput at 10M rows persisted is the
    // "predict" mode's measure
    s.out().printf(Locale.ROOT, "generate_seconds=%.3f%npredict_seconds=%.3f%nscore_seconds=%.3f%n"
        + "predict_minus_generate_seconds=%.3f%nscore_minus_generate_seconds=%.3f%nlabels=%.0f%nx_sum=%.6f%n"
        + "result=%.6f%n", g, predSecs, scoreSecs, predSecs - g, scoreSecs - g, labelSum, sums[0].item(), score);
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    java.util.Arrays.sort(c);
    return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
  }
}
