#!/usr/bin/python3
"""Golden results for the array tests, computed by NumPy (Debian's python3-numpy).

Run: /usr/bin/python3 test-data/arrays/make_golden.py   (rewrites input.txt and golden.txt here)
CI does not need Python: the outputs are committed. Each line of golden.txt is
  <name> <shape, comma-separated, '-' for 0-d> <values in C order, repr precision>
"""
import os
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(7)
# multiples of 1/64: exact in text and in binary
x = np.round(rng.normal(size=(13, 11)) * 64) / 64
y = np.round(rng.normal(size=(11, 5)) * 64) / 64


def line(name, a):
    a = np.asarray(a, dtype=np.float64)
    shape = ",".join(str(s) for s in a.shape) or "-"
    return name + " " + shape + " " + " ".join(repr(float(v)) for v in a.ravel()) + "\n"


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

with open(os.path.join(here, "golden.txt"), "w") as f:
    f.write("# numpy " + np.__version__ + "\n")
    for name, v in cases:
        f.write(line(name, v))
