package io.rankwise.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rankwise.runtime.Session;
import io.rankwise.testing.OneRank;
import io.rankwise.testing.SpmdRanks;
import io.rankwise.testing.SpmdTest;
import io.rankwise.testing.SpmdTestCase;
import java.util.Arrays;
import java.util.Random;

/**
 * Chunked arrays on real ranks against plain single-array references: random shapes, random
 * chunkings, rank counts 1-4 (and more ranks than blocks). Reductions must also match a one-rank
 * run bit for bit.
 */
@SpmdRanks(mpi = {1, 2, 3, 4}, local = {1, 2, 3, 4, 5})
class ArraySpmdTest extends SpmdTestCase {

  /** Random explicit chunks of an axis of length n. */
  static int[] randomChunks(Random r, int n) {
    int[] out = new int[n];
    int k = 0;
    int left = n;
    while (left > 0) {
      int c = 1 + r.nextInt(Math.min(left, 1 + r.nextInt(6)));
      out[k++] = c;
      left -= c;
    }
    return Arrays.copyOf(out, k);
  }

  static NdArray randomLocal(Random r, int[] shape) {
    double[] d = new double[NdArray.sizeOf(shape)];
    for (int i = 0; i < d.length; i++) {
      d[i] = Math.round((r.nextDouble() * 20 - 10) * 8) / 8.0; // exact in binary: sums are exact
    }
    return NdArray.of(d, shape);
  }

  /** The keepdims output position of flat input element i. */
  static int outIndex(int i, int[] s, int[] os, boolean[] reduced, int[] idx) {
    int rem = i;
    for (int a = s.length - 1; a >= 0; a--) {
      idx[a] = rem % s[a];
      rem /= s[a];
    }
    int o = 0;
    for (int a = 0; a < s.length; a++) {
      o = o * os[a] + (reduced[a] ? 0 : idx[a]);
    }
    return o;
  }

  /** Naive reference reduction over axes (keepdims), by full index iteration. */
  static NdArray naiveReduce(NdArray x, boolean[] reduced, String op) {
    int[] s = x.shape();
    int[] os = s.clone();
    for (int a = 0; a < s.length; a++) {
      if (reduced[a]) {
        os[a] = 1;
      }
    }
    int on = NdArray.sizeOf(os);
    double[] sum = new double[on];
    double[] sq = new double[on];
    double[] cnt = new double[on];
    double[] mn = new double[on];
    double[] mx = new double[on];
    Arrays.fill(mn, Double.POSITIVE_INFINITY);
    Arrays.fill(mx, Double.NEGATIVE_INFINITY);
    int[] idx = new int[s.length];
    for (int i = 0; i < x.size(); i++) {
      int o = outIndex(i, s, os, reduced, idx);
      double v = x.getDouble(i);
      sum[o] += v;
      cnt[o]++;
      mn[o] = Math.min(mn[o], v);
      mx[o] = Math.max(mx[o], v);
    }
    for (int i = 0; i < x.size(); i++) {
      int o = outIndex(i, s, os, reduced, idx);
      double d = x.getDouble(i) - sum[o] / cnt[o];
      sq[o] += d * d;
    }
    double[] out = new double[on];
    for (int o = 0; o < on; o++) {
      out[o] = switch (op) {
        case "sum" -> sum[o];
        case "mean" -> sum[o] / cnt[o];
        case "std" -> Math.sqrt(sq[o] / cnt[o]);
        case "var" -> sq[o] / cnt[o];
        case "min" -> mn[o];
        case "max" -> mx[o];
        default -> throw new IllegalArgumentException(op);
      };
    }
    return NdArray.of(out, os);
  }

  static void assertClose(NdArray expected, NdArray got, String what) {
    if (!got.allClose(expected, 1e-12, 1e-12)) {
      fail(what + ": expected " + expected + " but got " + got);
    }
  }

  @SpmdTest
  void randomShapesChunksAndOperationsMatchNaiveReferences(Session s) {
    for (long seed = 1; seed <= 25; seed++) {
      Random r = new Random(seed);
      int nd = 1 + r.nextInt(3);
      int[] shape = new int[nd];
      int[][] chunks = new int[nd][];
      for (int a = 0; a < nd; a++) {
        shape[a] = 1 + r.nextInt(11);
        chunks[a] = randomChunks(r, shape[a]);
      }
      NdArray local = randomLocal(r, shape);
      DArray x = Da.fromArray(local, Chunks.explicit(chunks));
      String ctx = "seed " + seed + " shape " + Arrays.toString(shape) + " chunks " + Arrays.deepToString(chunks);

      assertClose(local, x.compute(), ctx + " round trip");
      NdArray twice = x.add(x).mul(0.5).sub(1).compute();
      for (int i = 0; i < local.size(); i++) {
        assertEquals(local.getDouble(i) - 1, twice.getDouble(i), 0, ctx + " elementwise");
      }
      // a reduction over a random subset of axes, with and without keepdims
      boolean[] reduced = new boolean[nd];
      int count = 0;
      for (int a = 0; a < nd; a++) {
        reduced[a] = r.nextBoolean();
        count += reduced[a] ? 1 : 0;
      }
      int[] axes = new int[count];
      for (int a = 0, k = 0; a < nd; a++) {
        if (reduced[a]) {
          axes[k++] = a;
        }
      }
      if (count == 0) {
        Arrays.fill(reduced, true);
      }
      for (String op : new String[] {"sum", "mean", "std", "var", "min", "max"}) {
        NdArray expected = naiveReduce(local, reduced, op);
        NdArray kept = x.reduce(op, axes, true, 0).compute();
        assertClose(expected, kept, ctx + " " + op + Arrays.toString(axes) + " keepdims");
        NdArray dropped = x.reduce(op, axes, false, 0).compute();
        assertEquals(kept.size(), dropped.size(), ctx);
        assertEquals(nd - (count == 0 ? nd : count), dropped.ndim(), ctx + " dims after " + op);
      }
      // transpose round trip and comparisons
      NdArray t = x.T().T().compute();
      assertClose(local, t, ctx + " T.T");
      NdArray pos = Da.where(x.gt(0), x, x.neg()).compute();
      for (int i = 0; i < local.size(); i++) {
        assertEquals(Math.abs(local.getDouble(i)), pos.getDouble(i), 0, ctx + " where/abs");
      }
    }
  }

  @SpmdTest
  void broadcastingAlongMissingAndUnitAxes(Session s) {
    NdArray m = NdArray.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    NdArray row = NdArray.of(new double[] {10, 20, 30}, 3);
    NdArray col = NdArray.of(new double[] {100, 200}, 2, 1);
    DArray x = Da.fromArray(m, Chunks.of(1, 2));
    DArray r = Da.fromArray(row, Chunks.of(2));
    DArray c = Da.fromArray(col, Chunks.of(1, 1));
    assertArrayEquals(new double[] {11, 22, 33, 14, 25, 36}, x.add(r).compute().toDoubles());
    assertArrayEquals(new double[] {101, 102, 103, 204, 205, 206}, x.add(c).compute().toDoubles());
    NdArray outer = c.add(r).compute();
    assertArrayEquals(new int[] {2, 3}, outer.shape());
    assertArrayEquals(new double[] {110, 120, 130, 210, 220, 230}, outer.toDoubles());
  }

  @SpmdTest
  void reductionsAreBitwiseIdenticalToAOneRankRun(Session s) {
    long[] shape = {97, 53};
    Chunks chunks = Chunks.of(10, 7);
    for (int[] axes : new int[][] {{}, {0}, {1}}) {
      for (String op : new String[] {"sum", "mean", "std"}) {
        NdArray here = Da.random(3).normal(0, 1e6, shape, chunks).reduce(op, axes, false, 0).compute();
        NdArray ref = OneRank.run(() -> Da.random(3).normal(0, 1e6, shape, chunks).reduce(op, axes, false, 0).compute());
        for (int i = 0; i < ref.size(); i++) {
          assertEquals(Double.doubleToRawLongBits(ref.getDouble(i)), Double.doubleToRawLongBits(here.getDouble(i)),
              op + Arrays.toString(axes) + " element " + i);
        }
      }
    }
  }

  @SpmdTest
  void randomValuesDoNotDependOnTheRankCount(Session s) {
    long[] shape = {30, 40};
    Chunks c = Chunks.of(7, 9);
    NdArray here = Da.random(7).random(shape, c).compute();
    NdArray ref = OneRank.run(() -> Da.random(7).random(shape, c).compute());
    assertArrayEquals(ref.toDoubles(), here.toDoubles());
    NdArray ints = Da.random(7).integers(-3, 4, shape, c).compute();
    for (int i = 0; i < ints.size(); i++) {
      assertTrue(ints.getLong(i) >= -3 && ints.getLong(i) < 4, "integer in range");
    }
    for (double v : here.toDoubles()) {
      assertTrue(v >= 0 && v < 1, "uniform in [0, 1)");
    }
  }

  @SpmdTest
  void statisticsOfTheGeneratorsAreRight(Session s) {
    long n = 200_000;
    double mean = Da.random(11).normal(2, 3, new long[] {n}, Chunks.of(30_000)).mean().compute().item();
    double std = Da.random(11).normal(2, 3, new long[] {n}, Chunks.of(30_000)).std().compute().item();
    double umean = Da.random(12).random(new long[] {n}, Chunks.of(30_000)).mean().compute().item();
    // five standard errors
    assertEquals(2, mean, 5 * 3 / Math.sqrt(n));
    assertEquals(3, std, 5 * 3 / Math.sqrt(2 * n));
    assertEquals(0.5, umean, 5 * Math.sqrt(1 / 12.0) / Math.sqrt(n));
  }

  @SpmdTest
  void creationFunctions(Session s) {
    assertArrayEquals(new long[] {3, 5, 7, 9}, (long[]) Da.arange(3, 11, 2, Chunks.of(3)).compute().data());
    assertArrayEquals(new long[] {}, (long[]) Da.arange(5, 5, 1, Chunks.of(3)).compute().data());
    assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, Da.linspace(0, 1, 5, Chunks.of(2)).compute().toDoubles());
    NdArray eye = Da.eye(5, Chunks.of(2)).compute();
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < 5; j++) {
        assertEquals(i == j ? 1 : 0, eye.get(i, j));
      }
    }
    assertEquals(24.0, Da.ones(new long[] {2, 3, 4}, Chunks.of(2)).sum().compute().item());
    assertEquals(6.0 * 7, Da.full(new long[] {6}, Chunks.of(4), 7).sum().compute().item());
    assertEquals(0.0, Da.zeros(new long[] {3, 3}, Chunks.auto()).max().compute().item());
    // int64 stays int64; bool sums count
    NdArray isum = Da.arange(10, Chunks.of(3)).sum().compute();
    assertEquals(DType.INT64, isum.dtype());
    assertEquals(45, isum.getLong(0));
    assertEquals(5, Da.arange(10, Chunks.of(3)).lt(5).sum().compute().getLong(0));
    assertTrue(Da.arange(10, Chunks.of(3)).gt(8).any().compute().getBool(0));
    assertTrue(!Da.arange(10, Chunks.of(3)).gt(0).all().compute().getBool(0));
  }

  @SpmdTest
  void moreRanksThanBlocks(Session s) {
    DArray x = Da.fromArray(NdArray.of(new double[] {1, 2, 3}, 3), Chunks.of(-1));
    assertEquals(1, x.grid().blockCount());
    assertEquals(2.0, x.mean().compute().item());
    assertArrayEquals(new double[] {2, 4, 6}, x.mul(2).compute().toDoubles());
  }

  @SpmdTest
  void slicingRechunkingAndJoiningMatchReferences(Session s) {
    for (long seed = 1; seed <= 15; seed++) {
      Random r = new Random(seed * 7919);
      int rows = 1 + r.nextInt(12);
      int cols = 1 + r.nextInt(12);
      NdArray m = randomLocal(r, new int[] {rows, cols});
      DArray x = Da.fromArray(m, Chunks.explicit(randomChunks(r, rows), randomChunks(r, cols)));
      String ctx = "seed " + seed + " " + rows + "x" + cols;
      // slice with steps on rows, a plain range on columns
      int r0 = r.nextInt(rows);
      int r1 = r0 + r.nextInt(rows - r0 + 1);
      int step = 1 + r.nextInt(3);
      int c0 = r.nextInt(cols);
      NdArray sl = x.slice(Slice.of(r0, r1, step), Slice.from(c0)).compute();
      int nr = r1 <= r0 ? 0 : (r1 - r0 + step - 1) / step;
      assertArrayEquals(new int[] {nr, cols - c0}, sl.shape(), ctx);
      for (int i = 0; i < nr; i++) {
        for (int j = 0; j < cols - c0; j++) {
          assertEquals(m.get(r0 + i * step, c0 + j), sl.get(i, j), ctx + " slice");
        }
      }
      // an integer index drops the axis; negative counts from the end
      NdArray row = x.slice(Slice.index(-1)).compute();
      assertArrayEquals(new int[] {cols}, row.shape(), ctx);
      for (int j = 0; j < cols; j++) {
        assertEquals(m.get(rows - 1, j), row.get(j), ctx + " index");
      }
      // rechunk to random chunks: same values
      DArray y = x.rechunk(Chunks.explicit(randomChunks(r, rows), randomChunks(r, cols)));
      assertArrayEquals(m.toDoubles(), y.compute().toDoubles(), ctx + " rechunk");
      // concatenate along rows, stack along a new axis
      NdArray cat = Da.concatenate(java.util.List.of(x, x.mul(2)), 0).compute();
      assertArrayEquals(new int[] {2 * rows, cols}, cat.shape(), ctx);
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          assertEquals(m.get(i, j), cat.get(i, j), ctx);
          assertEquals(2 * m.get(i, j), cat.get(rows + i, j), ctx);
        }
      }
      NdArray st = Da.stack(java.util.List.of(x, x.neg()), 2).compute();
      assertArrayEquals(new int[] {rows, cols, 2}, st.shape(), ctx);
      assertEquals(-m.get(rows - 1, cols - 1), st.get(rows - 1, cols - 1, 1), ctx);
    }
  }

  @SpmdTest
  void matmulMatchesATripleLoop(Session s) {
    Random r = new Random(5);
    int n = 23;
    int k = 17;
    int p = 9;
    NdArray a = randomLocal(r, new int[] {n, k});
    NdArray b = randomLocal(r, new int[] {k, p});
    int[] inner = randomChunks(r, k);
    DArray x = Da.fromArray(a, Chunks.explicit(randomChunks(r, n), inner));
    DArray y = Da.fromArray(b, Chunks.explicit(inner, randomChunks(r, p)));
    NdArray c = x.matmul(y).compute();
    assertArrayEquals(new int[] {n, p}, c.shape());
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < p; j++) {
        double e = 0;
        for (int q = 0; q < k; q++) {
          e += a.get(i, q) * b.get(q, j);
        }
        assertEquals(e, c.get(i, j), 1e-9, "element " + i + "," + j);
      }
    }
    // the tutorial-style pipeline: (x @ x.T).sum() is the sum of all pairwise dot products
    double total = x.matmul(x.T()).sum().compute().item();
    double expected = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        for (int q = 0; q < k; q++) {
          expected += a.get(i, q) * a.get(j, q);
        }
      }
    }
    assertEquals(expected, total, 1e-6 * Math.abs(expected) + 1e-9);
  }

  /** persist keeps blocks where they were computed; results equal the unpersisted array's. */
  @SpmdTest
  void persistedArraysGiveTheSameResults(Session s) {
    DArray x = Da.random(21).random(new long[] {37, 23}, Chunks.of(10, 7));
    DArray y = x.mul(2).add(1);
    DArray p = y.persist();
    assertArrayEquals(y.compute().toDoubles(), p.compute().toDoubles());
    assertEquals(y.sum().compute().item(), p.sum().compute().item(), 0);
    assertArrayEquals(y.T().add(1).compute().toDoubles(), p.T().add(1).compute().toDoubles());
    assertArrayEquals(y.matmul(y.T()).compute().toDoubles(), p.matmul(p.T()).compute().toDoubles());
    DArray pp = Da.random(3).normal(0, 1, new long[] {5}, Chunks.of(2)).persist(); // generated blocks materialized
    assertEquals(5, pp.compute().size());
  }

  /** x op y.T reads y's blocks transposed (no transposed copy): same values as the definition. */
  @SpmdTest
  void binaryWithATransposeMatchesTheDefinition(Session s) {
    Random r = new Random(17);
    for (int trial = 0; trial < 3; trial++) {
      int n = 3 + r.nextInt(20);
      int[] ch = randomChunks(r, n);
      NdArray a = randomLocal(r, new int[] {n, n});
      NdArray b = randomLocal(r, new int[] {n, n});
      DArray x = Da.fromArray(a, Chunks.explicit(ch, ch));
      DArray y = Da.fromArray(b, Chunks.explicit(ch, ch));
      NdArray sum = assertTransposedOps(x, y, "");
      assertEquals(ArraySpmdTest.naiveReduce(sum, new boolean[] {true, false}, "std").toDoubles()[0],
          x.add(x.T()).std(0).compute().toDoubles()[0], 1e-12);
    }
    // random operands: the transposed blocks are generated row by row from their counters, and
    // must hold exactly the values of the materialized array
    for (int trial = 0; trial < 3; trial++) {
      int n = 3 + r.nextInt(30);
      int[] ch = randomChunks(r, n);
      DArray x = Da.random(5 + trial).random(new long[] {n, n}, Chunks.explicit(ch, ch));
      DArray y = Da.random(9 + trial).uniform(-2, 3, new long[] {n, n}, Chunks.explicit(ch, ch));
      assertTransposedOps(x, y, "random ");
      // mean/var/std of x op y.T are made band by band from the generators: the bits of the
      // same reductions over the stored sum
      DArray stored = x.add(y.T()).persist();
      DArray xm = x.persist();
      for (int[] axes : new int[][] {{0}, {1}, {}}) {
        assertArrayEquals(stored.std(axes).compute().toDoubles(), x.add(y.T()).std(axes).compute().toDoubles(),
            "std " + Arrays.toString(axes));
        assertArrayEquals(stored.mean(axes).compute().toDoubles(), x.add(y.T()).mean(axes).compute().toDoubles(),
            "mean " + Arrays.toString(axes));
        assertArrayEquals(x.mul(y.persist().T()).persist().var(axes).compute().toDoubles(),
            xm.mul(y.T()).var(axes).compute().toDoubles(), "var of a stored x times a generated y.T");
      }
    }
  }

  /** x + x.T, x - y.T and x / y.T element by element against their definition; returns x + x.T. */
  static NdArray assertTransposedOps(DArray x, DArray y, String what) {
    NdArray a = x.compute();
    NdArray b = y.compute();
    NdArray sum = x.add(x.T()).compute();
    NdArray diff = x.sub(y.T()).compute();
    NdArray quot = x.div(y.T()).compute();
    int n = (int) x.shape()[0];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        assertEquals(a.get(i, j) + a.get(j, i), sum.get(i, j), what + "x + x.T at " + i + "," + j);
        assertEquals(a.get(i, j) - b.get(j, i), diff.get(i, j), what + "x - y.T at " + i + "," + j);
        assertEquals(a.get(i, j) / b.get(j, i), quot.get(i, j), what + "x / y.T at " + i + "," + j);
      }
    }
    return sum;
  }

  /** tensordot of 3-d arrays over two axes (in a scrambled order) against index loops. */
  @SpmdTest
  void tensordotMatchesIndexLoops(Session s) {
    Random r = new Random(11);
    for (int trial = 0; trial < 3; trial++) {
      int p = 2 + r.nextInt(5);
      int q = 2 + r.nextInt(5);
      int m = 1 + r.nextInt(6);
      int n = 1 + r.nextInt(6);
      NdArray a = randomLocal(r, new int[] {p, m, q}); // contract a's axes 2 and 0 ...
      NdArray b = randomLocal(r, new int[] {q, n, p}); // ... with b's axes 0 and 2
      int[] cp = randomChunks(r, p);
      int[] cq = randomChunks(r, q);
      DArray x = Da.fromArray(a, Chunks.explicit(cp, randomChunks(r, m), cq));
      DArray y = Da.fromArray(b, Chunks.explicit(cq, randomChunks(r, n), cp));
      DArray z = x.tensordot(y, new int[] {2, 0}, new int[] {0, 2});
      NdArray got = z.compute();
      assertArrayEquals(new int[] {m, n}, got.shape());
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double e = 0;
          for (int u = 0; u < p; u++) {
            for (int v = 0; v < q; v++) {
              e += a.get(u, i, v) * b.get(v, j, u);
            }
          }
          assertEquals(e, got.get(i, j), 1e-9, "trial " + trial + " element " + i + "," + j);
        }
      }
      // float32 operands give a float32 result
      assertEquals(DType.FLOAT32, x.astype(DType.FLOAT32).tensordot(y.astype(DType.FLOAT32), 0).dtype());
    }
  }

  /** Generated blocks are streamed into reductions; the bits must equal those of materialized data. */
  @SpmdTest
  void streamedReductionsEqualMaterializedOnes(Session s) {
    long[] shape = {61, 4099};
    Chunks c = Chunks.of(20, 2048);
    for (String op : new String[] {"sum", "mean", "std", "var", "min", "max", "prod"}) {
      DArray g = op.equals("prod") ? Da.random(4).uniform(0.9, 1.1, shape, c) : Da.random(4).normal(1, 2, shape, c);
      double streamed = g.reduce(op, new int[0], false, 0).compute().item();
      double materialized = g.mul(1.0).reduce(op, new int[0], false, 0).compute().item();
      assertEquals(Double.doubleToRawLongBits(materialized), Double.doubleToRawLongBits(streamed), op);
    }
    assertEquals(7.0 * 61 * 4099, Da.full(shape, c, 7).sum().compute().item());
  }

  @SpmdTest
  void booleanMasksHaveUnknownChunksUntilComputed(Session s) {
    Random r = new Random(3);
    NdArray m = randomLocal(r, new int[] {17, 5});
    DArray x = Da.fromArray(m, Chunks.explicit(randomChunks(r, 17), new int[] {5}));
    DArray pos = x.mask(x.gt(0));
    assertTrue(pos.toString().contains("shape=(nan,)"), pos.toString());
    java.util.List<Double> expected = new java.util.ArrayList<>();
    for (double v : m.toDoubles()) {
      if (v > 0) {
        expected.add(v);
      }
    }
    double[] exp = expected.stream().mapToDouble(Double::doubleValue).toArray();
    assertArrayEquals(exp, pos.compute().toDoubles(), "x[x > 0] in NumPy's order");
    assertArrayEquals(exp, pos.mul(2).div(2).compute().toDoubles(), "elementwise on unknown chunks");
    assertEquals(exp.length, pos.gt(-1).sum().compute().getLong(0));
    assertEquals(Arrays.stream(exp).max().orElseThrow(), pos.max().compute().item());
    DArray known = pos.computeChunkSizes();
    assertArrayEquals(new long[] {exp.length}, known.shape());
    assertArrayEquals(Arrays.copyOfRange(exp, 1, Math.min(4, exp.length)),
        known.slice(Slice.of(1, 4)).compute().toDoubles());
    try {
      pos.slice(Slice.of(0, 1));
      fail("slicing unknown chunks must ask for computeChunkSizes");
    } catch (ArrayException e) {
      assertTrue(e.getMessage().contains("call computeChunkSizes() first"), e.getMessage());
    }
  }
}
