#!/usr/bin/python3
"""Golden results for the array tests, computed by NumPy (Debian's python3-numpy).

Run: /usr/bin/python3 test-data/arrays/make_golden.py   (rewrites input.txt and golden.txt here)
CI does not need Python: the outputs are committed. Each line of golden.txt is
  <name> <dtype> <shape, comma-separated, '-' for 0-d> <values in C order, repr precision>
"""
import os
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(7)
# multiples of 1/64: exact in text and in binary
x = np.round(rng.normal(size=(13, 11)) * 64) / 64
y = np.round(rng.normal(size=(11, 5)) * 64) / 64


def line(name, a):
    a = np.asarray(a)
    dtype = str(a.dtype)
    a = a.astype(np.float64)
    shape = ",".join(str(s) for s in a.shape) or "-"
    return name + " " + dtype + " " + shape + " " + " ".join(repr(float(v)) for v in a.ravel()) + "\n"


with open(os.path.join(here, "input.txt"), "w") as f:
    f.write(line("x", x))
    f.write(line("y", y))

cases = []
for op in ["sum", "mean", "std", "var", "min", "max", "prod"]:
    for axis in [None, 0, 1]:
        for keep in [False, True]:
            fn = getattr(np, op)
            cases.append((f"{op}/{axis}/{keep}", fn(x, axis=axis, keepdims=keep)))
for op in ["argmin", "argmax"]:
    for axis in [None, 0, 1]:
        cases.append((f"{op}/{axis}", getattr(np, op)(x, axis=axis)))
cases.append(("std_ddof1/None", np.std(x, ddof=1)))
cases.append(("slice/2:11:3,-4:", x[2:11:3, -4:]))
cases.append(("index/-1", x[-1]))
cases.append(("T", x.T))
cases.append(("matmul/x@y", x @ y))
cases.append(("where/abs", np.where(x > 0, x, -x)))
cases.append(("broadcast/x+row", x + x[0]))
cases.append(("concat/axis0", np.concatenate([x, 2 * x], axis=0)))
cases.append(("stack/axis1", np.stack([x, -x], axis=1)))
cases.append(("expr/(x-mean)/std", (x - x.mean(axis=0)) / x.std(axis=0)))
# contractions
cases.append(("tensordot/x,y,1", np.tensordot(x, y, axes=1)))
cases.append(("tensordot/x,x,([0],[0])", np.tensordot(x, x, axes=([0], [0]))))
cases.append(("tensordot/x,x,2", np.tensordot(x, x, axes=2)))
cases.append(("tensordot/x,y,0", np.tensordot(x, y, axes=0)))
cases.append(("tensordot/x,x,([1,0],[1,0])", np.tensordot(x, x, axes=([1, 0], [1, 0]))))
# 32-bit types: xf = x as float32, xi = 64 x as int32 (exact)
xf = x.astype(np.float32)
xi = (x * 64).astype(np.int32)
cases.append(("f32/astype", xf))
cases.append(("f32/sum/None", xf.sum()))
cases.append(("f32/mean/0", xf.mean(axis=0)))
cases.append(("f32/std/None", xf.std()))
cases.append(("f32/max/1", xf.max(axis=1)))
cases.append(("f32/expr", (xf * 3.1 + 1) / (np.abs(xf) + 0.5)))
cases.append(("f32/sqrt", np.sqrt(np.abs(xf))))
cases.append(("f32/matmul", xf @ y.astype(np.float32)))
cases.append(("f32+f64", xf + x))
cases.append(("i32/astype", xi))
cases.append(("i32/sum/0", xi.sum(axis=0)))
cases.append(("i32/mean/1", xi.mean(axis=1)))
cases.append(("i32/min/None", xi.min()))
cases.append(("i32/add", xi + xi))
cases.append(("i32/pow5wrap", xi * xi * xi * xi * xi))
cases.append(("i32/neg", -xi))
cases.append(("i32/div", xi / xi.max()))
cases.append(("i32+f32", xi + xf))
cases.append(("i32+i64", xi + xi.astype(np.int64)))

with open(os.path.join(here, "golden.txt"), "w") as f:
    f.write("# numpy " + np.__version__ + "\n")
    for name, v in cases:
        f.write(line(name, v))
