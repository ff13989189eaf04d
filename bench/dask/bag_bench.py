#!/usr/bin/python3
"""Dask side of bench/compare.sh's bag workload (same as io.rankwise.bench.BagBench).

usage: bag_bench.py GLOB THREADS
"""
import json
import sys

import dask
import dask.bag as db


def main():
    glob, threads = sys.argv[1], int(sys.argv[2])
    with dask.config.set(scheduler="threads", num_workers=threads):
        b = db.read_text(glob).map(json.loads)
        over30 = b.filter(lambda r: r["age"] > 30).count().compute()
        total = b.count().compute()
        print("result=%d,%d" % (over30, total))


if __name__ == "__main__":
    main()
