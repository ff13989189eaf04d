#!/usr/bin/python3
"""Dask side of bench/compare.sh's array workloads (same as io.rankwise.bench.ArrayBench).

usage: array_bench.py mean|xxt|matmul N CHUNK THREADS
"""
import sys

import dask
import dask.array as da


def main():
    what, n, c, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    x = da.random.random((n, n), chunks=(c, c))
    if what == "mean":
        y = x.mean()
    elif what == "xxt":
        y = (x + x.T).std(axis=0).sum()
    elif what == "matmul":
        y = (x @ x).sum()
    else:
        raise SystemExit("unknown workload " + what)
    with dask.config.set(scheduler="threads", num_workers=threads):
        print("result=%.10g" % float(y.compute()))


if __name__ == "__main__":
    main()
