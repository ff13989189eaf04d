package io.rankwise.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankwise.graph.TaskFailedException;
import io.rankwise.testing.OneRank;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear error with the values; chunk specs resolve as Dask's do. */
class ArrayErrorsTest {
  static void assertMessage(Runnable r, String... parts) {
    OneRank.assertFails(r, parts);
  }


  @Test
  void chunkSpecsResolveLikeDask() {
    assertArrayEquals(new int[] {1000, 1000, 500}, Chunks.of(1000).resolve(new long[] {2500}, DType.FLOAT64)[0]);
    int[][] c = Chunks.of(10, -1).resolve(new long[] {25, 7}, DType.FLOAT64);
    assertArrayEquals(new int[] {10, 10, 5}, c[0]);
    assertArrayEquals(new int[] {7}, c[1]);
    // auto: blocks of about the target bytes
    int[][] auto = Chunks.autoBytes(8 * 100 * 100).resolve(new long[] {1000, 1000}, DType.FLOAT64);
    assertEquals(100, auto[0][0]);
    assertEquals(100, auto[1][0]);
    // a short axis is taken whole, the budget goes to the other
    int[][] auto2 = Chunks.autoBytes(8 * 100 * 100).resolve(new long[] {4, 100_000}, DType.FLOAT64);
    assertEquals(4, auto2[0][0]);
    assertEquals(2500, auto2[1][0]);
  }

  @Test
  void badChunksSayWhatIsWrong() {
    assertMessage(() -> Da.zeros(new long[] {10}, Chunks.explicit(new int[] {3, 3})),
        "chunks of axis 0 [3, 3] add up to 6, but the axis has length 10");
    assertMessage(() -> Da.zeros(new long[] {10, 10}, Chunks.of(2, 2, 2)), "give 3 sizes for a 2-d array");
    assertMessage(() -> Chunks.of(0), "chunk size must be positive or -1");
    assertMessage(() -> Da.zeros(new long[] {-1}, Chunks.of(2)), "negative dimension");
  }

  @Test
  void axisOutOfRangeAndIncompatibleBroadcasts() {
    assertMessage(() -> Da.ones(new long[] {3, 4}, Chunks.of(2)).sum(2),
        "sum: axis 2 is out of bounds for array of dimension 2");
    assertMessage(() -> Da.ones(new long[] {3, 4}, Chunks.of(2)).mean(-3), "axis -3 is out of bounds");
    assertMessage(() -> Da.ones(new long[] {3, 4}, Chunks.of(2)).add(Da.ones(new long[] {3}, Chunks.of(2))),
        "operands could not be broadcast together with shapes [3, 4] [3]");
    assertMessage(() -> Da.ones(new long[] {6}, Chunks.of(2)).add(Da.ones(new long[] {6}, Chunks.of(3))),
        "different chunks along axis 0: [2, 2, 2] vs [3, 3]");
    assertMessage(() -> Da.ones(new long[] {2, 2}, Chunks.of(1)).transpose(0, 0), "not a permutation");
    assertMessage(() -> Da.ones(new long[] {2}, Chunks.of(1)).reduce("median", new int[0], false, 0),
        "unknown reduction 'median'");
    assertMessage(() -> DType.parse("complex128"), "unknown dtype 'complex128'");
  }

  @Test
  void structuralOperationsCheckTheirOperands() {
    assertMessage(() -> Da.ones(new long[] {3, 4}, Chunks.of(2)).matmul(Da.ones(new long[] {3, 4}, Chunks.of(2))),
        "matmul: shapes [3, 4] and [3, 4] are not aligned (4 != 3)");
    assertMessage(() -> Da.ones(new long[] {3, 4}, Chunks.of(2)).matmul(Da.ones(new long[] {4, 2}, Chunks.of(3))),
        "the inner axis has chunks [2, 2] on the left and [3, 1] on the right; rechunk");
    assertMessage(() -> Da.concatenate(java.util.List.of(Da.ones(new long[] {2, 3}, Chunks.of(2)),
        Da.ones(new long[] {2, 4}, Chunks.of(2))), 0), "only axis 0 may differ");
    assertMessage(() -> Da.ones(new long[] {3}, Chunks.of(2)).slice(Slice.index(3)),
        "index 3 is out of bounds for axis 0 with size 3");
    assertMessage(() -> Da.ones(new long[] {3}, Chunks.of(2)).slice(Slice.all(), Slice.all()), "too many indices");
    assertMessage(() -> Slice.of(0, 3, -1), "slice step must be positive");
  }

  @Test
  void tensordotChecksItsAxes() {
    java.util.function.Supplier<DArray> a3 = () -> Da.ones(new long[] {3, 4, 5}, Chunks.of(2));
    assertMessage(() -> a3.get().tensordot(Da.ones(new long[] {4, 5}, Chunks.of(2)), new int[] {1}, new int[] {1}),
        "tensordot: shape mismatch for sum: axis 1 of [3, 4, 5] has length 4, axis 1 of [4, 5] has length 5");
    assertMessage(() -> a3.get().tensordot(Da.ones(new long[] {4, 5}, Chunks.of(3)), new int[] {1, 2}, new int[] {0, 1}),
        "tensordot: axis 1 has chunks [2, 2] on the left and [3, 1] on the right; rechunk");
    assertMessage(() -> a3.get().tensordot(a3.get(), new int[] {0, 1}, new int[] {0}), "2 axes of the first array paired with 1");
    assertMessage(() -> a3.get().tensordot(a3.get(), new int[] {3}, new int[] {0}), "axis 3 is out of bounds for array of dimension 3");
    assertMessage(() -> a3.get().tensordot(a3.get(), new int[] {0, 0}, new int[] {0, 1}), "axis 0 is repeated");
    assertMessage(() -> a3.get().tensordot(a3.get(), 4), "cannot contract 4 axes of arrays of dimensions 3 and 3");
  }

  @Test
  void thirtyTwoBitTypesKeepNumpysValues() {
    NdArray f = NdArray.of(new float[] {0.1f, 16777217f}, 2);
    assertEquals(DType.FLOAT32, f.dtype());
    assertEquals(0.1f, (float) f.getDouble(0)); // held exactly as the float
    NdArray i = NdArray.of(new long[] {Integer.MAX_VALUE, 3_000_000_000L}, 2).astype(DType.INT32);
    assertEquals(DType.INT32, i.dtype());
    assertEquals(Integer.MAX_VALUE, i.getLong(0));
    assertEquals((int) 3_000_000_000L, i.getLong(1)); // wraps like a C cast, as NumPy's astype does
    assertEquals(DType.FLOAT64, DType.promote(DType.INT32, DType.FLOAT32));
    assertEquals(DType.INT64, DType.promote(DType.INT32, DType.INT64));
    assertEquals(DType.FLOAT32, DType.promote(DType.BOOL, DType.FLOAT32));
    assertEquals(DType.FLOAT32, DType.parse("f4"));
    assertEquals(DType.INT32, DType.parse("int32"));
    assertMessage(() -> new NdArray(DType.FLOAT32, new int[] {1}, new float[] {1f}), "float32 data must be a double[]");
  }

  @Test
  void masksCheckTheirCondition() {
    assertMessage(() -> Da.ones(new long[] {4}, Chunks.of(2)).mask(Da.ones(new long[] {4}, Chunks.of(2))),
        "the condition must be a bool array, got float64");
    assertMessage(() -> Da.ones(new long[] {4, 4}, Chunks.of(2)).mask(Da.ones(new long[] {4, 4}, Chunks.of(2)).gt(0)),
        "chunked along axis 1", "rechunk");
    assertMessage(() -> {
      DArray x = Da.ones(new long[] {4}, Chunks.of(2));
      DArray m = x.mask(x.gt(0));
      m.add(m);
    }, "unknown chunk sizes", "computeChunkSizes()");
  }

  @Test
  void aUserKernelReturningTheWrongShapeNamesTheBlock() {
    TaskFailedException e = assertThrows(TaskFailedException.class, () -> OneRank.run(() ->
        Da.ones(new long[] {4}, Chunks.of(2)).mapBlocks("bad", DType.FLOAT64, b -> NdArray.of(new double[1], 1))
            .compute()));
    assertTrue(e.getMessage().contains("mapBlocks 'bad': block [0] returned shape [1] float64, expected [2] float64"),
        e.getMessage());
  }

  @Test
  void reprShowsShapeDtypeAndChunks() {
    String r = OneRank.run(() -> Da.random(1).random(new long[] {10000, 10000}, Chunks.of(1000)).mean().toString());
    assertEquals("rankwise.array<mean, shape=(), dtype=float64, chunksize=(), blocks=1, chunktype=NdArray>", r);
    String x = OneRank.run(() -> Da.random(1).random(new long[] {100, 100}, Chunks.of(10, 100)).toString());
    assertEquals("rankwise.array<random, shape=(100, 100), dtype=float64, chunksize=(10, 100), blocks=10, "
        + "chunktype=NdArray>", x);
  }
}
