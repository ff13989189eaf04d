package io.rankwise.array;

/**
 * The mergeable state of argmin/argmax: per output element, the best value so far and its global
 * index (flat C-order index of the whole array, or the position along the reduced axis).
 */
final class ArgPartial {
  int[] shape;
  double[] value;
  long[] index;

  private ArgPartial() {} // for the serializer

  ArgPartial(int[] shape) {
    this.shape = shape;
    int n = NdArray.sizeOf(shape);
    value = new double[n];
    index = new long[n];
    java.util.Arrays.fill(index, -1);
  }

  /** True when (v, i) beats (best, bestIndex): NaN first, then the extreme, then the lower index. */
  static boolean better(double v, long i, double best, long bestIndex, boolean min) {
    if (bestIndex < 0) {
      return true;
    }
    boolean vn = Double.isNaN(v);
    boolean bn = Double.isNaN(best);
    if (vn || bn) {
      return vn && (!bn || i < bestIndex);
    }
    if (v != best) {
      return min ? v < best : v > best;
    }
    return i < bestIndex;
  }

  static ArgPartial of(NdArray x, long[] blockOffset, long[] arrayShape, int along, boolean[] reduced, boolean min) {
    int[] s = x.shapeRef();
    int nd = s.length;
    int[] outShape = new int[nd];
    for (int a = 0; a < nd; a++) {
      outShape[a] = reduced[a] ? 1 : s[a];
    }
    ArgPartial p = new ArgPartial(outShape);
    int[] outStrides = BlockOps.broadcastStrides(outShape, s);
    int[] idx = new int[nd];
    BlockOps.forEachPair(s, NdArray.strides(s), outStrides, (i, xi, o) -> {
      int rem = i;
      for (int a = nd - 1; a >= 0; a--) {
        idx[a] = rem % s[a];
        rem /= s[a];
      }
      long g;
      if (along < 0) {
        g = 0;
        for (int a = 0; a < nd; a++) {
          g = g * arrayShape[a] + blockOffset[a] + idx[a];
        }
      } else {
        g = blockOffset[along] + idx[along];
      }
      double v = x.getDouble(xi);
      if (better(v, g, p.value[o], p.index[o], min)) {
        p.value[o] = v;
        p.index[o] = g;
      }
    });
    return p;
  }

  static ArgPartial combine(Object[] parts, boolean min) {
    ArgPartial first = (ArgPartial) parts[0];
    ArgPartial acc = new ArgPartial(first.shape.clone());
    for (Object o : parts) {
      ArgPartial p = (ArgPartial) o;
      for (int k = 0; k < acc.value.length; k++) {
        if (p.index[k] >= 0 && better(p.value[k], p.index[k], acc.value[k], acc.index[k], min)) {
          acc.value[k] = p.value[k];
          acc.index[k] = p.index[k];
        }
      }
    }
    return acc;
  }

  NdArray indices() {
    return NdArray.of(index.clone(), shape.clone());
  }
}
