package io.rankwise.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.rankwise.runtime.Session;
import io.rankwise.testing.SpmdRanks;
import io.rankwise.testing.SpmdTest;
import io.rankwise.testing.SpmdTestCase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Results against NumPy's, committed in test-data/arrays (made by make_golden.py with Debian's
 * python3-numpy), for several chunkings of the same input, on real ranks.
 */
@SpmdRanks(mpi = {2, 3}, local = {1, 4})
class ArrayGoldenTest extends SpmdTestCase {
  static Path dir() {
    return Path.of(System.getProperty("rankwise.home", ".")).resolve("test-data/arrays");
  }

  /** Golden values (read as float64) with NumPy's dtype of each result. */
  static Map<String, NdArray> read(String file) {
    return read(file, null);
  }

  static Map<String, NdArray> read(String file, Map<String, DType> dtypes) {
    Map<String, NdArray> out = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(dir().resolve(file))) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String[] p = line.trim().split(" ");
        if (dtypes != null) {
          dtypes.put(p[0], DType.parse(p[1]));
        }
        int[] shape = p[2].equals("-") ? new int[0]
            : java.util.Arrays.stream(p[2].split(",")).mapToInt(Integer::parseInt).toArray();
        double[] v = new double[p.length - 3];
        for (int i = 0; i < v.length; i++) {
          v[i] = Double.parseDouble(p[i + 3]);
        }
        out.put(p[0], NdArray.of(v, shape));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static Map<String, Function<DArray[], DArray>> cases() {
    Map<String, Function<DArray[], DArray>> c = new LinkedHashMap<>();
    for (String op : new String[] {"sum", "mean", "std", "var", "min", "max", "prod"}) {
      for (String axis : new String[] {"None", "0", "1"}) {
        for (boolean keep : new boolean[] {false, true}) {
          int[] axes = axis.equals("None") ? new int[0] : new int[] {Integer.parseInt(axis)};
          c.put(op + "/" + axis + "/" + (keep ? "True" : "False"), a -> a[0].reduce(op, axes, keep, 0));
        }
      }
    }
    for (String axis : new String[] {"None", "0", "1"}) {
      int[] axes = axis.equals("None") ? new int[0] : new int[] {Integer.parseInt(axis)};
      c.put("argmin/" + axis, a -> a[0].argmin(axes));
      c.put("argmax/" + axis, a -> a[0].argmax(axes));
    }
    c.put("std_ddof1/None", a -> a[0].reduce("std", new int[0], false, 1));
    c.put("slice/2:11:3,-4:", a -> a[0].slice(Slice.of(2, 11, 3), Slice.from(-4)));
    c.put("index/-1", a -> a[0].slice(Slice.index(-1)));
    c.put("T", a -> a[0].T());
    c.put("matmul/x@y", a -> a[0].matmul(a[1]));
    c.put("where/abs", a -> Da.where(a[0].gt(0), a[0], a[0].neg()));
    c.put("broadcast/x+row", a -> a[0].add(a[0].slice(Slice.index(0))));
    c.put("concat/axis0", a -> Da.concatenate(List.of(a[0], a[0].mul(2)), 0));
    c.put("stack/axis1", a -> Da.stack(List.of(a[0], a[0].neg()), 1));
    c.put("expr/(x-mean)/std", a -> a[0].sub(a[0].mean(0)).div(a[0].std(0)));
    c.put("tensordot/x,y,1", a -> a[0].tensordot(a[1], 1));
    c.put("tensordot/x,x,([0],[0])", a -> a[0].tensordot(a[0], new int[] {0}, new int[] {0}));
    c.put("tensordot/x,x,2", a -> a[0].tensordot(a[0], 2));
    c.put("tensordot/x,y,0", a -> a[0].tensordot(a[1], 0));
    c.put("tensordot/x,x,([1,0],[1,0])", a -> a[0].tensordot(a[0], new int[] {1, 0}, new int[] {1, 0}));
    // 32-bit types: xf = x as float32, xi = 64 x as int32
    Function<DArray[], DArray> xf = a -> a[0].astype(DType.FLOAT32);
    Function<DArray[], DArray> xi = a -> a[0].mul(64).astype(DType.INT32);
    c.put("f32/astype", xf);
    c.put("f32/sum/None", a -> xf.apply(a).sum());
    c.put("f32/mean/0", a -> xf.apply(a).mean(0));
    c.put("f32/std/None", a -> xf.apply(a).std());
    c.put("f32/max/1", a -> xf.apply(a).max(1));
    c.put("f32/expr", a -> xf.apply(a).mul(3.1).add(1).div(Da.abs(xf.apply(a)).add(0.5)));
    c.put("f32/sqrt", a -> Da.sqrt(Da.abs(xf.apply(a))));
    c.put("f32/matmul", a -> xf.apply(a).matmul(a[1].astype(DType.FLOAT32)));
    c.put("f32+f64", a -> xf.apply(a).add(a[0]));
    c.put("i32/astype", xi);
    c.put("i32/sum/0", a -> xi.apply(a).sum(0));
    c.put("i32/mean/1", a -> xi.apply(a).mean(1));
    c.put("i32/min/None", a -> xi.apply(a).min());
    c.put("i32/add", a -> xi.apply(a).add(xi.apply(a)));
    c.put("i32/pow5wrap", a -> {
      DArray v = xi.apply(a);
      return v.mul(v).mul(v).mul(v).mul(v);
    });
    c.put("i32/neg", a -> xi.apply(a).neg());
    c.put("i32/div", a -> xi.apply(a).div(xi.apply(a).max()));
    c.put("i32+f32", a -> xi.apply(a).add(xf.apply(a)));
    c.put("i32+i64", a -> xi.apply(a).add(xi.apply(a).astype(DType.INT64)));
    return c;
  }

  @SpmdTest
  void resultsMatchNumpyForEveryChunking(Session s) {
    Map<String, NdArray> in = read("input.txt");
    Map<String, DType> dtypes = new LinkedHashMap<>();
    Map<String, NdArray> golden = read("golden.txt", dtypes);
    assertEquals(cases().keySet(), golden.keySet(), "every golden case has a Java expression");
    Chunks[][] chunkings = {
      {Chunks.of(4, 3), Chunks.of(3, 2)},
      {Chunks.of(-1), Chunks.of(-1)},
      {Chunks.explicit(new int[] {1, 5, 7}, new int[] {6, 5}), Chunks.explicit(new int[] {6, 5}, new int[] {5})},
    };
    for (Chunks[] ch : chunkings) {
      DArray x = Da.fromArray(in.get("x"), ch[0]);
      DArray y = Da.fromArray(in.get("y"), ch[1]);
      for (Map.Entry<String, Function<DArray[], DArray>> e : cases().entrySet()) {
        NdArray expected = golden.get(e.getKey());
        NdArray got = e.getValue().apply(new DArray[] {x, y}).compute();
        assertArrayEquals(expected.shape(), got.shape(), e.getKey() + " shape, chunks " + ch[0]);
        assertEquals(dtypes.get(e.getKey()), got.dtype(), e.getKey() + " dtype");
        // float32 results: NumPy accumulates in float32, Rankwise in float64 and rounds once
        double tol = got.dtype() == DType.FLOAT32 ? 2e-6 : 1e-12;
        if (!got.allClose(expected, tol, tol)) {
          fail(e.getKey() + " with chunks " + ch[0] + ": NumPy " + expected + ", Rankwise " + got);
        }
      }
    }
  }
}
