package io.rankwise.examples;

import io.rankwise.array.Chunks;
import io.rankwise.array.DArray;
import io.rankwise.array.Da;
import io.rankwise.ml.LogisticRegression;
import io.rankwise.ml.LogisticRegressionCV;
import io.rankwise.ml.MakeData;
import io.rankwise.ml.ParallelPostFit;
import io.rankwise.runtime.Driver;
import io.rankwise.runtime.Session;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The tutorial's machine-learning part, then further: (1) dask-ml's ParallelPostFit — fit
 * LogisticRegressionCV on 1000 local samples of 2 features, then predict and score
 * {@code X_large}, 100 concatenated copies, block by block on the ranks; (2) distributed training
 * — logistic regression fitted on a chunked rows x 20 array spread over the ranks, one allReduce
 * of gradient and Hessian per Newton step.
 *
 * <pre>  bin/rankwise run -n 2 ParallelPostFitTour [rows=10000000] [rowsPerBlock=250000]</pre>
 */
public final class ParallelPostFitTour implements Driver {
  @Override
  public void run(Session s, String[] args) {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
    int perBlock = args.length > 1 ? Integer.parseInt(args[1]) : 250_000;

    // 1. the tutorial: X, y = make_classification(n_samples=1000, random_state=0); clf.fit(X, y)
    MakeData.Local small = MakeData.makeClassification().samples(1000).features(2).informative(2).redundant(0)
        .randomState(0).local();
    ParallelPostFit<LogisticRegressionCV> clf = new ParallelPostFit<>(new LogisticRegressionCV()).fit(small.x(),
        small.y());
    s.out().printf(Locale.ROOT, "LogisticRegressionCV on 1000 x 2: C=%.6g coef=%s intercept=%.6f%n",
        clf.estimator().c(), Arrays.toString(clf.estimator().coef()), clf.estimator().intercept());
    List<DArray> xs = new ArrayList<>();
    List<DArray> ys = new ArrayList<>();
    for (int k = 0; k < 100; k++) {
      xs.add(Da.fromArray(small.x(), Chunks.of(1000, 2)));
      ys.add(Da.fromArray(small.y(), Chunks.of(1000)));
    }
    DArray xLarge = Da.concatenate(xs, 0);
    DArray yLarge = Da.concatenate(ys, 0);
    s.out().println("X_large: " + Arrays.toString(xLarge.shape()) + " in " + xLarge.grid().blockCount() + " blocks");
    long[] first = (long[]) clf.predict(xLarge).slice(io.rankwise.array.Slice.of(0, 10)).compute().data();
    s.out().println("predict(X_large)[:10] = " + Arrays.toString(first));
    s.out().printf(Locale.ROOT, "score(X_large, y_large) = %.6f (local score on the 1000: %.6f)%n",
        clf.score(xLarge, yLarge), clf.estimator().score(small.x(), small.y()));

    // 2. beyond dask-ml: train on data that is itself spread over the ranks
    MakeData.Pair big = MakeData.makeClassification().samples(rows).features(20).informative(5).redundant(2)
        .randomState(42).chunked(perBlock);
    long t0 = System.nanoTime();
    LogisticRegression model = new LogisticRegression(1.0).fit(big.x(), big.y());
    double secs = (System.nanoTime() - t0) / 1e9;
    s.out().printf(Locale.ROOT, "distributed LogisticRegression on %d x 20 (%d blocks, %d ranks): %d Newton steps, "
        + "%.2f s%n", rows, big.x().grid().blockCount(), s.size(), model.nIter(), secs);
    s.out().printf(Locale.ROOT, "coef[:5] = %s intercept = %.6f%n",
        Arrays.toString(Arrays.copyOf(model.coef(), 5)), model.intercept());
    s.out().printf(Locale.ROOT, "training accuracy = %.6f%n", new ParallelPostFit<>(model).fitted(model)
        .score(big.x(), big.y()));
  }
}
