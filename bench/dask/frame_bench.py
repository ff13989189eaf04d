#!/usr/bin/python3
"""Dask side of bench/compare.sh's dataframe workloads (same as io.rankwise.bench.FrameBench).

usage: frame_bench.py default|decade THREADS
       frame_bench.py csv DIR THREADS
"""
import sys

import dask
import dask.dataframe  # noqa: F401  (registers the dataframe collection)


def main():
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
