#!/usr/bin/python3
"""Dask side of the tutorial's delayed example, with the same pseudo-random sleeps as
io.rankwise.examples.DelayedTour (bit-for-bit the same formula), built once and computed once.

usage: delayed_bench.py ITEMS MEAN_SLEEP THREADS
"""
import sys
import time

import dask

M = (1 << 64) - 1
MEAN = 0.5


def jhash(s):
    """Java's String.hashCode, as a signed int."""
    h = 0
    for ch in s:
        h = (31 * h + ord(ch)) & 0xFFFFFFFF
    return h - (1 << 32) if h >= 1 << 31 else h


def sleep_seconds(op, arg):
    h = ((jhash(op) * 0x9E3779B97F4A7C15) & M) ^ ((arg * 0xC2B2AE3D27D4EB4F) & M)
    h ^= h >> 29
    h = (h * 0xBF58476D1CE4E5B9) & M
    h ^= h >> 32
    return (h >> 11) / float(1 << 53) * 2 * MEAN


@dask.delayed
def inc(x):
    time.sleep(sleep_seconds("inc", x))
    return x + 1


@dask.delayed
def dec(x):
    time.sleep(sleep_seconds("dec", x))
    return x - 1


@dask.delayed
def add(x, y):
    time.sleep(sleep_seconds("add", x * 31 + y))
    return x + y


def main():
    global MEAN
    n, MEAN, threads = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    zs = []
    for i in range(n):
        x = inc(i)
        zs.append(add(x, dec(x)))
    with dask.config.set(scheduler="threads", num_workers=threads):
        print("result=" + str(list(dask.compute(*zs))).replace(" ", ""))


if __name__ == "__main__":
    main()
