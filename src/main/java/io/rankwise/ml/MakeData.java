package io.rankwise.ml;

import io.rankwise.array.Chunks;
import io.rankwise.array.DArray;
import io.rankwise.array.DType;
import io.rankwise.array.Da;
import io.rankwise.array.NdArray;
import io.rankwise.array.Slice;
import java.util.SplittableRandom;

/**
 * Synthetic data with scikit-learn's semantics: {@code makeClassification} (clusters of normal
 * points around vertices of a hypercube, informative, redundant, repeated and useless features,
 * flipped labels, shuffled columns) and {@code makeRegression} (a random linear model on some
 * informative features, plus noise). The shared parameters (centroids, cluster covariances,
 * mixing matrices, column order, true coefficients) come from the seed; each block of rows draws
 * from its own stream of (seed, block), so values do not depend on the rank count. Rows cycle
 * through the clusters (equal sizes, as scikit-learn's), which interleaves them as its shuffle does.
 * Values are not scikit-learn's own numbers (different generators), the structure is.
 */
public final class MakeData {
  private MakeData() {}

  /** X (rows, features) and y (rows), lazy and chunked, or computed (local). */
  public record Pair(DArray x, DArray y) {}

  /** A local data set. */
  public record Local(NdArray x, NdArray y) {}

  /** Parameters of {@link #classification}; defaults as scikit-learn's make_classification. */
  public static final class Classification {
    long nSamples = 100;
    int nFeatures = 20;
    int nInformative = 2;
    int nRedundant = 2;
    int nRepeated = 0;
    int nClasses = 2;
    int nClustersPerClass = 2;
    double flipY = 0.01;
    double classSep = 1.0;
    boolean shuffle = true;
    long randomState = 0;

    public Classification samples(long n) {
      nSamples = n;
      return this;
    }

    public Classification features(int n) {
      nFeatures = n;
      return this;
    }

    public Classification informative(int n) {
      nInformative = n;
      return this;
    }

    public Classification redundant(int n) {
      nRedundant = n;
      return this;
    }

    public Classification repeated(int n) {
      nRepeated = n;
      return this;
    }

    public Classification classes(int n) {
      nClasses = n;
      return this;
    }

    public Classification clustersPerClass(int n) {
      nClustersPerClass = n;
      return this;
    }

    public Classification flipY(double f) {
      flipY = f;
      return this;
    }

    public Classification classSep(double s) {
      classSep = s;
      return this;
    }

    public Classification shuffle(boolean s) {
      shuffle = s;
      return this;
    }

    public Classification randomState(long seed) {
      randomState = seed;
      return this;
    }

    /** Chunked: blocks of {@code rowsPerBlock} rows. */
    public Pair chunked(int rowsPerBlock) {
      return classification(this, rowsPerBlock);
    }

    /** Local (computed) arrays; the same values as {@code chunked(nSamples)} in one block. */
    public Local local() {
      Pair p = chunked((int) Math.min(Integer.MAX_VALUE, Math.max(1, nSamples)));
      NdArray[] r = DArray.compute(p.x(), p.y());
      return new Local(r[0], r[1]);
    }
  }

  public static Classification makeClassification() {
    return new Classification();
  }

  private static Pair classification(Classification c, int rowsPerBlock) {
    int nUseless = c.nFeatures - c.nInformative - c.nRedundant - c.nRepeated;
    if (c.nInformative < 1 || nUseless < 0) {
      throw new MlException("makeClassification: n_informative (" + c.nInformative + ") + n_redundant (" + c.nRedundant
          + ") + n_repeated (" + c.nRepeated + ") must be at most n_features (" + c.nFeatures + "), informative >= 1");
    }
    int nClusters = c.nClasses * c.nClustersPerClass;
    if (c.nClasses < 2 || c.nClustersPerClass < 1 || nClusters > (c.nInformative >= 31 ? Integer.MAX_VALUE
        : 1 << c.nInformative)) {
      throw new MlException("makeClassification: n_classes (" + c.nClasses + ") * n_clusters_per_class ("
          + c.nClustersPerClass + ") must be at most 2**n_informative (" + c.nInformative + "), n_classes >= 2");
    }
    if (c.nSamples < 1 || rowsPerBlock < 1) {
      throw new MlException("makeClassification: n_samples and rows per block must be positive");
    }
    SplittableRandom g = new SplittableRandom(c.randomState * 0x9E3779B97F4A7C15L + 12345);
    int ni = c.nInformative;
    // centroids: distinct hypercube vertices, coordinates ±class_sep
    double[][] centroid = new double[nClusters][ni];
    java.util.Set<Long> used = new java.util.HashSet<>();
    for (int k = 0; k < nClusters; k++) {
      long v;
      do {
        v = ni >= 63 ? g.nextLong() & Long.MAX_VALUE : g.nextLong(1L << ni);
      } while (!used.add(v));
      for (int j = 0; j < ni; j++) {
        centroid[k][j] = ((v >>> (j % 63)) & 1) == 1 ? c.classSep : -c.classSep;
      }
    }
    double[][][] cov = new double[nClusters][ni][ni]; // X_k = Z A_k + centroid
    for (int k = 0; k < nClusters; k++) {
      for (int a = 0; a < ni; a++) {
        for (int b = 0; b < ni; b++) {
          cov[k][a][b] = 2 * g.nextDouble() - 1;
        }
      }
    }
    double[][] mix = new double[ni][c.nRedundant];
    for (int a = 0; a < ni; a++) {
      for (int b = 0; b < c.nRedundant; b++) {
        mix[a][b] = 2 * g.nextDouble() - 1;
      }
    }
    int[] repeatOf = new int[c.nRepeated];
    for (int r = 0; r < c.nRepeated; r++) {
      repeatOf[r] = g.nextInt(ni + c.nRedundant);
    }
    int nf = c.nFeatures;
    int[] perm = new int[nf];
    for (int j = 0; j < nf; j++) {
      perm[j] = j;
    }
    if (c.shuffle) {
      for (int j = nf - 1; j > 0; j--) {
        int k = g.nextInt(j + 1);
        int t = perm[j];
        perm[j] = perm[k];
        perm[k] = t;
      }
    }
    long seed = c.randomState;
    int nClasses = c.nClasses;
    double flip = c.flipY;
    int nRed = c.nRedundant;
    DArray both = Da.fromBlocks("make_classification", DType.FLOAT64, new long[] {c.nSamples, nf + 1},
        Chunks.of(rowsPerBlock, -1), (grid, idx) -> {
          int rows = grid.blockShape(idx)[0];
          long first = grid.blockOffset(idx)[0];
          SplittableRandom r = new SplittableRandom(seed * 0xBF58476D1CE4E5B9L + idx[0] * 0x94D049BB133111EBL + 1);
          double[] out = new double[rows * (nf + 1)];
          double[] f = new double[nf];
          double[] z = new double[ni];
          for (int i = 0; i < rows; i++) {
            int k = (int) ((first + i) % nClusters);
            for (int a = 0; a < ni; a++) {
              z[a] = r.nextGaussian();
            }
            for (int b = 0; b < ni; b++) {
              double v = centroid[k][b];
              for (int a = 0; a < ni; a++) {
                v += z[a] * cov[k][a][b];
              }
              f[b] = v;
            }
            for (int b = 0; b < nRed; b++) {
              double v = 0;
              for (int a = 0; a < ni; a++) {
                v += f[a] * mix[a][b];
              }
              f[ni + b] = v;
            }
            for (int q = 0; q < repeatOf.length; q++) {
              f[ni + nRed + q] = f[repeatOf[q]];
            }
            for (int u = ni + nRed + repeatOf.length; u < nf; u++) {
              f[u] = r.nextGaussian();
            }
            double label = k % nClasses;
            if (flip > 0 && r.nextDouble() < flip) {
              label = r.nextInt(nClasses);
            }
            int o = i * (nf + 1);
            for (int j = 0; j < nf; j++) {
              out[o + j] = f[perm[j]];
            }
            out[o + nf] = label;
          }
          return NdArray.of(out, rows, nf + 1);
        });
    DArray x = both.slice(Slice.all(), Slice.of(0, nf));
    DArray y = both.slice(Slice.all(), Slice.index(nf)).astype(DType.INT64);
    return new Pair(x, y);
  }

  /** make_regression: X normal, y = X·coef + bias + noise·N(0,1), coef 100·U(0,1) on nInformative random features. */
  public static Pair makeRegression(long nSamples, int nFeatures, int nInformative, double noise, double bias,
      long randomState, int rowsPerBlock) {
    if (nInformative < 0 || nInformative > nFeatures || nSamples < 1 || rowsPerBlock < 1) {
      throw new MlException("makeRegression: need 0 <= n_informative (" + nInformative + ") <= n_features ("
          + nFeatures + ") and positive sizes");
    }
    double[] coef = regressionCoef(nFeatures, nInformative, randomState);
    DArray both = Da.fromBlocks("make_regression", DType.FLOAT64, new long[] {nSamples, nFeatures + 1},
        Chunks.of(rowsPerBlock, -1), (grid, idx) -> {
          int rows = grid.blockShape(idx)[0];
          SplittableRandom r = new SplittableRandom(randomState * 0xBF58476D1CE4E5B9L + idx[0] * 0x94D049BB133111EBL + 7);
          double[] out = new double[rows * (nFeatures + 1)];
          for (int i = 0; i < rows; i++) {
            int o = i * (nFeatures + 1);
            double yv = bias;
            for (int j = 0; j < nFeatures; j++) {
              double v = r.nextGaussian();
              out[o + j] = v;
              yv += v * coef[j];
            }
            out[o + nFeatures] = yv + (noise > 0 ? noise * r.nextGaussian() : 0);
          }
          return NdArray.of(out, rows, nFeatures + 1);
        });
    return new Pair(both.slice(Slice.all(), Slice.of(0, nFeatures)), both.slice(Slice.all(), Slice.index(nFeatures)));
  }

  /** The true coefficients of {@link #makeRegression} for these parameters. */
  public static double[] regressionCoef(int nFeatures, int nInformative, long randomState) {
    SplittableRandom g = new SplittableRandom(randomState * 0x9E3779B97F4A7C15L + 54321);
    int[] order = new int[nFeatures];
    for (int j = 0; j < nFeatures; j++) {
      order[j] = j;
    }
    for (int j = nFeatures - 1; j > 0; j--) {
      int k = g.nextInt(j + 1);
      int t = order[j];
      order[j] = order[k];
      order[k] = t;
    }
    double[] coef = new double[nFeatures];
    for (int q = 0; q < nInformative; q++) {
      coef[order[q]] = 100 * g.nextDouble();
    }
    return coef;
  }
}
