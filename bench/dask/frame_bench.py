#!/usr/bin/python3
"""Dask side of bench/compare.sh's dataframe workloads (same as io.rankwise.bench.FrameBench).

usage: frame_bench.py default|decade THREADS
       frame_bench.py csv DIR THREADS
       frame_bench.py shuffle ROWS KEYS PARTITIONS THREADS
"""
import sys

import numpy as np

import dask
import dask.dataframe  # noqa: F401  (registers the dataframe collection)


def splitmix(z):
    """splitmix64 of uint64 values (io.rankwise.bench.ShuffleBench.mix)."""
    with np.errstate(over="ignore"):
        z = z + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def shuffle(rows, keys, parts, threads):
    """groupby('key').x.mean() over many keys, by Dask's hash shuffle (split_out)."""
    import pandas as pd

    def make(p):
        row = np.arange(rows * p // parts, rows * (p + 1) // parts, dtype=np.uint64)
        key = (splitmix(row) % np.uint64(keys)).astype(np.int64)
        x = (splitmix(row ^ np.uint64(0x5DEECE66D)) >> np.uint64(11)).astype(np.float64) * 2.0 ** -53
        return pd.DataFrame({"key": key, "x": x})

    with dask.config.set(scheduler="threads", num_workers=threads):
        df = dask.dataframe.from_map(make, range(parts)).persist()
        means = df.groupby("key").x.mean(split_out=parts, shuffle="tasks").compute()
        print("result=%d,%.2f" % (len(means), means.sum()))


def main():
    if sys.argv[1] == "shuffle":
        shuffle(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
        return
    if sys.argv[1] == "csv":
        with dask.config.set(scheduler="threads", num_workers=int(sys.argv[3])):
            df = dask.dataframe.read_csv(sys.argv[2] + "/*.csv")
            means = df[df.y > 0].groupby("name").x.mean().compute()
            print("result=%d,%.6f,%d" % (len(means), means.mean(), len(df)))
        return
    what, threads = sys.argv[1], int(sys.argv[2])
    with dask.config.set(scheduler="threads", num_workers=threads):
        if what == "decade":
            df = dask.datasets.timeseries("2000", "2010", freq="2H")
        else:
            df = dask.datasets.timeseries()
        std = df[df.y > 0].groupby("name").x.std().compute()
        if what == "decade":
            third = len(df.groupby("name").aggregate({"x": "sum", "y": "max"}).compute())
        else:
            third = len(df[["x", "y"]].resample("1h").mean().compute())
        if what == "decade":
            print("result=%d,%.2f,%d" % (len(std), std.mean(), third))
        else:  # Dask adds an empty bin at the last division that pandas does not: not compared
            print("result=%d,%.2f" % (len(std), std.mean()))


if __name__ == "__main__":
    main()
